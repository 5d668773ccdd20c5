import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.choices import ChoiceLabels
from config.text import fold
from members.ethnicities import ETHNICITY_CHOICES

if TYPE_CHECKING:
    from accounts.models import User


def on_register_q(day: datetime.date, prefix: str = "") -> models.Q:
    """Members on the register on ``day``: joined on or before it and not left by then.

    Who joined on ``day`` is on the register that day; who left on ``day`` is not (the day
    of leaving is the first day off the register). ``prefix`` reaches the member from another
    model (``"recipient__"``, ``"borrower__"``) for filters and SQL aggregates.
    """
    return models.Q(**{f"{prefix}joined_on__lte": day}) & (
        models.Q(**{f"{prefix}left_on__isnull": True}) | models.Q(**{f"{prefix}left_on__gt": day})
    )


def was_on_register(
    joined_on: datetime.date, left_on: datetime.date | None, day: datetime.date
) -> bool:
    """``on_register_q`` for values already read (a member's two dates)."""
    return joined_on <= day and (left_on is None or left_on > day)


class MemberQuerySet(models.QuerySet["Member"]):
    def on_register(self, day: datetime.date) -> "MemberQuerySet":
        """The members on the register on ``day`` (``on_register_q``)."""
        return self.filter(on_register_q(day))


