"""Reads for the club's month: meeting lists, the monthly report's figures, the member's
month panel, the staff inbox and the late-report list. Aggregates are computed in the
database; every function runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import privacy, scoping
from clubs.models import Club
from config.choices import readable
from config.collation import by_name
from config.months import add_months, month_bounds, shift, split, ym_of_date
from config.pagination import SortKey
from funds.selectors import month_figures  # the one read month makes of funds
from members.models import Member, on_register_q
from month import figures, schedule
from month.models import (
    Activity,
    ActivityArea,
    Attendance,
    HealthCheck,
    HomeCareVisit,
    Meeting,
    MonthlyReport,
    Reminder,
)

if TYPE_CHECKING:
    from accounts.models import User

# --- Meetings -------------------------------------------------------------------------------


def meeting_list(*, club: Club, viewer: User) -> QuerySet[Meeting]:
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


def meeting_roster(meeting: Meeting) -> QuerySet[Member]:
    """The members on the register on the meeting's day, in name order."""
    return (
        Member.objects.filter(club_id=meeting.club_id)
        .on_register(meeting.date)
        .order_by(*by_name("full_name"), "pk")
    )


def meeting_sheet(meeting: Meeting) -> dict[str, Any]:
    """What the record page needs: the roster, current marks and readings (3 queries)."""
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
            .order_by(*by_name("member__full_name"), "pk")
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
    first, last = month_bounds(year, month)
    in_month = Q(date__gte=first, date__lte=last)
    meetings = Meeting.objects.filter(in_month, club=club).aggregate(**figures.meetings())
    attendance = (
        figures.held_attendance()
        .filter(meeting__club=club, meeting__date__gte=first, meeting__date__lte=last)
        .aggregate(**figures.attendance())
    )
    marks = attendance["present"] + attendance["absent"] + attendance["excused"]
    attendance["rate"] = _rate(attendance["present"], marks)
    health = HealthCheck.objects.filter(in_month, club=club).aggregate(**figures.health())
    activities = Activity.objects.filter(in_month, club=club).aggregate(**figures.activities())
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
        ).order_by("order", *by_name("name"), "pk")
    ]
    visits = HomeCareVisit.objects.filter(in_month, club=club).aggregate(**figures.visits())
    members = Member.objects.filter(club=club).aggregate(**figures.members(first, last))
    funds = month_figures(club, year, month)
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


def report_gaps(report: MonthlyReport) -> list[str]:
    """What the completeness check finds missing before a report is submitted, one line each
    (docs/month.md): empty narrative sections, meetings of the month still planned (neither
    recorded nor cancelled), held meetings without attendance, members present without a
    reading (those who agreed to health data), no activity. Four queries."""
    first, last = month_bounds(report.year, report.month)
    gaps: list[str] = []
    if not report.narrative.strip():
        gaps.append(_("The section “Activities and results” is empty."))
    if not report.difficulties.strip():
        gaps.append(_("The section “Difficulties and proposals” is empty."))
    meetings = list(
        Meeting.objects.filter(club_id=report.club_id, date__gte=first, date__lte=last)
        .exclude(status=Meeting.Status.CANCELLED)
        .annotate(marks=Count("attendance"))
        .order_by("date", "pk")
    )
    if not meetings:
        gaps.append(_("No meeting of the club is recorded for this month."))
    no_reading = dict(
        Attendance.objects.filter(
            meeting__in=[m.pk for m in meetings if m.status == Meeting.Status.HELD],
            status=Attendance.Status.PRESENT,
            member__consent_on__isnull=False,
        )
        .exclude(
            Exists(
                HealthCheck.objects.filter(
                    meeting_id=OuterRef("meeting_id"), member_id=OuterRef("member_id")
                )
            )
        )
        .values("meeting_id")
        .annotate(n=Count("pk"))
        .values_list("meeting_id", "n")
    )
    for meeting in meetings:
        day = meeting.date.strftime("%d/%m/%Y")
        if meeting.status == Meeting.Status.PLANNED:
            gaps.append(
                _(
                    "The meeting of %(day)s is not recorded: record it, or mark it cancelled "
                    "if it did not take place."
                )
                % {"day": day}
            )
        elif not meeting.marks:
            gaps.append(_("No attendance was recorded at the meeting of %(day)s.") % {"day": day})
        elif count := no_reading.get(meeting.pk):
            gaps.append(
                ngettext(
                    "%(count)s member present at the meeting of %(day)s has no reading.",
                    "%(count)s members present at the meeting of %(day)s have no reading.",
                    count,
                )
                % {"count": count, "day": day}
            )
    if not Activity.objects.filter(
        club_id=report.club_id, date__gte=first, date__lte=last
    ).exists():
        gaps.append(_("No activity is logged for this month."))
    return gaps


