"""Reads for the club's month: meeting lists, the monthly report's figures, the member's
month panel, the staff inbox and the late-report list. Aggregates are computed in the
database; every function runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import scoping
from clubs import schedule
from clubs.models import ActivityArea, Club
from clubs.models_month import (
    HIGH_DIASTOLIC,
    HIGH_SYSTOLIC,
    Activity,
    Attendance,
    HealthCheck,
    HomeCareVisit,
    Meeting,
    MonthlyReport,
)
from members.models import Member

try:  # The funds app is written alongside this one; its figures appear once it exists.
    from funds.selectors import month_figures
except ImportError:  # pragma: no cover - depends on the funds app being present
    month_figures = None

HIGH_Q = Q(systolic__gte=HIGH_SYSTOLIC) | Q(diastolic__gte=HIGH_DIASTOLIC)


# --- Meetings -------------------------------------------------------------------------------


def meeting_list(*, club: Club, viewer: Any) -> QuerySet[Meeting]:
    """The club's meetings, newest first, with their attendance counts."""
    return (
        scoping.for_user(Meeting, viewer)
        .filter(club=club)
        .annotate(
            present=Count("attendance", filter=Q(attendance__status="present")),
            marked=Count("attendance"),
        )
        .order_by("-date", "-pk")
    )


def next_meeting(*, club: Club, today: datetime.date | None = None) -> Meeting | None:
    today = today or timezone.localdate()
    return (
        Meeting.objects.filter(club=club, status=Meeting.Status.PLANNED, date__gte=today)
        .order_by("date", "pk")
        .first()
    )


def meeting_sheet(meeting: Meeting) -> dict[str, Any]:
    """What the record page needs: the roster, current marks and readings (3 queries)."""
    from clubs.services_month import meeting_roster

    members = list(meeting_roster(meeting))
    marks = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))
    readings = {h.member_id: h for h in HealthCheck.objects.filter(meeting=meeting)}
    return {"members": members, "marks": marks, "readings": readings}


def meeting_summary(meeting: Meeting, *, sensitive: bool) -> dict[str, Any]:
    """Counts for the meeting page, and the high readings for those allowed to see them."""
    counts = Attendance.objects.filter(meeting=meeting).aggregate(
        present=Count("pk", filter=Q(status="present")),
        absent=Count("pk", filter=Q(status="absent")),
        excused=Count("pk", filter=Q(status="excused")),
    )
    high: list[HealthCheck] = []
    measured = 0
    if sensitive:
        readings = list(
            HealthCheck.objects.filter(meeting=meeting)
            .select_related("member")
            .order_by("member__search_name")
        )
        measured = len(readings)
        high = [r for r in readings if r.is_high]
    return {"counts": counts, "high_readings": high, "measured": measured}