class Member(ChoiceLabels, models.Model):
    """A person on a club's member register (sổ danh sách thành viên).

    Older/younger is derived from age (the cut-off is ``settings.ISHC_OLDER_AGE``). Ethnicity,
    disability, care needs and household status are sensitive: they are stored only once
    consent is recorded and shown only to the roles ``accounts.scoping`` allows.
    """

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    class Household(models.TextChoices):
        POOR = "poor", _("Poor household")
        NEAR_POOR = "near_poor", _("Near-poor household")
        NOT_POOR = "not_poor", _("Not poor")

    class ConsentMethod(models.TextChoices):
        PAPER = "paper", _("Signed consent form")
        VERBAL = "verbal", _("Verbal consent at a meeting")

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Email")

    club = models.ForeignKey(
        "clubs.Club", verbose_name=_("club"), on_delete=models.PROTECT, related_name="members"
    )
    full_name = models.CharField(_("full name"), max_length=120)
    search_name = models.CharField(max_length=120, editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    ethnicity = models.CharField(
        _("ethnicity"), max_length=30, choices=ETHNICITY_CHOICES, blank=True
    )
    ethnicity_note = models.CharField(_("local group"), max_length=60, blank=True)
    phone = models.CharField(_("phone number"), max_length=15, blank=True)
    email = models.EmailField(_("email"), blank=True)
    village = models.CharField(_("village"), max_length=200, blank=True)
    household_status = models.CharField(
        _("household status"), max_length=10, choices=Household.choices, blank=True
    )
    has_disability = models.BooleanField(_("disability"), default=False)
    lives_alone = models.BooleanField(_("lives alone"), default=False)
    has_health_insurance = models.BooleanField(_("has health insurance"), default=False)
    needs_care = models.BooleanField(_("needs home care"), default=False)
    is_volunteer = models.BooleanField(_("home-care volunteer"), default=False)
    joined_on = models.DateField(_("joined on"), default=datetime.date.today)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    previous_record = models.OneToOneField(
        "self",
        verbose_name=_("record in the previous club"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_record",
    )
    consent_on = models.DateField(_("data consent date"), null=True, blank=True)
    consent_method = models.CharField(
        _("how consent was given"), max_length=10, choices=ConsentMethod.choices, blank=True
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    preferred_channel = models.CharField(
        _("reminder channel"), max_length=5, choices=Channel.choices, default=Channel.SMS
    )
    reminders_opt_out = models.BooleanField(_("no meeting reminders"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()
    history = HistoricalRecords()
    # The code the services write into ``leave_reason`` on a move, as the history shows it.
    history_value_labels: ClassVar[dict[str, dict[str, Any]]] = {
        "leave_reason": {"transfer": _("moved to another club")}
    }
    # Who makes the next save, for its history row (set by the services).
    _history_user: "User | None"
    # Why, when a service says (consent withdrawn, anonymised), for the same row.
    _change_reason: str
    # The name the member was loaded with (``from_db``), to know whether the seats follow.
    _loaded_full_name: str

    scope_club_path = "club"

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["search_name", "pk"]
        indexes = [
            models.Index(fields=["club", "left_on"], name="member_club_active"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="member_left_after_joined",
                violation_error_message=_(
                    "The date of leaving cannot be before the date of joining."
                ),
            ),
            # Sensitive data only with recorded consent (Decree 356/2025).
            models.CheckConstraint(
                condition=models.Q(consent_on__isnull=False)
                | (
                    models.Q(ethnicity="")
                    & models.Q(household_status="")
                    & models.Q(has_disability=False)
                    & models.Q(needs_care=False)
                ),
                name="member_sensitive_needs_consent",
                violation_error_message=_(
                    "Ethnicity, household status, disability and care needs can be recorded only with the member's consent: record the consent first."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.full_name)
        if self.birth_date:
            self.birth_year = self.birth_date.year
        adding = self._state.adding
        super().save(*args, **kwargs)
        # Board seats carry the member's name (``BoardPosition.member_name``, for the index
        # that lists a province's board members in name order): follow a rename. No query
        # for a new member (no seat yet) nor when the name is the one loaded.
        if not adding and getattr(self, "_loaded_full_name", None) != self.full_name:
            self.board_positions.exclude(
                member_name=self.full_name, search_name=self.search_name
            ).update(member_name=self.full_name, search_name=self.search_name)
        self._loaded_full_name = self.full_name

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        if "full_name" in field_names:  # a deferred name is not read here (a query)
            instance._loaded_full_name = instance.full_name
        return instance

    def clean(self) -> None:
        super().clean()
        if self.birth_date and self.birth_year and self.birth_date.year != self.birth_year:
            raise ValidationError(
                {"birth_year": _("The year of birth does not match the date of birth.")}
            )
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError(
                {"left_on": _("The date of leaving must be after the date of joining.")}
            )

    def age_on(self, day: datetime.date) -> int:
        if self.birth_date:
            b = self.birth_date
            return day.year - b.year - ((day.month, day.day) < (b.month, b.day))
        return day.year - self.birth_year

    @property
    def picker_details(self) -> str:
        """What tells namesakes apart where a person is chosen: year of birth and village."""
        return " · ".join(p for p in (str(self.birth_year or ""), self.village) if p)

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    def is_on_register(self, day: datetime.date) -> bool:
        return was_on_register(self.joined_on, self.left_on, day)

    @property
    def age(self) -> int:
        """Age today (by year of birth when the date is not known)."""
        from django.utils import timezone

        return self.age_on(timezone.localdate())


class CompositionTarget(models.Model):
    """The composition targets a club is measured against (Decision 1336; Lai Châu's plan).

    One row, edited by admins; the figures are targets that flag a club, never rules that
    block data entry. Shares are whole percentages of the club's active members.
    """

    min_members = models.PositiveSmallIntegerField(_("fewest members"), default=50)
    max_members = models.PositiveSmallIntegerField(_("most members"), default=70)
    women_min = models.PositiveSmallIntegerField(_("women, lowest %"), default=60)
    women_max = models.PositiveSmallIntegerField(_("women, highest %"), default=70)
    older_min = models.PositiveSmallIntegerField(_("older people, lowest %"), default=60)
    older_max = models.PositiveSmallIntegerField(_("older people, highest %"), default=70)
    younger_min = models.PositiveSmallIntegerField(_("younger people, lowest %"), default=30)
    younger_max = models.PositiveSmallIntegerField(_("younger people, highest %"), default=40)
    poor_min = models.PositiveSmallIntegerField(_("poor or near-poor, lowest %"), default=60)
    poor_max = models.PositiveSmallIntegerField(_("poor or near-poor, highest %"), default=70)
    min_volunteers = models.PositiveSmallIntegerField(_("fewest home-care volunteers"), default=5)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("composition target")
        verbose_name_plural = _("composition targets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_members__lte=models.F("max_members"))
                & models.Q(women_min__lte=models.F("women_max"))
                & models.Q(older_min__lte=models.F("older_max"))
                & models.Q(younger_min__lte=models.F("younger_max"))
                & models.Q(poor_min__lte=models.F("poor_max")),
                name="composition_target_ranges",
                violation_error_message=_("Each minimum must not be greater than its maximum."),
            ),
            models.CheckConstraint(
                condition=models.Q(women_max__lte=100)
                & models.Q(older_max__lte=100)
                & models.Q(younger_max__lte=100)
                & models.Q(poor_max__lte=100),
                name="composition_target_percent",
                violation_error_message=_("A percentage cannot be more than 100."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Composition targets"))

    @classmethod
    def current(cls) -> "CompositionTarget":
        """The row in force (the first); the defaults if an admin deleted it."""
        return cls.objects.order_by("pk").first() or cls()


class CareAssignment(ChoiceLabels, models.Model):
    """A home-care volunteer looking after a member who needs care, for a period."""

    volunteer = models.ForeignKey(
        Member,
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="care_given",
    )
    recipient = models.ForeignKey(
        Member,
        verbose_name=_("care recipient"),
        on_delete=models.PROTECT,
        related_name="care_received",
    )
    start_on = models.DateField(_("from"), default=datetime.date.today)
    end_on = models.DateField(_("to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    # Who makes the next save, for its history row (set by the services).
    _history_user: "User | None"

    scope_club_path = "volunteer__club"

    class Meta:
        verbose_name = _("care assignment")
        verbose_name_plural = _("care assignments")
        ordering = ["-start_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="care_assignment_period_order",
                violation_error_message=_("The care cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~models.Q(volunteer=models.F("recipient")),
                name="care_assignment_not_self",
                violation_error_message=_("A volunteer cannot be assigned to care for themselves."),
            ),
        ]
        indexes = [models.Index(fields=["recipient", "end_on"], name="care_recipient_current")]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.recipient}"

    def clean(self) -> None:
        super().clean()
        if self.volunteer_id and self.recipient_id:
            if self.volunteer_id == self.recipient_id:
                raise ValidationError(_("A volunteer cannot be their own care recipient."))
            if self.volunteer.club_id != self.recipient.club_id:
                raise ValidationError(
                    _("The volunteer and the recipient must be in the same club.")
                )

    @property
    def is_current(self) -> bool:
        return self.end_on is None


class ImportJob(ChoiceLabels, models.Model):
    """One upload of a member list from Excel: checked rows, then committed all or none.

    The parsed rows wait here (as JSON, not as a file on disk) between the preview and the
    commit; they are cleared once the import is done.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Checked, waiting for confirmation")
        QUEUED = "queued", _("Waiting to run")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    club = models.ForeignKey(
        "clubs.Club", verbose_name=_("club"), on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    rows = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    total = models.PositiveIntegerField(_("rows"), default=0)
    progress = models.PositiveIntegerField(_("rows done"), default=0)
    created_count = models.PositiveIntegerField(_("members added"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When it was queued or last claimed by a worker: a job still queued or running long after
    # this lost its task or its worker, and is marked failed (``import_fail_stale``).
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    scope_club_path = "club"

    class Meta:
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.club}: {self.filename}"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.progress / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def can_run_again(self) -> bool:
        """A failed job still holds its checked rows: it may be run again without a new upload
        (every row is checked against the register again when it runs)."""
        return self.status == self.Status.FAILED and bool(self.rows) and not self.problems


def member_export_upload_to(instance: "MemberExportJob", filename: str) -> str:
    return f"members/exports/{instance.area_id}/{filename}"


class MemberExportJob(ChoiceLabels, models.Model):
    """The member register of a commune or province as .xlsx, built in the background (tens
    of thousands of rows would hold a web worker for seconds); the file is served only
    through a scoped view, to the person who asked for it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to run")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    area = models.ForeignKey(
        "clubs.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="+"
    )
    # The list's search and filters as the query string they came in (re-read by the job).
    query = models.CharField(_("search and filters"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    progress = models.PositiveIntegerField(_("rows done"), default=0)
    file = models.FileField(
        _("file"), upload_to=member_export_upload_to, max_length=300, blank=True
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    scope_area_path = "area"

    class Meta:
        verbose_name = _("member export")
        verbose_name_plural = _("member exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.area}: {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, round(100 * self.progress / self.total)) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ClubComposition(models.Model):
    """A club's composition today (its active members by sex, age, household and
    volunteering), kept so that an area's composition page sums rows instead of counting
    members (``members.composition``).

    Recomputed when the club's summaries are marked dirty (a member joins, changes, leaves),
    by ``manage.py rebuild_summaries``, and when the page finds the row behind the club
    (renamed, moved, dissolved, never computed). ``n_older`` is counted on ``computed_on``;
    ``older_changes_on`` is the first day an active younger member turns older (None: none
    will), from which the row is recomputed before it is read.
    """

    club = models.OneToOneField(
        "clubs.Club", primary_key=True, on_delete=models.CASCADE, related_name="composition"
    )
    # Copied from the club: the page filters, sorts and shows them without a join.
    province = models.ForeignKey(
        "clubs.Area", null=True, on_delete=models.CASCADE, related_name="+"
    )
    commune = models.ForeignKey("clubs.Area", on_delete=models.CASCADE, related_name="+")
    club_name = models.CharField(max_length=200)
    commune_name = models.CharField(max_length=200)
    dissolved = models.BooleanField(default=False)

    n_members = models.PositiveIntegerField(default=0)
    n_women = models.PositiveIntegerField(default=0)
    n_older = models.PositiveIntegerField(default=0)
    n_poor = models.PositiveIntegerField(default=0)
    n_volunteers = models.PositiveIntegerField(default=0)

    older_age = models.PositiveSmallIntegerField(default=0)  # settings.ISHC_OLDER_AGE then
    computed_on = models.DateField()
    older_changes_on = models.DateField(null=True, blank=True)

    scope_club_path = "club"
    scope_province_field = "province"

    class Meta:
        verbose_name = _("club composition")
        verbose_name_plural = _("club compositions")
        indexes = [
            # The refresh finds the rows a birthday made out of date. (The page's order,
            # province then commune and club name in Vietnamese order, has an index of its
            # own on PostgreSQL: migration 0008.)
            models.Index(fields=["older_changes_on"], name="composition_older_changes"),
        ]

    def __str__(self) -> str:
        return f"{self.club_name}: {self.n_members}"
