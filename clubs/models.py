import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.choices import ChoiceLabels
from config.text import fold

if TYPE_CHECKING:
    from accounts.models import User

# The value a copied column had when its record was loaded, when it was not loaded: never
# equal to the current one, so the copies are brought along.
UNKNOWN = object()


class Area(ChoiceLabels, models.Model):
    """An administrative unit: a province, a commune/ward, or a legacy (pre-2025) district.

    Since 1 July 2025 the tree is province -> commune/ward; districts are kept only as the
    parents of legacy communes, so clubs founded earlier can still be traced.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province/city")
        DISTRICT = "district", _("District (former)")
        COMMUNE = "commune", _("Commune/ward")

    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    division_type = models.CharField(_("unit type"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The province this unit belongs to (null for a province): one join for scoping.
    province = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("in force"), default=True)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)

    scope_area_path = ""

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code"],
                name="area_unique_level_code",
                violation_error_message=_("An area of this level with this code already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.name)
        if self.level == self.Level.PROVINCE:
            self.province = None
        elif not self.province_id and self.parent is not None:
            parent = self.parent
            self.province = parent if parent.level == self.Level.PROVINCE else parent.province
        super().save(*args, **kwargs)
        if self.level == self.Level.COMMUNE and self.pk:
            # Clubs carry the commune's province (Club.province): follow a commune that
            # changes province. Records of higher apps that carry it too (the monthly
            # reports) follow through their own post_save receivers.
            moved = Club.objects.filter(commune=self).exclude(province_id=self.province_id)
            if moved.update(province_id=self.province_id):
                BoardPosition.objects.filter(club__commune=self).exclude(
                    province_id=self.province_id
                ).update(province_id=self.province_id)


class AreaSuccession(models.Model):
    """Which old unit became which new one in a reorganisation (e.g. on 1 July 2025)."""

    old = models.ForeignKey(
        Area, verbose_name=_("former unit"), on_delete=models.CASCADE, related_name="successors"
    )
    new = models.ForeignKey(
        Area, verbose_name=_("new unit"), on_delete=models.CASCADE, related_name="predecessors"
    )
    effective_on = models.DateField(_("effective from"), default=datetime.date(2025, 7, 1))
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_area_path = "new"

    class Meta:
        verbose_name = _("administrative reorganisation")
        verbose_name_plural = _("administrative reorganisations")
        constraints = [
            models.UniqueConstraint(
                fields=["old", "new"],
                name="succession_unique_pair",
                violation_error_message=_("This change between the two areas is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"


class Club(ChoiceLabels, models.Model):
    """An intergenerational self-help club (CLB liên thế hệ tự giúp nhau) in one village."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        DISSOLVED = "dissolved", _("Dissolved")

    class Supporter(models.TextChoices):
        HELPAGE = "helpage", _("HelpAge project")
        VAE = "vae", _("Vietnam Association of the Elderly")
        LOCAL_BUDGET = "local_budget", _("Local budget")
        OTHER = "other", _("Other")

    class MeetingRule(models.TextChoices):
        DAY_OF_MONTH = "day_of_month", _("Fixed day of the month")
        NTH_WEEKDAY = "nth_weekday", _("Fixed weekday of the n-th week")
        NONE = "none", _("No fixed day")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    code = models.CharField(_("club code"), max_length=30, unique=True)
    name = models.CharField(_("club name"), max_length=200)
    commune = models.ForeignKey(
        Area,
        verbose_name=_("commune/ward"),
        on_delete=models.PROTECT,
        related_name="clubs",
        limit_choices_to={"level": Area.Level.COMMUNE, "active": True},
    )
    # The commune's province, kept on the club (set on save; Area.save follows a commune that
    # changes province): provincial staff's lists filter one indexed column, not a join.
    province = models.ForeignKey(
        Area,
        verbose_name=_("province"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The province the club was loaded with (``from_db``), to know whether its seats follow.
    _loaded_province_id: object
    legacy_commune = models.ForeignKey(
        Area,
        verbose_name=_("former commune (before 1/7/2025)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legacy_clubs",
    )
    village = models.CharField(_("village/residential group"), max_length=200, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    decision_number = models.CharField(_("founding decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    launched_on = models.DateField(_("launch ceremony date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    meeting_rule = models.CharField(
        _("meeting rule"),
        max_length=15,
        choices=MeetingRule.choices,
        default=MeetingRule.DAY_OF_MONTH,
    )
    meeting_day = models.PositiveSmallIntegerField(
        _("day of the month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    meeting_week = models.SmallIntegerField(
        _("week of the month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-1), MaxValueValidator(5)],
        help_text=_("1–5, or -1 for the last week of the month."),
    )
    meeting_weekday = models.PositiveSmallIntegerField(
        _("weekday"), null=True, blank=True, choices=Weekday.choices
    )
    meeting_time = models.TimeField(_("meeting time"), default=datetime.time(8, 0))
    meeting_place = models.CharField(_("meeting place"), max_length=200, blank=True)
    meeting_every_months = models.PositiveSmallIntegerField(
        _("every how many months"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    reminder_lead_days = models.CharField(
        _("remind members (days before)"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"^\s*\d{1,2}(\s*,\s*\d{1,2})*\s*$",
                _("Enter days separated by commas, e.g. 3,1."),
            )
        ],
        help_text=_("e.g. 3,1 — empty: the default for every club."),
    )
    supporter = models.CharField(
        _("supported by"), max_length=15, choices=Supporter.choices, default=Supporter.VAE
    )
    supporter_note = models.CharField(_("support note"), max_length=200, blank=True)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    # Who makes the next save, for its history row (set by the services).
    _history_user: "User | None"

    scope_club_path = ""

    class Meta:
        verbose_name = _("club")
        verbose_name_plural = _("clubs")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(meeting_day__isnull=True)
                | models.Q(meeting_day__gte=1, meeting_day__lte=31),
                name="club_meeting_day_range",
                violation_error_message=_("The meeting day must be between 1 and 31."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(f"{self.name} {self.village} {self.code}")
        self.province_id = self.commune.province_id if self.commune_id else None
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name", "province"}
        adding = self._state.adding
        super().save(*args, **kwargs)
        # The seats carry the club's province too (BoardPosition.province): follow a club
        # moved to another province. Not for a new club (no seats yet) nor when the province
        # is the one the club was loaded with (no query on an ordinary save).
        if not adding and getattr(self, "_loaded_province_id", UNKNOWN) != self.province_id:
            BoardPosition.objects.filter(club=self).exclude(province_id=self.province_id).update(
                province_id=self.province_id
            )
        self._loaded_province_id = self.province_id

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        if "province_id" in field_names:  # a deferred province is not read here (a query)
            instance._loaded_province_id = instance.province_id
        return instance

    def clean(self) -> None:
        super().clean()
        if self.meeting_rule == self.MeetingRule.DAY_OF_MONTH and not self.meeting_day:
            raise ValidationError({"meeting_day": _("Choose the day of the month the club meets.")})
        if self.meeting_rule == self.MeetingRule.NTH_WEEKDAY and (
            self.meeting_week in (None, 0) or self.meeting_weekday is None
        ):
            raise ValidationError(
                {"meeting_week": _("Choose the week of the month and the weekday.")}
            )
        if self.founded_on and self.founded_on > datetime.date.today():  # noqa: DTZ011
            raise ValidationError({"founded_on": _("The founding date cannot be in the future.")})


class ClubStatusChange(ChoiceLabels, models.Model):
    """A recorded change of a club's status (active / paused / dissolved)."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=12, choices=Club.Status.choices)
    changed_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    scope_club_path = "club"

    class Meta:
        verbose_name = _("club status change")
        verbose_name_plural = _("club status changes")
        ordering = ["-changed_on", "-at"]

    def __str__(self) -> str:
        return f"{self.club}: {self.get_status_display()} ({self.changed_on:%d/%m/%Y})"


class BoardPosition(ChoiceLabels, models.Model):
    """A member's seat on the club's management board (Ban chủ nhiệm) for a term."""

    class Position(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        SECRETARY = "secretary", _("Secretary")
        ACCOUNTANT = "accountant", _("Accountant")
        TREASURER = "treasurer", _("Treasurer")
        MEMBER = "member", _("Board member")

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="board_positions")
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="board_positions",
    )
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("to"), null=True, blank=True)
    # Copies kept on the seat (set on save; Club.save and Area.save follow a club or a
    # commune that changes province, Member.save a member renamed) so that a province's
    # current board members are read in name order from one partial index, twenty at a
    # time, instead of reading and sorting every seat of the province (the training's
    # board-member picker; clubs/migrations/0015_board_current_name_indexes.py).
    province = models.ForeignKey(
        Area,
        verbose_name=_("province"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    member_name = models.CharField(max_length=120, blank=True, default="", editable=False)
    search_name = models.CharField(max_length=120, blank=True, default="", editable=False)

    # Not the copies: they say nothing of the seat, and a name kept in the seat's history
    # would outlive the member's anonymisation (``members.services.member_erase_personal``).
    history = HistoricalRecords(excluded_fields=["province", "member_name", "search_name"])
    # Who makes the next save, for its history row (set by the services).
    _history_user: "User | None"

    scope_club_path = "club"
    scope_province_field = "province"

    class Meta:
        verbose_name = _("board member")
        verbose_name_plural = _("management board")
        ordering = ["position", "-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="board_term_order",
                violation_error_message=_("The term cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.member}"

    def save(self, *args, **kwargs) -> None:
        self.province_id = self.club.province_id
        self.member_name = self.member.full_name
        self.search_name = fold(self.member.full_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "province",
                "member_name",
                "search_name",
            }
        super().save(*args, **kwargs)