# --- The monthly report's figures -----------------------------------------------------------


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def report_figures(club: Club, year: int, month: int) -> dict[str, Any]:
    """Everything the monthly report states, compiled from the month's records.

    Attendance rate = present marks / all marks (present, absent, excused) at the meetings
    held; members with no mark are *not recorded* and left out of the rate.
    """
    first, last = schedule.month_bounds(year, month)
    in_month = Q(date__gte=first, date__lte=last)
    meetings = Meeting.objects.filter(in_month, club=club).aggregate(
        held=Count("pk", filter=Q(status=Meeting.Status.HELD)),
        planned=Count("pk", filter=Q(status=Meeting.Status.PLANNED)),
        cancelled=Count("pk", filter=Q(status=Meeting.Status.CANCELLED)),
        guests=Sum("guests", filter=Q(status=Meeting.Status.HELD), default=0),
    )
    attendance = Attendance.objects.filter(
        meeting__club=club,
        meeting__date__gte=first,
        meeting__date__lte=last,
        meeting__status=Meeting.Status.HELD,
    ).aggregate(
        present=Count("pk", filter=Q(status="present")),
        absent=Count("pk", filter=Q(status="absent")),
        excused=Count("pk", filter=Q(status="excused")),
    )
    marks = attendance["present"] + attendance["absent"] + attendance["excused"]
    attendance["rate"] = _rate(attendance["present"], marks)
    health = HealthCheck.objects.filter(in_month, club=club).aggregate(
        readings=Count("pk"),
        measured=Count("member", distinct=True),
        bp_measured=Count("member", distinct=True, filter=Q(systolic__isnull=False)),
        weighed=Count("member", distinct=True, filter=Q(weight__isnull=False)),
        high=Count("member", distinct=True, filter=HIGH_Q),
    )
    activities = Activity.objects.filter(in_month, club=club).aggregate(
        count=Count("pk"),
        participants=Sum("participant_count", default=0),
        beneficiaries=Sum("beneficiaries", default=0),
        cost=Sum("cost", default=0),
    )
    activities["by_area"] = [
        {"code": a.code, "name": a.name, "count": a.n}
        for a in ActivityArea.objects.annotate(
            n=Count(
                "activities",
                filter=Q(
                    activities__club=club,
                    activities__date__gte=first,
                    activities__date__lte=last,
                ),
            )
        ).order_by("order", "name")
    ]
    visits = HomeCareVisit.objects.filter(in_month, club=club).aggregate(
        count=Count("pk"),
        people=Count("recipient", distinct=True),
        volunteers=Count("volunteer", distinct=True),
        minutes=Sum("duration_minutes", default=0),
    )
    members = Member.objects.filter(club=club).aggregate(
        joined=Count("pk", filter=Q(joined_on__gte=first, joined_on__lte=last)),
        left=Count("pk", filter=Q(left_on__gte=first, left_on__lte=last)),
        at_end=Count(
            "pk",
            filter=Q(joined_on__lte=last) & (Q(left_on__isnull=True) | Q(left_on__gt=last)),
        ),
    )
    funds = month_figures(club, year, month) if month_figures is not None else None
    return {
        "period": f"{year:04d}-{month:02d}",
        "meetings": meetings,
        "attendance": attendance,
        "health": health,
        "activities": activities,
        "visits": visits,
        "members": members,
        "funds": funds,
    }


# --- Reports for staff ----------------------------------------------------------------------


def report_list(*, viewer: Any, status: str | None = None) -> QuerySet[MonthlyReport]:
    qs = scoping.for_user(MonthlyReport, viewer).select_related("club", "club__commune")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "-month", "club__name")


def waiting_status_for(viewer: Any) -> str | None:
    """The status of reports waiting for this user's step (commune: review; province: approve)."""
    if scoping.is_province_role(viewer):
        return MonthlyReport.Status.REVIEWED
    if scoping.is_staff_role(viewer):
        return MonthlyReport.Status.SUBMITTED
    return None


def last_due_month(today: datetime.date | None = None) -> tuple[int, int]:
    """The most recent month whose report deadline has passed."""
    today = today or timezone.localdate()
    deadline_day = settings.ISHC_REPORT_DEADLINE_DAY
    back = 1 if today.day > deadline_day else 2
    day = schedule.add_months(today.replace(day=1), -back)
    return day.year, day.month


def late_reports(*, viewer: Any, year: int, month: int) -> QuerySet[Club]:
    """Active clubs in the viewer's scope that had not submitted the month's report by the
    deadline: no report, still a draft, returned and not resubmitted, or submitted late.

    Each club carries ``report_id``, ``report_status`` and ``report_submitted_at``.
    """
    _first, last = schedule.month_bounds(year, month)
    deadline = schedule.report_deadline(year, month, settings.ISHC_REPORT_DEADLINE_DAY)
    deadline_end = timezone.make_aware(
        datetime.datetime.combine(deadline + datetime.timedelta(days=1), datetime.time.min)
    )
    report = MonthlyReport.objects.filter(club=OuterRef("pk"), year=year, month=month)
    return (
        scoping.clubs_for(viewer)
        .filter(status=Club.Status.ACTIVE)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=last))
        .select_related("commune")
        .annotate(
            report_id=Subquery(report.values("pk")[:1]),
            report_status=Subquery(report.values("status")[:1]),
            report_submitted_at=Subquery(report.values("submitted_at")[:1]),
        )
        .filter(
            Q(report_id__isnull=True)
            | Q(report_status__in=[MonthlyReport.Status.DRAFT, MonthlyReport.Status.RETURNED])
            | Q(report_submitted_at__gte=deadline_end)
        )
        .order_by("commune__name", "name")
    )


