"""Writes of the reports upward (``PeriodicReport``): create, compile, write, submit, review,
reopen. Who may do what (docs/reports.md, "Reports upward"):

- a commune's report is written and submitted by the staff of that commune, reviewed
  (returned with a comment, or accepted) by the staff of its province;
- a province's report is written and submitted by the staff of that province, reviewed by the
  central association (the admin role);
- an accepted report is locked; the reviewer's level may reopen it, with a reason.

Every step is a ``PeriodicReportStep`` (who, when, comment).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scoping import effective_role
from clubs.models import Area
from config.tasks import enqueue_on_commit
from reports import periodic
from reports.models import PeriodicReport, PeriodicReportStep, narrative_label
from reports.tasks import compile_periodic_report

if TYPE_CHECKING:
    from accounts.models import User

Step = PeriodicReportStep.Action
State = PeriodicReport.State


class ReportError(ValidationError):
    """A refused step of a report upward; views put it next to its field."""


def _log(report: PeriodicReport, action: str, by: User | None, comment: str = "") -> None:
    PeriodicReportStep.objects.create(report=report, action=action, by=by, comment=comment)


def writes(report: PeriodicReport, user: User) -> bool:
    """Whether ``user`` writes this report: the staff of its own area."""
    role = effective_role(user)
    if report.area.level == Area.Level.PROVINCE:
        return role == Role.PROVINCE and user.area_id == report.area_id
    return role == Role.COMMUNE and user.area_id == report.area_id


def reviews(report: PeriodicReport, user: User) -> bool:
    """Whether ``user`` reviews this report: the province for a commune, the central
    association (admin) for a province."""
    role = effective_role(user)
    if role == Role.ADMIN:
        return True
    if report.area.level == Area.Level.COMMUNE:
        return role == Role.PROVINCE and user.area_id == report.area.province_id
    return False


def due_date(level: str, kind: str, year: int, half: int | None) -> datetime.date:
    """The day a report of an area of ``level`` is due: so many days after the period's end
    (settings)."""
    span = periodic.span_of(kind, year, half)
    days = (
        settings.ISHC_PERIODIC_PROVINCE_DAYS
        if level == Area.Level.PROVINCE
        else settings.ISHC_PERIODIC_COMMUNE_DAYS
    )
    return span.last_day + datetime.timedelta(days=days)


def due_on(report: PeriodicReport) -> datetime.date:
    return due_date(report.area.level, report.kind, report.year, report.half)


def is_late(report: PeriodicReport | None, due: datetime.date, today: datetime.date) -> bool:
    if report is None or report.submitted_at is None:
        return today > due
    return timezone.localdate(report.submitted_at) > due


def _may_start(kind: str, year: int, half: int | None, today: datetime.date) -> None:
    """A report can be written from the first day of its period's last month (the review
    meeting is held at the end of the period), never for a later period."""
    span = periodic.span_of(kind, year, half, today)
    last_month_starts = span.last_day.replace(day=1)
    if today < last_month_starts:
        raise ReportError(
            {
                "year": _(
                    "This period has not reached its last month yet: its report can be "
                    "written from %(day)s."
                )
                % {"day": last_month_starts.strftime("%d/%m/%Y")}
            }
        )


def report_create(
    *, area: Area, kind: str, year: int, half: int | None, by: User
) -> PeriodicReport:
    """Start a report (draft) and compile its figures in the background."""
    if area.level not in (Area.Level.COMMUNE, Area.Level.PROVINCE):
        raise ReportError({"area": _("Reports upward are written by a commune or a province.")})
    if kind == PeriodicReport.Kind.SIX_MONTH and half not in (1, 2):
        raise ReportError({"half": _("Choose the first or the second half of the year.")})
    if kind != PeriodicReport.Kind.SIX_MONTH:
        half = None
    _may_start(kind, year, half, timezone.localdate())
    report = PeriodicReport(area=area, kind=kind, year=year, half=half, created_by=by)
    if PeriodicReport.objects.filter(area=area, kind=kind, year=year, half=half).exists():
        raise ReportError(
            {"year": _("This area already has a report of this kind for this period.")}
        )
    try:
        with transaction.atomic():
            report.save()
            _log(report, Step.CREATED, by)
            _queue_compile(report)
    except IntegrityError as exc:  # two people starting the same report at once
        raise ReportError(
            {"year": _("This area already has a report of this kind for this period.")}
        ) from exc
    return report


def _queue_compile(report: PeriodicReport) -> None:
    PeriodicReport.objects.filter(pk=report.pk).update(
        compile_status=PeriodicReport.Compile.QUEUED, compile_progress=0, compile_message=""
    )
    report.compile_status = PeriodicReport.Compile.QUEUED
    enqueue_on_commit(compile_periodic_report, report.pk)


def compile_request(*, report: PeriodicReport, by: User) -> PeriodicReport:
    """Compile the figures again (before submitting: the page then shows what changed)."""
    if not (writes(report, by) or reviews(report, by)):
        raise ReportError(_("Only the staff who write or review this report can compile it."))
    if report.is_locked:
        raise ReportError(_("An accepted report is locked; reopen it first."))
    with transaction.atomic():
        _queue_compile(report)
    return report


def narrative_save(*, report: PeriodicReport, data: dict[str, Any], by: User) -> PeriodicReport:
    """Write the narrative and the document's heading (number, signer)."""
    if not writes(report, by):
        raise ReportError(
            _("Only the staff of %(area)s write this report.") % {"area": report.area}
        )
    if not report.is_editable:
        raise ReportError(_("A submitted or accepted report cannot be changed."))
    fields = [*PeriodicReport.NARRATIVE_FIELDS, "number", "signer_name", "signer_position"]
    with transaction.atomic():
        locked = PeriodicReport.objects.select_for_update().get(pk=report.pk)
        if not locked.is_editable:
            raise ReportError(_("A submitted or accepted report cannot be changed."))
        for name in fields:
            if name in data:
                setattr(locked, name, (data[name] or "").strip())
        locked.save(update_fields=[*fields, "updated_at"])
        _log(locked, Step.EDITED, by)
    return locked


