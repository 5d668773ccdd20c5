"""What the month's figures count, written once.

The club's monthly report (``month.selectors.report_figures``, one club and one month) and the
dashboards' summaries (``reports.summary.compute_clubs``, many clubs and months grouped by
month) aggregate the same records; both take their aggregates from here, so a meeting held, a
member measured or a member on the register counts the same in both. Each function gives a
fresh ``{name: aggregate}`` dict for ``QuerySet.aggregate`` or ``.annotate`` over the model
named; the caller chooses the rows (a club, a month, or a window of months).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from members.models import on_register_q
from month.models import Attendance, Meeting
from month.readings import HIGH_Q

HELD = Q(status=Meeting.Status.HELD)


def meetings() -> dict[str, Any]:
    """Over ``Meeting``: held, planned and cancelled meetings; guests at those held."""
    return {
        "held": Count("pk", filter=HELD),
        "planned": Count("pk", filter=Q(status=Meeting.Status.PLANNED)),
        "cancelled": Count("pk", filter=Q(status=Meeting.Status.CANCELLED)),
        "guests": Sum("guests", filter=HELD, default=0),
    }


def held_attendance() -> QuerySet[Attendance]:
    """The marks that count: those at meetings held (a planned meeting's marks do not)."""
    return Attendance.objects.filter(meeting__status=Meeting.Status.HELD)


def attendance() -> dict[str, Any]:
    """Over ``held_attendance()``: marks by kind. A member with no mark is *not recorded*
    and is in none of them."""
    return {
        "present": Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        "absent": Count("pk", filter=Q(status=Attendance.Status.ABSENT)),
        "excused": Count("pk", filter=Q(status=Attendance.Status.EXCUSED)),
    }


def health() -> dict[str, Any]:
    """Over ``HealthCheck``: readings, and distinct members measured, with blood pressure,
    weighed, with a high reading."""
    return {
        "readings": Count("pk"),
        "measured": Count("member", distinct=True),
        "bp_measured": Count("member", distinct=True, filter=Q(systolic__isnull=False)),
        "weighed": Count("member", distinct=True, filter=Q(weight__isnull=False)),
        "high": Count("member", distinct=True, filter=HIGH_Q),
    }


def activities() -> dict[str, Any]:
    """Over ``Activity``: how many, people taking part, beneficiaries, cost."""
    return {
        "count": Count("pk"),
        "participants": Sum("participant_count", default=0),
        "beneficiaries": Sum("beneficiaries", default=0),
        "cost": Sum("cost", default=0),
    }


def visits() -> dict[str, Any]:
    """Over ``HomeCareVisit``: visits, people reached (distinct recipients), volunteers,
    minutes."""
    return {
        "count": Count("pk"),
        "people": Count("recipient", distinct=True),
        "volunteers": Count("volunteer", distinct=True),
        "minutes": Sum("duration_minutes", default=0),
    }


def members(first: datetime.date, last: datetime.date) -> dict[str, Any]:
    """Over ``Member``: joined and left between ``first`` and ``last``, and on the register
    at ``last`` (``members.models.on_register_q``)."""
    return {
        "joined": Count("pk", filter=Q(joined_on__gte=first, joined_on__lte=last)),
        "left": Count("pk", filter=Q(left_on__gte=first, left_on__lte=last)),
        "at_end": Count("pk", filter=on_register_q(last)),
    }