def club_month_overview(*, club: Club, months: int = 12) -> list[dict[str, Any]]:
    """The club's last ``months`` months with their report (or none yet), newest first."""
    today = timezone.localdate()
    start = schedule.add_months(today.replace(day=1), -(months - 1))
    reports = {
        (r.year, r.month): r
        for r in MonthlyReport.objects.filter(club=club).filter(
            Q(year__gt=start.year) | Q(year=start.year, month__gte=start.month)
        )
    }
    rows = []
    for i in range(months):
        day = schedule.add_months(today.replace(day=1), -i)
        rows.append(
            {
                "year": day.year,
                "month": day.month,
                "period": f"{day.month:02d}/{day.year}",
                "report": reports.get((day.year, day.month)),
                "deadline": schedule.report_deadline(
                    day.year, day.month, settings.ISHC_REPORT_DEADLINE_DAY
                ),
            }
        )
    return rows


# --- The member's month panel ---------------------------------------------------------------


def member_month_panel(member: Member, viewer: Any) -> dict[str, Any]:
    """Context for ``clubs/month/_member_panel.html``: attendance history, readings (only for
    those who may see health data) and home-care visits. Five queries at most.

    The caller has already fetched ``member`` through ``accounts.scoping``.
    """
    sensitive = scoping.can_see_sensitive(viewer)
    held = Meeting.objects.filter(
        club_id=member.club_id, status=Meeting.Status.HELD, date__gte=member.joined_on
    )
    if member.left_on:
        held = held.filter(date__lte=member.left_on)
    held = held.annotate(
        mark=Subquery(
            Attendance.objects.filter(meeting=OuterRef("pk"), member=member).values("status")[:1]
        )
    ).order_by("-date")[:12]
    labels = dict(Attendance.Status.choices)
    history = [
        {"meeting": m, "status": m.mark or "", "label": labels.get(m.mark) or _("Not marked")}
        for m in held
    ]
    summary = {
        "present": sum(1 for h in history if h["status"] == "present"),
        "absent": sum(1 for h in history if h["status"] == "absent"),
        "excused": sum(1 for h in history if h["status"] == "excused"),
        "not_recorded": sum(1 for h in history if not h["status"]),
        "meetings": len(history),
    }
    readings: list[HealthCheck] = []
    chart: dict[str, list[Any]] = {"labels": [], "systolic": [], "diastolic": [], "weight": []}
    if sensitive:
        readings = list(HealthCheck.objects.filter(member=member).order_by("-date", "-pk")[:24])
        for r in reversed(readings):
            chart["labels"].append(r.date.strftime("%d/%m/%Y"))
            chart["systolic"].append(r.systolic)
            chart["diastolic"].append(r.diastolic)
            chart["weight"].append(float(r.weight) if r.weight is not None else None)
    # Visits received reveal care needs (sensitive); visits given are the volunteer's work.
    received: list[HomeCareVisit] = []
    if sensitive:
        received = list(
            HomeCareVisit.objects.filter(recipient=member)
            .select_related("volunteer")
            .order_by("-date", "-pk")[:20]
        )
    given = list(
        HomeCareVisit.objects.filter(volunteer=member)
        .select_related("recipient")
        .order_by("-date", "-pk")[:20]
    )
    return {
        "member": member,
        "sensitive": sensitive,
        "history": history,
        "attendance_summary": summary,
        "readings": readings,
        "chart": chart,
        "chart_id": f"month-chart-{member.pk}",
        "chart_data_id": f"month-chart-{member.pk}-data",
        "visits_received": received,
        "visits_given": given,
    }


__all__ = [
    "club_month_overview",
    "last_due_month",
    "late_reports",
    "meeting_list",
    "meeting_sheet",
    "meeting_summary",
    "member_month_panel",
    "next_meeting",
    "report_figures",
    "report_list",
    "waiting_status_for",
]
