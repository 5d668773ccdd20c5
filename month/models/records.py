"""The records of the club's month: meetings, attendance, health checks, activities and
home-care visits, from which the monthly report is compiled.

The meeting is the club's transaction boundary: one sitting records attendance, health checks
and the activities since the last one, and the monthly report is compiled from those records,
never re-keyed. Once the province approves a month's report the month is locked
(``month.locking``); every record here refuses changes in a locked month, in ``clean()`` (so
in forms and the admin), in ``delete()`` and in the services.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.choices import ChoiceLabels
from month.locking import assert_month_open
from month.readings import (
    DIASTOLIC_RANGE,
    SYSTOLIC_RANGE,
    WEIGHT_RANGE,
    consent_refusal,
    has_health_consent,
    is_high,
    is_unusual,
    reading_errors,
)


class ActivityArea(models.Model):
    """One of the activity areas of a club (the 8 areas; editable reference data)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        db_table = "clubs_activityarea"
        verbose_name = _("activity area")
        verbose_name_plural = _("activity areas")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class MonthRecord(ChoiceLabels, models.Model):
    """A record that belongs to one day of one club's month and is frozen once it is approved.

    Remembers the club and day it was loaded with, so moving a record *out of* a locked month
    is refused as well as moving one into it.
    """

    # Each record declares its club and its day; the lock is decided on them.
    club_id: int
    date: datetime.date
    # The (club id, day) the record was loaded with, when both were loaded (``from_db``).
    _loaded_lock_point: tuple[int | None, datetime.date | None] | None

    class Meta:
        abstract = True

    def lock_point(self) -> tuple[int | None, datetime.date | None]:
        """(club id, day) this record belongs to."""
        return self.club_id, self.date

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        # Only when both are loaded: touching a deferred field here would cost a query.
        loaded = {"club_id", "date"} <= set(field_names)
        instance._loaded_lock_point = instance.lock_point() if loaded else None
        return instance

    def lock_points(self) -> list[tuple[int | None, datetime.date | None]]:
        points = [self.lock_point()]
        loaded = getattr(self, "_loaded_lock_point", None)
        if loaded and loaded not in points:
            points.append(loaded)
        return points

    def assert_open(self) -> None:
        for club_id, day in self.lock_points():
            if club_id and day:
                assert_month_open(club_id, day)

    def clean(self) -> None:
        super().clean()
        self.assert_open()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self.assert_open()
        return super().delete(*args, **kwargs)


class Meeting(MonthRecord):
    """One sitting of the club (sinh hoạt định kỳ): planned from the club's meeting rule, then
    held (attendance, readings, minutes recorded) or cancelled."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    club = models.ForeignKey(
        "clubs.Club", verbose_name=_("club"), on_delete=models.PROTECT, related_name="meetings"
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    guests = models.PositiveSmallIntegerField(_("guests"), default=0)
    # The day the meeting rule gave (null for an extra meeting): planning is idempotent on it,
    # and a moved meeting is not planned again on its old day.
    planned_on = models.DateField(_("planned by the rule for"), null=True, blank=True)
    moved_from = models.DateField(_("moved from"), null=True, blank=True)
    change_reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_club_path = "club"

    class Meta:
        db_table = "clubs_meeting"
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["club", "date"], name="meeting_club_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["club", "planned_on"],
                condition=Q(planned_on__isnull=False),
                name="meeting_unique_rule_day",
                violation_error_message=_("The club already has a meeting planned for that day."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("Meeting of %(date)s") % {"date": self.date.strftime("%d/%m/%Y")}

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED


class Attendance(ChoiceLabels, models.Model):
    """One member's mark at one meeting. A member with no row is *not recorded*, which is not
    the same as absent."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)

    scope_club_path = "meeting__club"

    class Meta:
        db_table = "clubs_attendance"
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="attendance_unique",
                violation_error_message=_(
                    "This member already has an attendance mark at this meeting."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_status_display()}"

    def clean(self) -> None:
        super().clean()
        if self.meeting_id and self.member_id and self.member.club_id != self.meeting.club_id:
            raise ValidationError({"member": gettext("This member is not in the meeting's club.")})
        if self.meeting_id:
            assert_month_open(self.meeting.club_id, self.meeting.date)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        assert_month_open(self.meeting.club_id, self.meeting.date)
        return super().delete(*args, **kwargs)


