"""The monthly report (báo cáo tháng) and its approval chain.

Compiled from the month's records (``month.models.records``), submitted by the club, reviewed
by the commune and approved by the province; approval locks the month (``month.locking``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.choices import ChoiceLabels


class MonthlyReport(ChoiceLabels, models.Model):
    """A club's report for one month (báo cáo tháng), compiled from the month's records.

    draft → submitted (leader) → reviewed (commune staff) → approved (provincial staff); either
    reviewer can return it with a comment, and the leader submits it again. Approval locks the
    month; provincial staff can reopen it. Every step is a ``MonthlyReportEvent``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed by the commune")
        APPROVED = "approved", _("Approved by the province")
        RETURNED = "returned", _("Returned")

    club = models.ForeignKey(
        "clubs.Club",
        verbose_name=_("club"),
        on_delete=models.PROTECT,
        related_name="monthly_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    compiled_at = models.DateTimeField(_("compiled at"), null=True, blank=True)
    narrative = models.TextField(_("activities and results"), blank=True)
    difficulties = models.TextField(_("difficulties and proposals"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_comment = models.TextField(_("comment"), blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The club's province, kept here so that a province's inbox is read from one index
    # instead of walking every report of the country (set on save; Club.save and Area.save
    # move it when a club or a commune changes province).
    province = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("province"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    scope_club_path = "club"
    scope_province_field = "province"

    class Meta:
        db_table = "clubs_monthlyreport"
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-year", "-month", "club__name"]
        indexes = [
            models.Index(fields=["year", "month", "status"], name="report_month_status"),
            # The inbox's keyset pages (``month.selectors.REPORT_LIST_KEYS``): a province's
            # reports of one step, or of every step, newest month first, then by id.
            models.Index(
                fields=["province", "status", "-year", "-month", "-id"],
                name="report_province_status_seek",
            ),
            models.Index(
                fields=["province", "-year", "-month", "-id"], name="report_province_seek"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["club", "year", "month"],
                name="report_unique_month",
                violation_error_message=_("The club already has a report for this month."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="report_month_range",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.club} {self.month:02d}/{self.year}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.province_id is None:  # a new report (Club.save follows a club's moves)
            self.province_id = self.club.province_id
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "province"}
        super().save(*args, **kwargs)

    @property
    def period(self) -> str:
        return f"{self.month:02d}/{self.year}"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def is_editable(self) -> bool:
        """The leader may change the text and recompile: draft or returned."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class MonthlyReportEvent(ChoiceLabels, models.Model):
    """One step in a monthly report's life: who did what, when, with which comment."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        COMPILED = "compiled", _("Figures compiled")
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed")
        APPROVED = "approved", _("Approved by the province")
        RETURNED = "returned", _("Returned")
        REOPENED = "reopened", _("Reopened")

    report = models.ForeignKey(
        MonthlyReport,
        verbose_name=_("monthly report"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_status = models.CharField(max_length=10, choices=MonthlyReport.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=MonthlyReport.Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    scope_club_path = "report__club"

    class Meta:
        db_table = "clubs_monthlyreportevent"
        verbose_name = _("monthly report event")
        verbose_name_plural = _("monthly report events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report}: {self.get_action_display()}"
