"""Trainings (tập huấn): events, their days, who came, what they were given.

An association (province or commune) organises a training for association and club leaders;
each day is a session with its own attendance; materials are files handed out at the event.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config.choices import ChoiceLabels
from config.text import fold
from members.ethnicities import ETHNICITY_CHOICES

if TYPE_CHECKING:
    from accounts.scoping import Viewer


def _training_scope_q(user: Viewer, path: str) -> Q:
    """Participants' rule: a club's leaders (and club viewers) see the events where people of
    their club took part, by a linked member or a linked user of that club."""
    from accounts import scoping

    club_id = getattr(user, "club_id", None)
    if scoping.effective_role(user) is None or not club_id:
        return scoping.NOTHING
    pks = Participant.objects.filter(Q(member__club_id=club_id) | Q(user__club_id=club_id)).values(
        "training_id"
    )
    prefix = f"{path}__" if path else ""
    return Q(**{f"{prefix}pk__in": pks})


class Training(ChoiceLabels, models.Model):
    """A training event (hội nghị tập huấn) organised by a provincial or commune association."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", pgettext_lazy("training", "Done")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=300)
    organiser = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("organising association"),
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    partners = models.CharField(
        _("partners"),
        max_length=300,
        blank=True,
        help_text=_("For example: Central Association of the Elderly, HelpAge International."),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    topics = models.TextField(_("topics"), blank=True, help_text=_("One topic per line."))
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("The most participants that can be registered; empty for no limit."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    search_name = models.CharField(max_length=300, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_area_path = "organiser"

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="training_dates_order",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = fold(self.title)[:300]
        super().save(*args, **kwargs)

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _training_scope_q(user, "")

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]

    def days(self) -> list[datetime.date]:
        n = (self.ends_on - self.starts_on).days
        return [self.starts_on + datetime.timedelta(days=i) for i in range(n + 1)]


class Trainer(models.Model):
    """A trainer (báo cáo viên) at an event: a name and a title, e.g. a standing committee
    member of the central association."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="trainers")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=120)
    title = models.CharField(_("title and unit"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_area_path = "training__organiser"

    class Meta:
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _training_scope_q(user, "training")


class TrainingSession(models.Model):
    """One day of a training, with its agenda; attendance is taken per session."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    venue = models.CharField(
        _("venue"), max_length=300, blank=True, help_text=_("Empty: the event's venue.")
    )
    agenda = models.TextField(_("agenda"), blank=True)

    scope_area_path = "training__organiser"

    # The share of participants present (0-100) on the summary page (``training_summary``).
    rate: float | None

    class Meta:
        verbose_name = _("training day")
        verbose_name_plural = _("training days")
        ordering = ["day", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "day"],
                name="training_session_unique_day",
                violation_error_message=_("This training already has a session on that day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training}: {self.day:%d/%m/%Y}"

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _training_scope_q(user, "training")


class Participant(ChoiceLabels, models.Model):
    """A person registered for a training, optionally linked to a user or a club member.

    The same person is registered once per event: the same phone number, or the same name in
    the same unit, is a duplicate.
    """

    class Position(models.TextChoices):
        PROVINCE_LEADER = "province_leader", _("Provincial association leader")
        DISTRICT_CHAIR = "district_chair", _("Chair of a district association")
        DISTRICT_VICE = "district_vice", _("Vice-chair of a district association")
        COMMUNE_CHAIR = "commune_chair", _("Chair of a commune association")
        COMMUNE_VICE = "commune_vice", _("Vice-chair of a commune association")
        CLUB_CHAIR = "club_chair", _("Club chair")
        CLUB_BOARD = "club_board", _("Club board member")
        STAFF = "staff", _("Association staff")
        OTHER = "other", _("Other")

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="participants")
    full_name = models.CharField(_("full name"), max_length=120)
    search_name = models.CharField(max_length=120, editable=False, db_index=True)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    title = models.CharField(
        _("title as written"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Vice-chair of the association of Tam Đường district"),
    )
    unit = models.CharField(
        _("unit"), max_length=200, blank=True, help_text=_("e.g. Commune association of Bình Lư")
    )
    unit_key = models.CharField(max_length=200, editable=False)
    area = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_participants",
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=30, choices=ETHNICITY_CHOICES, blank=True
    )
    phone = models.CharField(_("phone number"), max_length=15, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_participations",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("club member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_participations",
    )
    registered_on_site = models.BooleanField(_("registered on the spot"), default=False)
    pre_score = models.PositiveSmallIntegerField(
        _("pre-test score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    post_score = models.PositiveSmallIntegerField(
        _("post-test score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_area_path = "training__organiser"
    # How a participant belongs to a club: a club's leader sees by name only the participants
    # of their own club (accounts.privacy.people_q); the others are counted by unit.
    people_club_paths = ("member__club", "user__club")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["search_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "phone"],
                condition=~Q(phone=""),
                name="participant_unique_phone",
                violation_error_message=_(
                    "Someone with this phone number is already registered for this training."
                ),
            ),
            models.UniqueConstraint(
                fields=["training", "search_name", "unit_key"],
                name="participant_unique_name_unit",
                violation_error_message=_(
                    "Someone with this name from this unit is already registered for this training."
                ),
            ),
            models.UniqueConstraint(
                fields=["training", "member"],
                condition=Q(member__isnull=False),
                name="participant_unique_member",
                violation_error_message=_(
                    "This club member is already registered for this training."
                ),
            ),
            models.UniqueConstraint(
                fields=["training", "user"],
                condition=Q(user__isnull=False),
                name="participant_unique_user",
                violation_error_message=_("This user is already registered for this training."),
            ),
            models.CheckConstraint(
                condition=Q(pre_score__isnull=True) | Q(pre_score__lte=100),
                name="participant_pre_score_range",
                violation_error_message=_(
                    "The score before the training must be between 0 and 100."
                ),
            ),
            models.CheckConstraint(
                condition=Q(post_score__isnull=True) | Q(post_score__lte=100),
                name="participant_post_score_range",
                violation_error_message=_(
                    "The score after the training must be between 0 and 100."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = fold(self.full_name)
        self.unit_key = fold(self.unit)
        super().save(*args, **kwargs)

    @property
    def score_gain(self) -> int | None:
        if self.pre_score is None or self.post_score is None:
            return None
        return self.post_score - self.pre_score


class SessionAttendance(ChoiceLabels, models.Model):
    """A participant was present at one day of the training (no row: not present)."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendances"
    )
    checked_in_at = models.DateTimeField(_("checked in at"), auto_now_add=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_area_path = "session__training__organiser"

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"],
                name="session_attendance_unique",
                violation_error_message=_(
                    "This participant is already marked present on that day."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.session}"

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _training_scope_q(user, "session__training")


def material_upload_to(instance: TrainingMaterial, filename: str) -> str:
    # The stored name is generated by the service; this only places it in the event's folder.
    return f"trainings/{instance.training_id}/{filename}"


class TrainingMaterial(ChoiceLabels, models.Model):
    """A file handed out at a training (slides, handouts, the plan), served only through a
    scoped view."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (docx)"
        XLSX = "xlsx", "Excel (xlsx)"
        PPTX = "pptx", "PowerPoint (pptx)"
        JPG = "jpg", "JPEG"
        PNG = "png", "PNG"

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("type"), max_length=4, choices=Kind.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope_area_path = "training__organiser"

    class Meta:
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_extra_q(cls, user: Viewer) -> Q:
        return _training_scope_q(user, "training")