def missing_for_submission(report: PeriodicReport) -> list[str]:
    """What a report still lacks before it can be submitted (empty: nothing)."""
    missing = []
    for name in PeriodicReport.REQUIRED_NARRATIVE:
        if not (getattr(report, name) or "").strip():
            missing.append(_("The section “%(name)s” is empty.") % {"name": narrative_label(name)})
    if not report.annex or report.compile_status != PeriodicReport.Compile.DONE:
        missing.append(_("The figures have not been compiled yet."))
    return missing


def report_submit(*, report: PeriodicReport, by: User) -> PeriodicReport:
    if not writes(report, by):
        raise ReportError(
            _("Only the staff of %(area)s submit this report.") % {"area": report.area}
        )
    with transaction.atomic():
        locked = PeriodicReport.objects.select_for_update().select_related("area").get(pk=report.pk)
        if not locked.is_editable:
            raise ReportError(_("This report was already submitted."))
        missing = missing_for_submission(locked)
        if missing:
            raise ReportError(missing)
        locked.state = State.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = by
        locked.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
        _log(locked, Step.SUBMITTED, by)
    return locked


def report_return(*, report: PeriodicReport, by: User, comment: str) -> PeriodicReport:
    comment = (comment or "").strip()
    if not comment:
        raise ReportError({"comment": _("Say what needs to change before it is sent again.")})
    return _review(report, by, State.RETURNED, Step.RETURNED, comment)


def report_accept(*, report: PeriodicReport, by: User) -> PeriodicReport:
    return _review(report, by, State.ACCEPTED, Step.ACCEPTED, "")


def _review(
    report: PeriodicReport, by: User, state: str, action: str, comment: str
) -> PeriodicReport:
    if not reviews(report, by):
        raise ReportError(_("Only the level above reviews this report."))
    with transaction.atomic():
        locked = PeriodicReport.objects.select_for_update().select_related("area").get(pk=report.pk)
        if locked.state != State.SUBMITTED:
            raise ReportError(_("Only a submitted report can be reviewed."))
        locked.state = state
        if comment:
            locked.review_comment = comment
        locked.save(update_fields=["state", "review_comment", "updated_at"])
        _log(locked, action, by, comment)
    return locked


def report_reopen(*, report: PeriodicReport, by: User, reason: str) -> PeriodicReport:
    """Unlock an accepted report (the reviewer's level, with a reason): it goes back to its
    writers as returned, with the reason as the comment."""
    reason = (reason or "").strip()
    if not reason:
        raise ReportError({"comment": _("Give the reason for reopening.")})
    if not reviews(report, by):
        raise ReportError(_("Only the level above reopens this report."))
    with transaction.atomic():
        locked = PeriodicReport.objects.select_for_update().select_related("area").get(pk=report.pk)
        if locked.state != State.ACCEPTED:
            raise ReportError(_("Only an accepted report can be reopened."))
        locked.state = State.RETURNED
        locked.review_comment = reason
        locked.save(update_fields=["state", "review_comment", "updated_at"])
        _log(locked, Step.REOPENED, by, reason)
    return locked


def compile_run(*, report_id: int) -> bool:
    """Compile a queued report (``reports.periodic.compile_run``)."""
    return periodic.compile_run(report_id=report_id)