# --- Reports for staff ----------------------------------------------------------------------


# The inbox's order, which its keyset pages follow: the newest month first, then the report's
# id, newest first (within a month, the reports the clubs started last). An index serves it
# for a province, by step or for every step (``report_province_status_seek``,
# ``report_province_seek``); sorted by commune and club name, every page sorted all of a
# province's reports (11,416 at 20,000 clubs) to show 25.
REPORT_LIST_KEYS = (
    SortKey("year", descending=True),
    SortKey("month", descending=True),
    SortKey("id", descending=True),
)


def report_list(*, viewer: User, status: str | None = None) -> QuerySet[MonthlyReport]:
    """The inbox's rows, in ``REPORT_LIST_KEYS`` order. Without the report's figures (JSON)
    and texts: the page shows neither, and they are the bulk of a report's row."""
    qs = (
        scoping.for_user(MonthlyReport, viewer)
        .select_related("club", "club__commune")
        .defer("figures", "narrative", "difficulties")
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "-month", "-pk")


def waiting_status_for(viewer: User) -> str | None:
    """The status of reports waiting for this user's step (commune: review; province: approve)."""
    if scoping.is_province_role(viewer):
        return MonthlyReport.Status.REVIEWED
    if scoping.is_staff_role(viewer):
        return MonthlyReport.Status.SUBMITTED
    return None


def last_due_month(today: datetime.date | None = None) -> tuple[int, int]:
    """The most recent month whose report deadline has passed."""
    today = today or timezone.localdate()
    ym = shift(ym_of_date(today), -1)
    if schedule.report_deadline(*split(ym)) >= today:
        ym = shift(ym, -1)
    return split(ym)


def late_reports(*, viewer: User, year: int, month: int) -> QuerySet[Club]:
    """Active clubs in the viewer's scope that had not submitted the month's report by the
    deadline: no report, still a draft, returned and not resubmitted, or submitted late.

    Each club carries ``report_id``, ``report_status`` and ``report_submitted_at``.
    """
    _first, last = month_bounds(year, month)
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
            | Q(report_submitted_at__gte=schedule.report_late_from(year, month))
        )
        .order_by(*by_name("commune__name", "name"), "pk")
    )


def club_month_overview(*, club: Club, months: int = 12) -> list[dict[str, Any]]:
    """The club's last ``months`` months with their report (or none yet), newest first."""
    today = timezone.localdate()
    start = add_months(today.replace(day=1), -(months - 1))
    reports = {
        (r.year, r.month): r
        for r in MonthlyReport.objects.filter(club=club).filter(
            Q(year__gt=start.year) | Q(year=start.year, month__gte=start.month)
        )
    }
    rows = []
    for i in range(months):
        day = add_months(today.replace(day=1), -i)
        rows.append(
            {
                "year": day.year,
                "month": day.month,
                "period": f"{day.month:02d}/{day.year}",
                "report": reports.get((day.year, day.month)),
                "deadline": schedule.report_deadline(day.year, day.month),
            }
        )
    return rows


# --- The member's month panel ---------------------------------------------------------------


def member_month_panel(member: Member, viewer: User) -> dict[str, Any]:
    """Context for ``month/_member_panel.html``: attendance history, readings (only for
    those who may see health data) and home-care visits. Five queries at most.

    The caller has already fetched ``member`` through ``accounts.scoping``.
    """
    # What the declaration (accounts.privacy) lets the viewer read of this person's month.
    hidden_readings = privacy.hidden_fields(viewer, "month.HealthCheck")
    hidden_visits = privacy.hidden_fields(viewer, "month.HomeCareVisit")
    sensitive = not hidden_readings & {"systolic", "diastolic", "weight"}
    care_shown = not hidden_visits & {"recipient", "services"}
    held = Meeting.objects.filter(
        club_id=member.club_id, status=Meeting.Status.HELD, date__gte=member.joined_on
    )
    if member.left_on:  # the meetings while on the register (members.models.on_register_q)
        held = held.filter(date__lt=member.left_on)
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
    # Visits received reveal care needs; visits given name who receives care, and what care.
    received: list[HomeCareVisit] = []
    given: list[HomeCareVisit] = []
    if care_shown:
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
        "care_shown": care_shown,
        "history": history,
        "attendance_summary": summary,
        "readings": readings,
        "chart": chart,
        "chart_id": f"month-chart-{member.pk}",
        "chart_data_id": f"month-chart-{member.pk}-data",
        "visits_received": received,
        "visits_given": given,
    }


# --- One person's data (data-subject requests) ----------------------------------------------


