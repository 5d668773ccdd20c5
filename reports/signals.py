"""Mark the summaries a change touches as dirty (connected in ``ReportsConfig.ready``).

The project prefers explicit calls over signals; here a signal is the right tool because
``reports`` depends on every other app and nothing may depend on it: the other apps save
their records as they like, and the summary learns about it here. Bulk writes that skip
signals are covered by the record saved alongside them (a meeting's attendance by the
meeting, an import's members by the import job) and by the nightly rebuild of recent months.

Each handler only works out (club or area, since which day) and calls ``summary.mark_*``;
the marks are written once the writer's transaction commits.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from reports import summary


def _dated(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Meetings, health checks, activities, visits: their month (and the month they were
    moved from)."""
    summary.mark_club(instance.club_id, instance.date, instance.date)
    loaded = getattr(instance, "_loaded_lock_point", None)
    if loaded and loaded != (instance.club_id, instance.date) and loaded[1]:
        summary.mark_club(loaded[0], loaded[1], loaded[1])


def _attendance(sender: Any, instance: Any, **kwargs: Any) -> None:
    from month.models import Meeting

    row = Meeting.objects.filter(pk=instance.meeting_id).values("club_id", "date").first()
    if row:
        summary.mark_club(row["club_id"], row["date"], row["date"])


def _activity_areas(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear") and hasattr(instance, "club_id"):
        summary.mark_club(instance.club_id, instance.date, instance.date)


def _monthly_report(sender: Any, instance: Any, **kwargs: Any) -> None:
    day = datetime.date(instance.year, instance.month, 1)
    summary.mark_club(instance.club_id, day, day)


def _club(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Status, commune or founding date change every month's row (the commune is copied).
    summary.mark_club(instance.pk)


def _member(sender: Any, instance: Any, **kwargs: Any) -> None:
    summary.mark_club(instance.club_id, instance.joined_on)


def _care(sender: Any, instance: Any, **kwargs: Any) -> None:
    from members.models import Member

    club_id = Member.objects.filter(pk=instance.recipient_id).values_list("club_id", flat=True)
    summary.mark_club(club_id.first(), instance.start_on)


def _import_job(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.status == "done":
        summary.mark_club(instance.club_id)


def _board(sender: Any, instance: Any, **kwargs: Any) -> None:
    summary.mark_club(instance.club_id, instance.start_on)


def _ledger(sender: Any, instance: Any, **kwargs: Any) -> None:
    from funds.models import Fund

    fund = Fund.objects.filter(pk=instance.fund_id).values("club_id", "owner_area_id").first()
    if fund:
        summary.mark_club(fund["club_id"], instance.date)
        summary.mark_area(fund["owner_area_id"], instance.date)


def _loan(sender: Any, instance: Any, **kwargs: Any) -> None:
    from funds.models import Fund

    club_id = Fund.objects.filter(pk=instance.fund_id).values_list("club_id", flat=True).first()
    since = min(d for d in (instance.disbursed_on, instance.requested_on) if d)
    summary.mark_club(club_id, since)


def _repayment(sender: Any, instance: Any, **kwargs: Any) -> None:
    from funds.models import Loan

    club_id = (
        Loan.objects.filter(pk=instance.loan_id).values_list("fund__club_id", flat=True).first()
    )
    summary.mark_club(club_id, instance.date)


def _mark_participants(qs: Any) -> None:
    """Areas count people trained in the training's month; clubs, their trained chair and
    members from then on."""
    for r in qs.annotate(counted_in=summary.participant_area()).values(
        "counted_in", "member__club_id", "user__club_id", "training__ends_on"
    ):
        day = r["training__ends_on"]
        summary.mark_area(r["counted_in"], day, day)
        summary.mark_club(r["member__club_id"], day)
        summary.mark_club(r["user__club_id"], day)


def _participant(sender: Any, instance: Any, **kwargs: Any) -> None:
    from trainings.models import Participant

    if kwargs.get("signal") is post_delete:
        from clubs.models import Club
        from members.models import Member
        from trainings.models import Training

        day = (
            Training.objects.filter(pk=instance.training_id)
            .values_list("ends_on", flat=True)
            .first()
        )
        if day is None:
            return
        club_id = None
        if instance.member_id:
            club_id = (
                Member.objects.filter(pk=instance.member_id)
                .values_list("club_id", flat=True)
                .first()
            )
            summary.mark_club(club_id, day)
        area_id = instance.area_id or (
            Club.objects.filter(pk=club_id).values_list("commune_id", flat=True).first()
            if club_id
            else None
        )
        summary.mark_area(area_id, day, day)
        return
    _mark_participants(Participant.objects.filter(pk=instance.pk))


def _session_attendance(sender: Any, instance: Any, **kwargs: Any) -> None:
    from trainings.models import Participant

    _mark_participants(Participant.objects.filter(pk=instance.participant_id))


def _training(sender: Any, instance: Any, **kwargs: Any) -> None:
    from trainings.models import Participant

    if kwargs.get("signal") is post_save:
        _mark_participants(Participant.objects.filter(training_id=instance.pk))


def connect() -> None:
    """Hook the handlers to the other apps' models."""
    from django.apps import apps

    def hook(label: str, handler: Any, *, delete: bool = True) -> None:
        model = apps.get_model(label)
        uid = f"reports-summary-{label}"
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        if delete:
            post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete", weak=False)

    for label in ("month.Meeting", "month.HealthCheck", "month.Activity", "month.HomeCareVisit"):
        hook(label, _dated)
    hook("month.Attendance", _attendance)
    hook("month.MonthlyReport", _monthly_report)
    hook("clubs.Club", _club, delete=False)
    hook("clubs.BoardPosition", _board)
    hook("members.Member", _member)
    hook("members.CareAssignment", _care)
    hook("members.ImportJob", _import_job, delete=False)
    hook("funds.LedgerEntry", _ledger, delete=False)
    hook("funds.Loan", _loan)
    hook("funds.Repayment", _repayment)
    hook("trainings.Participant", _participant)
    hook("trainings.SessionAttendance", _session_attendance)
    hook("trainings.Training", _training)
    m2m_changed.connect(
        _activity_areas,
        sender=apps.get_model("month.Activity").areas.through,
        dispatch_uid="reports-summary-activity-areas",
        weak=False,
    )