class HealthCheck(MonthRecord):
    """A blood-pressure and/or weight reading of a member (sensitive health data), usually taken
    at a meeting. Kept only for a member who consented (``month.readings.has_health_consent``):
    the record sheet, the services and ``clean()`` (so the admin) refuse the others, and a
    withdrawal of consent deletes the member's readings."""

    club = models.ForeignKey(
        "clubs.Club",
        verbose_name=_("club"),
        on_delete=models.PROTECT,
        related_name="health_checks",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="health_checks",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="health_checks",
    )
    date = models.DateField(_("date"))
    systolic = models.PositiveSmallIntegerField(_("systolic (mmHg)"), null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(_("diastolic (mmHg)"), null=True, blank=True)
    weight = models.DecimalField(
        _("weight (kg)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_club_path = "club"

    class Meta:
        db_table = "clubs_healthcheck"
        verbose_name = _("health check")
        verbose_name_plural = _("health checks")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["club", "date"], name="healthcheck_club_date"),
            models.Index(fields=["member", "date"], name="healthcheck_member_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(meeting__isnull=False),
                name="healthcheck_one_per_meeting",
                violation_error_message=_("This member already has a reading at this meeting."),
            ),
            models.CheckConstraint(
                condition=Q(systolic__isnull=True, diastolic__isnull=True)
                | Q(systolic__isnull=False, diastolic__isnull=False),
                name="healthcheck_bp_pair",
                violation_error_message=_(
                    "Enter both blood pressure numbers (systolic and diastolic), or neither."
                ),
            ),
            models.CheckConstraint(
                condition=Q(systolic__isnull=False) | Q(weight__isnull=False),
                name="healthcheck_not_empty",
                violation_error_message=_("Enter a blood pressure or a weight."),
            ),
            models.CheckConstraint(
                condition=Q(systolic__isnull=True)
                | Q(
                    systolic__gte=SYSTOLIC_RANGE[0],
                    systolic__lte=SYSTOLIC_RANGE[1],
                    diastolic__gte=DIASTOLIC_RANGE[0],
                    diastolic__lte=DIASTOLIC_RANGE[1],
                    diastolic__lt=F("systolic"),
                ),
                name="healthcheck_bp_plausible",
                violation_error_message=_(
                    "This blood pressure is not plausible: check both numbers (the diastolic is lower than the systolic)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(weight__isnull=True)
                | Q(weight__gte=WEIGHT_RANGE[0], weight__lte=WEIGHT_RANGE[1]),
                name="healthcheck_weight_plausible",
                violation_error_message=_(
                    "This weight is not plausible: check the number in kilograms."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.date:%d/%m/%Y}"

    @property
    def blood_pressure(self) -> str:
        return f"{self.systolic}/{self.diastolic}" if self.systolic else ""

    @property
    def is_high(self) -> bool:
        return is_high(self.systolic, self.diastolic)

    @property
    def is_unusual(self) -> bool:
        return is_unusual(self.systolic, self.diastolic)

    def clean(self) -> None:
        errors = reading_errors(self.systolic, self.diastolic, self.weight)
        if self.systolic is None and self.weight is None and not errors:
            errors["systolic"] = gettext("Enter a blood pressure or a weight.")
        if self.member_id and self.club_id and self.member.club_id != self.club_id:
            errors["member"] = gettext("This member is not in this club.")
        elif self.member_id and not has_health_consent(self.member):
            errors["member"] = consent_refusal()
        if self.meeting is not None and self.meeting.club_id != self.club_id:
            errors["meeting"] = gettext("This meeting is of another club.")
        if errors:
            raise ValidationError(errors)
        super().clean()


class Activity(MonthRecord):
    """Something the club did in one or more of its 8 activity areas (a training, a visit to a
    sick member, a performance, a contribution drive…)."""

    club = models.ForeignKey(
        "clubs.Club", verbose_name=_("club"), on_delete=models.PROTECT, related_name="activities"
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("name of the activity"), max_length=200)
    areas = models.ManyToManyField(
        "month.ActivityArea",
        verbose_name=_("activity areas"),
        related_name="activities",
        db_table="clubs_activity_areas",
    )
    participants = models.ManyToManyField(
        "members.Member",
        verbose_name=_("participating members"),
        blank=True,
        related_name="activities",
        db_table="clubs_activity_participants",
    )
    participant_count = models.PositiveIntegerField(
        _("number of participants"),
        default=0,
        help_text=_("Leave at 0 to count the members ticked above."),
    )
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)
    cost = models.BigIntegerField(_("cost (VND)"), default=0)
    description = models.TextField(_("description"), blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_club_path = "club"

    class Meta:
        db_table = "clubs_activity"
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["club", "date"], name="activity_club_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__gte=0),
                name="activity_cost_not_negative",
                violation_error_message=_("The cost cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


CARE_SERVICE_CHOICES = [
    ("housework", _("Housework")),
    ("personal_care", _("Personal care")),
    ("health_check", _("Health check")),
    ("medicine", _("Medicine")),
    ("company", _("Company and talk")),
    ("farm_work", _("Farm work")),
    ("other", _("Other")),
]
CARE_SERVICE_LABELS = dict(CARE_SERVICE_CHOICES)


class HomeCareVisit(MonthRecord):
    """A home-care volunteer's visit to a member who needs care (sổ theo dõi chăm sóc tại nhà).

    ``services`` holds the codes of the services given, comma-separated: a short fixed list
    (CARE_SERVICE_CHOICES) that is only ever shown or counted with the visit.
    """

    club = models.ForeignKey(
        "clubs.Club",
        verbose_name=_("club"),
        on_delete=models.PROTECT,
        related_name="home_care_visits",
    )
    volunteer = models.ForeignKey(
        "members.Member",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="visits_given",
    )
    recipient = models.ForeignKey(
        "members.Member",
        verbose_name=_("care recipient"),
        on_delete=models.PROTECT,
        related_name="visits_received",
    )
    date = models.DateField(_("date"))
    services = models.CharField(_("services given"), max_length=200)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_club_path = "club"

    class Meta:
        db_table = "clubs_homecarevisit"
        verbose_name = _("home-care visit")
        verbose_name_plural = _("home-care visits")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["club", "date"], name="visit_club_date")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(volunteer=F("recipient")),
                name="visit_not_to_oneself",
                violation_error_message=_(
                    "The volunteer and the person cared for must be two different people."
                ),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=1440),
                name="visit_duration_range",
                violation_error_message=_(
                    "A visit lasts from 1 minute to 24 hours (1440 minutes)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.recipient} {self.date:%d/%m/%Y}"

    @property
    def service_list(self) -> list[str]:
        return [code for code in self.services.split(",") if code]

    def get_services_display(self) -> str:
        return ", ".join(str(CARE_SERVICE_LABELS.get(c, c)) for c in self.service_list)

    def clean(self) -> None:
        errors = {}
        if self.volunteer_id and self.recipient_id and self.volunteer_id == self.recipient_id:
            errors["recipient"] = gettext("A volunteer cannot visit themselves.")
        for field in ("volunteer", "recipient"):
            person = getattr(self, field) if getattr(self, f"{field}_id") else None
            if person is not None and self.club_id and person.club_id != self.club_id:
                errors[field] = gettext("This member is not in this club.")
        unknown = [c for c in self.service_list if c not in CARE_SERVICE_LABELS]
        if unknown or not self.service_list:
            errors["services"] = gettext("Choose at least one service from the list.")
        if errors:
            raise ValidationError(errors)
        super().clean()