def readings_without_consent() -> QuerySet[HealthCheck]:
    """Readings kept of members who have not (or no longer) agreed to their health data being
    kept: written before readings needed consent (``month.readings.has_health_consent``)."""
    return HealthCheck.objects.filter(member__consent_on__isnull=True)


def person_data(*, member: Member) -> dict[str, list[dict[str, Any]]]:
    """What the month holds about one member record, by topic: attendance, readings, the
    home-care visits received and given (without the other person), the activities they took
    part in and the reminders sent to them. Six queries."""
    attendance = (
        Attendance.objects.filter(member=member)
        .select_related("meeting")
        .order_by("meeting__date", "pk")
    )
    readings = HealthCheck.objects.filter(member=member).order_by("date", "pk")
    received = HomeCareVisit.objects.filter(recipient=member).order_by("date", "pk")
    given = HomeCareVisit.objects.filter(volunteer=member).order_by("date", "pk")
    activities = Activity.objects.filter(participants=member).order_by("date", "pk")
    reminders = Reminder.objects.filter(member=member).order_by("meeting_date", "pk")
    visit_fields = ("date", "duration_minutes")
    return {
        "attendance": [
            {"meeting_date": a.meeting.date, **readable(a, ("status",))} for a in attendance
        ],
        "readings": [readable(r, ("date", "systolic", "diastolic", "weight")) for r in readings],
        "visits_received": [
            {**readable(v, visit_fields), "services": v.get_services_display(), "note": v.note}
            for v in received
        ],
        "visits_given": [
            {**readable(v, visit_fields), "services": v.get_services_display()} for v in given
        ],
        "activities": [readable(a, ("date", "title")) for a in activities],
        "reminders": [
            readable(r, ("meeting_date", "channel", "address", "status", "sent_at"))
            for r in reminders
        ],
    }


# --- The start page's to-do list (reports.views.start_page reads these) -------------------


def returned_reports(*, club: Club, viewer: User) -> QuerySet[MonthlyReport]:
    """The club's reports sent back by a reviewer and not yet submitted again, with who
    returned them and why (one query)."""
    return (
        scoping.for_user(MonthlyReport, viewer)
        .filter(club=club, status=MonthlyReport.Status.RETURNED)
        .select_related("returned_by")
        .order_by("year", "month")
    )


def report_due(*, club: Club, today: datetime.date | None = None) -> dict[str, Any] | None:
    """The monthly report the club owes next: last month's while it is not submitted (with its
    deadline, ``schedule.report_deadline``, and whether that has passed); None once it is in.
    One query."""
    today = today or timezone.localdate()
    year, month = split(shift(ym_of_date(today), -1))
    if club.founded_on and club.founded_on > month_bounds(year, month)[1]:
        return None
    report = MonthlyReport.objects.filter(club=club, year=year, month=month).first()
    if report is not None and not report.is_editable:
        return None
    deadline = schedule.report_deadline(year, month)
    return {
        "year": year,
        "month": month,
        "period": f"{month:02d}/{year}",
        "report": report,
        "deadline": deadline,
        "late": today > deadline,
    }


def members_needing_visit(
    *, club: Club, viewer: User, today: datetime.date | None = None
) -> QuerySet[Member]:
    """Members of the club who need home care and have had no home-care visit this month, in
    name order (one query)."""
    today = today or timezone.localdate()
    first, last = month_bounds(today.year, today.month)
    visited = HomeCareVisit.objects.filter(
        recipient=OuterRef("pk"), date__gte=first, date__lte=last
    )
    return (
        scoping.for_user(Member, viewer)
        .filter(on_register_q(today), club=club, needs_care=True)
        .exclude(Exists(visited))
        .order_by(*by_name("full_name"), "pk")
    )


def reports_waiting_counts(*, viewer: User) -> dict[str, int]:
    """How many reports in the viewer's scope stand at each step of the approval chain:
    submitted (waiting for the commune), reviewed (waiting for the province), returned
    (waiting for the club). One query."""
    Status = MonthlyReport.Status
    steps = (Status.SUBMITTED, Status.REVIEWED, Status.RETURNED)
    return scoping.for_user(MonthlyReport, viewer).aggregate(
        **{str(s): Count("pk", filter=Q(status=s)) for s in steps}
    )


__all__ = [
    "club_month_overview",
    "last_due_month",
    "late_reports",
    "meeting_list",
    "meeting_sheet",
    "meeting_summary",
    "member_month_panel",
    "members_needing_visit",
    "next_meeting",
    "person_data",
    "readings_without_consent",
    "report_due",
    "report_figures",
    "report_list",
    "reports_waiting_counts",
    "returned_reports",
    "waiting_status_for",
]
