"""The figures dashboards read, and the export jobs.

Dashboards never count raw records at request time: they sum ``ClubMonthSummary`` rows (one
per club and month) grouped by commune or province. The rows are kept fresh by
``reports.summary``: signals mark a (club, month) dirty, a task every minute recomputes the
dirty ones in set-based SQL, and ``manage.py rebuild_summaries`` rebuilds them from scratch.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.choices import ChoiceLabels


class ClubMonthSummary(models.Model):
    """What one club looked like in one month: stocks at the month's last day (members, funds,
    loans) and flows within the month (meetings, activities, visits, checks).

    ``province`` and ``commune`` are copied from the club so that dashboards group without a
    join. ``counted`` is false before the club was founded and once it is dissolved; dashboards
    only sum counted rows.
    """

    club = models.ForeignKey("clubs.Club", on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(
        "clubs.Area", null=True, on_delete=models.CASCADE, related_name="+"
    )
    commune = models.ForeignKey("clubs.Area", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    ym = models.PositiveIntegerField(help_text="year * 100 + month")

    counted = models.BooleanField(default=True)
    active = models.PositiveSmallIntegerField(default=0)  # 1 if active at the month's end
    founded = models.PositiveSmallIntegerField(default=0)  # 1 if founded in the month

    # Members on the register at the month's end, and movements in the month.
    members = models.PositiveIntegerField(default=0)
    women = models.PositiveIntegerField(default=0)
    older = models.PositiveIntegerField(default=0)
    poor = models.PositiveIntegerField(default=0)
    volunteers = models.PositiveIntegerField(default=0)
    joined = models.PositiveIntegerField(default=0)
    left = models.PositiveIntegerField(default=0)
    borrowers = models.PositiveIntegerField(default=0)

    # Home care: members in need at the month's end, those with a volunteer, visits.
    needing_care = models.PositiveIntegerField(default=0)
    cared_for = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)
    visited = models.PositiveIntegerField(default=0)

    # Meetings, attendance, health checks, activities in the month.
    meetings_held = models.PositiveIntegerField(default=0)
    attendance_present = models.PositiveIntegerField(default=0)
    attendance_marked = models.PositiveIntegerField(default=0)
    health_checked = models.PositiveIntegerField(default=0)
    health_high = models.PositiveIntegerField(default=0)
    activities = models.PositiveIntegerField(default=0)
    activity_participants = models.PositiveIntegerField(default=0)

    # The month's report ("" when there is none).
    report_status = models.CharField(max_length=10, blank=True)
    report_late_submission = models.BooleanField(default=False)

    # Club fund balances at the month's end, by kind (VND).
    fund_revolving = models.BigIntegerField(default=0)
    fund_operating = models.BigIntegerField(default=0)
    fund_care = models.BigIntegerField(default=0)
    fund_other = models.BigIntegerField(default=0)

    # Loans at the month's end, and disbursed in the month.
    loans_outstanding = models.BigIntegerField(default=0)
    loans_at_risk = models.BigIntegerField(default=0)  # outstanding of loans > 30 days late
    loans_disbursed = models.PositiveIntegerField(default=0)
    loans_disbursed_amount = models.BigIntegerField(default=0)

    # Trainings: the chair at the month's end was trained; members trained in the month.
    chair_trained = models.PositiveSmallIntegerField(default=0)
    members_trained = models.PositiveIntegerField(default=0)

    computed_at = models.DateTimeField(auto_now=True)

    scope_club_path = "club"

    class Meta:
        verbose_name = _("club month summary")
        verbose_name_plural = _("club month summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["club", "ym"],
                name="club_month_summary_unique",
                violation_error_message=_("This club's month is already summarised."),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "ym"], name="summary_province_ym"),
            models.Index(fields=["commune", "ym"], name="summary_commune_ym"),
        ]

    def __str__(self) -> str:
        return f"{self.club_id} {self.month:02d}/{self.year}"


class ClubMonthActivity(models.Model):
    """Activities of one club in one month in one of the activity areas (only non-zero rows)."""

    club = models.ForeignKey("clubs.Club", on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(
        "clubs.Area", null=True, on_delete=models.CASCADE, related_name="+"
    )
    commune = models.ForeignKey("clubs.Area", on_delete=models.CASCADE, related_name="+")
    activity_area = models.ForeignKey(
        "month.ActivityArea", on_delete=models.CASCADE, related_name="+"
    )
    ym = models.PositiveIntegerField()
    activities = models.PositiveIntegerField(default=0)
    participants = models.PositiveIntegerField(default=0)

    scope_club_path = "club"

    class Meta:
        verbose_name = _("club month activities")
        verbose_name_plural = _("club month activities")
        constraints = [
            models.UniqueConstraint(
                fields=["club", "ym", "activity_area"],
                name="club_month_activity_unique",
                violation_error_message=_(
                    "This club's month already has a count for this activity area."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "ym"], name="activity_sum_province_ym"),
            models.Index(fields=["commune", "ym"], name="activity_sum_commune_ym"),
        ]

    def __str__(self) -> str:
        return f"{self.club_id} {self.ym} {self.activity_area_id}"


class AreaMonthSummary(models.Model):
    """What an association (a commune or a province) holds itself in one month: its own funds
    (the care fund) and the people of the area trained. Only non-zero rows are kept."""

    area = models.ForeignKey("clubs.Area", on_delete=models.CASCADE, related_name="+")
    # The area's province (the area itself for a province): one filter covers a province tree.
    province = models.ForeignKey(
        "clubs.Area", null=True, on_delete=models.CASCADE, related_name="+"
    )
    ym = models.PositiveIntegerField()
    fund_revolving = models.BigIntegerField(default=0)
    fund_operating = models.BigIntegerField(default=0)
    fund_care = models.BigIntegerField(default=0)
    fund_other = models.BigIntegerField(default=0)
    trained_people = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    scope_area_path = "area"

    class Meta:
        verbose_name = _("area month summary")
        verbose_name_plural = _("area month summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "ym"],
                name="area_month_summary_unique",
                violation_error_message=_("This area's month is already summarised."),
            ),
        ]
        indexes = [models.Index(fields=["province", "ym"], name="area_sum_province_ym")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.ym}"


class ClubYearSummary(models.Model):
    """Every dashboard figure of one club for a whole year, as the dashboard's year view
    would sum it from the club's ``ClubMonthSummary`` rows (``reports.selectors.aggregates``
    grouped by club): the year view adds up one row per club instead of twelve.

    A year's figures depend on the day they were computed: its months (the current year's
    go up to the current month; the oldest year starts at the history window), its stock
    month and the months whose report deadline has passed. ``first_ym``, ``stock_ym`` and
    ``due_through`` record them; the dashboard reads only rows that match the period as it
    is today and sums the month rows otherwise. A club that moved commune in the year has a
    row per (commune, province), as its month rows are grouped on the dashboard.
    """

    club = models.ForeignKey("clubs.Club", on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(
        "clubs.Area", null=True, on_delete=models.CASCADE, related_name="+"
    )
    commune = models.ForeignKey("clubs.Area", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    first_ym = models.PositiveIntegerField()
    stock_ym = models.PositiveIntegerField()
    due_through = models.PositiveIntegerField(default=0, help_text="last month due, or 0")

    clubs = models.BigIntegerField(default=0)
    clubs_counted = models.BigIntegerField(default=0)
    founded = models.BigIntegerField(default=0)
    younger = models.BigIntegerField(default=0)
    not_cared = models.BigIntegerField(default=0)
    member_months = models.BigIntegerField(default=0)
    met = models.BigIntegerField(default=0)
    not_met = models.BigIntegerField(default=0)
    reports_expected = models.BigIntegerField(default=0)
    reports_submitted = models.BigIntegerField(default=0)
    reports_reviewed = models.BigIntegerField(default=0)
    reports_approved = models.BigIntegerField(default=0)
    reports_late = models.BigIntegerField(default=0)
    reports_due = models.BigIntegerField(default=0)
    members = models.BigIntegerField(default=0)
    women = models.BigIntegerField(default=0)
    older = models.BigIntegerField(default=0)
    poor = models.BigIntegerField(default=0)
    volunteers = models.BigIntegerField(default=0)
    needing_care = models.BigIntegerField(default=0)
    cared_for = models.BigIntegerField(default=0)
    borrowers = models.BigIntegerField(default=0)
    fund_revolving = models.BigIntegerField(default=0)
    fund_operating = models.BigIntegerField(default=0)
    fund_care = models.BigIntegerField(default=0)
    fund_other = models.BigIntegerField(default=0)
    loans_outstanding = models.BigIntegerField(default=0)
    loans_at_risk = models.BigIntegerField(default=0)
    chair_trained = models.BigIntegerField(default=0)
    joined = models.BigIntegerField(default=0)
    left = models.BigIntegerField(default=0)
    visits = models.BigIntegerField(default=0)
    visited = models.BigIntegerField(default=0)
    meetings_held = models.BigIntegerField(default=0)
    attendance_present = models.BigIntegerField(default=0)
    attendance_marked = models.BigIntegerField(default=0)
    health_checked = models.BigIntegerField(default=0)
    health_high = models.BigIntegerField(default=0)
    activities = models.BigIntegerField(default=0)
    activity_participants = models.BigIntegerField(default=0)
    loans_disbursed = models.BigIntegerField(default=0)
    loans_disbursed_amount = models.BigIntegerField(default=0)
    members_trained = models.BigIntegerField(default=0)
    met_0 = models.BigIntegerField(default=0)
    met_1 = models.BigIntegerField(default=0)
    met_2 = models.BigIntegerField(default=0)
    active_0 = models.BigIntegerField(default=0)
    active_1 = models.BigIntegerField(default=0)
    active_2 = models.BigIntegerField(default=0)

    computed_at = models.DateTimeField(auto_now=True)

    scope_club_path = "club"
    scope_province_field = "province"

    class Meta:
        verbose_name = _("club year summary")
        verbose_name_plural = _("club year summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["club", "year", "commune", "province"],
                name="club_year_summary_unique",
                violation_error_message=_("This club's year is already summarised."),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "year"], name="year_sum_province_year"),
            models.Index(fields=["commune", "year"], name="year_sum_commune_year"),
            models.Index(fields=["year", "stock_ym"], name="year_sum_year_stock"),
        ]

    def __str__(self) -> str:
        return f"{self.club_id} {self.year}"


# What the year view reads of ``ClubYearActivity`` (``reports.selectors._year_activities``).
YEAR_ACTIVITY_SUMMED = ["activity_area", "first_ym", "last_ym", "activities", "participants"]


class ClubYearActivity(models.Model):
    """``ClubMonthActivity`` summed over a year's months (``first_ym`` to ``last_ym``, as the
    dashboard's year view reads them); only non-zero rows."""

    club = models.ForeignKey("clubs.Club", on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(
        "clubs.Area", null=True, on_delete=models.CASCADE, related_name="+"
    )
    commune = models.ForeignKey("clubs.Area", on_delete=models.CASCADE, related_name="+")
    activity_area = models.ForeignKey(
        "month.ActivityArea", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    first_ym = models.PositiveIntegerField()
    last_ym = models.PositiveIntegerField()
    activities = models.PositiveIntegerField(default=0)
    participants = models.PositiveIntegerField(default=0)

    scope_club_path = "club"

    class Meta:
        verbose_name = _("club year activities")
        verbose_name_plural = _("club year activities")
        indexes = [
            models.Index(fields=["club", "year"], name="year_activity_club_year"),
            # Covering (PostgreSQL): a province's or commune's year is summed from the index
            # alone, not from one heap page per club.
            models.Index(
                fields=["province", "year"],
                include=YEAR_ACTIVITY_SUMMED,
                name="year_activity_province_year",
            ),
            models.Index(
                fields=["commune", "year"],
                include=YEAR_ACTIVITY_SUMMED,
                name="year_activity_commune_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.club_id} {self.year} {self.activity_area_id}"


class SummaryDirty(models.Model):
    """A (club, month) or (area, month) whose summary must be recomputed: written (after the
    commit) by the signals, claimed and deleted by the periodic recompute."""

    club = models.ForeignKey("clubs.Club", null=True, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("clubs.Area", null=True, on_delete=models.CASCADE, related_name="+")
    ym = models.PositiveIntegerField()
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("summary to recompute")
        verbose_name_plural = _("summaries to recompute")
        constraints = [
            models.UniqueConstraint(
                fields=["club", "ym"],
                condition=Q(club__isnull=False),
                name="dirty_club_month",
                violation_error_message=_(
                    "This club's month is already waiting to be summarised again."
                ),
            ),
            models.UniqueConstraint(
                fields=["area", "ym"],
                condition=Q(area__isnull=False),
                name="dirty_area_month",
                violation_error_message=_(
                    "This area's month is already waiting to be summarised again."
                ),
            ),
            models.CheckConstraint(
                condition=Q(club__isnull=False, area__isnull=True)
                | Q(club__isnull=True, area__isnull=False),
                name="dirty_club_or_area",
                violation_error_message=_(
                    "A summary to redo names either a club or an area, not both."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.club_id or self.area_id} {self.ym}"


def export_upload_to(instance: ExportJob, filename: str) -> str:
    return f"reports/exports/{instance.area_id}/{filename}"


class ExportJob(ChoiceLabels, models.Model):
    """A summary report for the central association being built in the background; its file
    is served only through a scoped view, to the person who asked for it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to run")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    area = models.ForeignKey(
        "clubs.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=export_upload_to, max_length=300, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    scope_area_path = "area"

    class Meta:
        verbose_name = _("summary export")
        verbose_name_plural = _("summary exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.area} {self.period}"

    @property
    def period(self) -> str:
        return f"{self.month:02d}/{self.year}" if self.month else str(self.year)

    @property
    def period_param(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class PeriodicReport(ChoiceLabels, models.Model):
    """A report of an association level to the level above (docs/reports.md, "Reports
    upward"): the commune's to the province, the province's to the central association.

    Its statistical annex is compiled from the records as of the period's end (``annex``,
    never typed); its narrative is written here. draft → submitted → accepted, or returned
    with a comment and submitted again; accepted is locked until reopened with a reason.
    """

    class Kind(models.TextChoices):
        SIX_MONTH = "six_month", _("Six-month review")
        ANNUAL = "annual", _("Annual review")
        PROGRAMME = "programme", _("ISHC programme progress")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    class Compile(models.TextChoices):
        NONE = "", _("Not compiled")
        QUEUED = "queued", _("Waiting to compile")
        RUNNING = "running", _("Compiling")
        DONE = "done", _("Compiled")
        FAILED = "failed", _("Compiling failed")

    NARRATIVE_FIELDS = ("results", "shortcomings", "lessons", "tasks", "proposals")
    REQUIRED_NARRATIVE = ("results", "shortcomings", "tasks")

    area = models.ForeignKey(
        "clubs.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(
        _("half-year"), null=True, blank=True, help_text=_("1 or 2 for a six-month review.")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    number = models.CharField(_("document number"), max_length=40, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=120, blank=True)
    signer_position = models.CharField(_("position of the signer"), max_length=120, blank=True)
    results = models.TextField(_("results"), blank=True)
    shortcomings = models.TextField(_("shortcomings and their causes"), blank=True)
    lessons = models.TextField(_("lessons learnt"), blank=True)
    tasks = models.TextField(_("tasks for the next period"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    annex = models.JSONField(_("statistical annex"), default=dict, blank=True)
    changes = models.JSONField(default=list, blank=True, editable=False)
    compile_status = models.CharField(max_length=10, choices=Compile.choices, blank=True)
    compile_progress = models.PositiveSmallIntegerField(default=0)
    compile_message = models.CharField(max_length=300, blank=True)
    compiled_at = models.DateTimeField(_("compiled at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_area_path = "area"

    class Meta:
        verbose_name = _("report upward")
        verbose_name_plural = _("reports upward")
        ordering = ["-year", "-half", "area__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "kind", "year", "half"],
                name="periodic_report_once",
                nulls_distinct=False,
                violation_error_message=_(
                    "This area already has a report of this kind for this period."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(kind="six_month") & Q(half__in=[1, 2]))
                | (~Q(kind="six_month") & Q(half__isnull=True)),
                name="periodic_report_period",
                violation_error_message=_(
                    "A six-month review is for the first or second half of a year; "
                    "an annual or programme report is for a whole year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="periodic_report_year",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
        ]
        indexes = [models.Index(fields=["area", "year"], name="periodic_area_year")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_label} — {self.area}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:periodic_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        if self.kind == self.Kind.SIX_MONTH:
            label = _("first half of %(year)s") if self.half == 1 else _("second half of %(year)s")
            return str(label) % {"year": self.year}
        return str(self.year)

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.ACCEPTED

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class PeriodicReportStep(ChoiceLabels, models.Model):
    """One step of a report upward: who did what, when, and why."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        COMPILED = "compiled", _("Figures compiled")
        EDITED = "edited", _("Narrative edited")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")
        REOPENED = "reopened", _("Reopened")

    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    scope_area_path = "report__area"

    class Meta:
        verbose_name = _("step of a report upward")
        verbose_name_plural = _("steps of reports upward")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%d/%m/%Y %H:%M}"


def narrative_label(name: str) -> str:
    """The label of a narrative section of ``PeriodicReport`` (its field's verbose name)."""
    field = PeriodicReport._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))
