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
            models.UniqueConstraint(fields=["club", "ym"], name="club_month_summary_unique"),
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
                fields=["club", "ym", "activity_area"], name="club_month_activity_unique"
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
            models.UniqueConstraint(fields=["area", "ym"], name="area_month_summary_unique"),
        ]
        indexes = [models.Index(fields=["province", "ym"], name="area_sum_province_ym")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.ym}"


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
                fields=["club", "ym"], condition=Q(club__isnull=False), name="dirty_club_month"
            ),
            models.UniqueConstraint(
                fields=["area", "ym"], condition=Q(area__isnull=False), name="dirty_area_month"
            ),
            models.CheckConstraint(
                condition=Q(club__isnull=False, area__isnull=True)
                | Q(club__isnull=True, area__isnull=False),
                name="dirty_club_or_area",
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
