"""Helpers for the reports tests: records of a club's month, and the same figures counted
the slow way from the raw records (the reference the summaries are checked against)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.utils import timezone

from clubs.models import Club
from config.months import first_day, last_day, shift, split
from funds.models import Fund, LedgerEntry, Loan
from funds.selectors import portfolio
from members.models import CareAssignment, Member
from month.models import (
    Activity,
    ActivityArea,
    HealthCheck,
    HomeCareVisit,
    Meeting,
    MonthlyReport,
)
from month.schedule import report_deadline
from reports import periods


def day_in(back: int, day: int, today: datetime.date) -> datetime.date:
    """A day ``back`` months before the current month, never after today."""
    ym = shift(periods.current_ym(today), -back)
    d = min(day, last_day(ym).day)
    if back == 0:
        d = min(d, today.day)
    return first_day(ym).replace(day=d)


def activity_areas() -> list[ActivityArea]:
    areas = list(ActivityArea.objects.order_by("order")[:3])
    while len(areas) < 3:
        n = len(areas)
        areas.append(ActivityArea.objects.create(code=f"test-area-{n}", name=f"Lĩnh vực {n}"))
    return areas


def _on_register(m: Member, last: datetime.date) -> bool:
    return m.joined_on <= last and (m.left_on is None or m.left_on > last)


def _older(m: Member, last: datetime.date) -> bool:
    age = settings.ISHC_OLDER_AGE
    if m.birth_date:
        return m.age_on(last) >= age
    return m.birth_year <= last.year - age


def reference(club: Club, ym: int, today: datetime.date) -> dict[str, Any]:
    """One club's month counted from the raw records, in plain Python."""
    first, last = first_day(ym), last_day(ym)
    in_month = lambda d: first <= d <= last  # noqa: E731
    members = list(Member.objects.filter(club=club))
    reg = [m for m in members if _on_register(m, last)]
    care = list(CareAssignment.objects.filter(recipient__club=club).select_related("recipient"))
    cared = {
        a.recipient_id
        for a in care
        if a.recipient.needs_care
        and _on_register(a.recipient, last)
        and a.start_on <= last
        and (a.end_on is None or a.end_on >= last)
    }
    meetings = [m for m in Meeting.objects.filter(club=club) if in_month(m.date)]
    checks = [h for h in HealthCheck.objects.filter(club=club) if in_month(h.date)]
    activities = [a for a in Activity.objects.filter(club=club) if in_month(a.date)]
    visits = [v for v in HomeCareVisit.objects.filter(club=club) if in_month(v.date)]
    year, month = split(ym)
    report = MonthlyReport.objects.filter(club=club, year=year, month=month).first()
    status = report.status if report else ""
    deadline = report_deadline(*split(ym))
    submitted_late = bool(
        report and report.submitted_at and timezone.localtime(report.submitted_at).date() > deadline
    )
    loans = list(
        Loan.objects.filter(fund__club=club, disbursed_on__isnull=False)
        .select_related("borrower")
        .prefetch_related("installments", "repayments")
    )
    book = portfolio(loans, last)
    by_area: dict[int, int] = defaultdict(int)
    for a in activities:
        for area in a.areas.all():
            by_area[area.pk] += 1
    funds = defaultdict(int)
    for e in LedgerEntry.objects.filter(fund__club=club, date__lte=last).select_related("fund"):
        funds[e.fund.kind] += e.signed_amount
    return {
        "members": len(reg),
        "women": sum(1 for m in reg if m.sex == "F"),
        "older": sum(1 for m in reg if _older(m, last)),
        "poor": sum(1 for m in reg if m.household_status in ("poor", "near_poor")),
        "volunteers": sum(1 for m in reg if m.is_volunteer),
        "needing_care": sum(1 for m in reg if m.needs_care),
        "cared_for": len(cared),
        "joined": sum(1 for m in members if in_month(m.joined_on)),
        "left": sum(1 for m in members if m.left_on and in_month(m.left_on)),
        "meetings_held": sum(1 for m in meetings if m.status == "held"),
        "health_checked": len({h.member_id for h in checks}),
        "health_high": len(
            {h.member_id for h in checks if (h.systolic or 0) >= 140 or (h.diastolic or 0) >= 90}
        ),
        "activities": len(activities),
        "by_area": dict(by_area),
        "visits": len(visits),
        "visited": len({v.recipient_id for v in visits}),
        "report_status": status,
        "report_late": deadline < today and (status in ("", "draft", "returned") or submitted_late),
        "fund_revolving": funds[Fund.Kind.REVOLVING],
        "fund_operating": funds[Fund.Kind.OPERATING],
        "loans_outstanding": book.outstanding,
        "loans_at_risk": book.at_risk,
        "borrowers": len(
            {
                loan.borrower_id
                for loan in loans
                if loan.disbursed_on <= last and _on_register(loan.borrower, last)
            }
        ),
        "loans_disbursed": sum(1 for loan in loans if in_month(loan.disbursed_on)),
    }


def expected_totals(clubs: list[Club], period: periods.Period) -> dict[str, Any]:
    """What a dashboard over ``clubs`` must show for ``period``, from the raw records."""
    today = period.today
    refs = {
        (c.pk, ym): reference(c, ym, today)
        for c in clubs
        for ym in set(period.months) | set(period.last_three)
    }
    stock = [refs[(c.pk, period.stock_ym)] for c in clubs]
    flow = [refs[(c.pk, ym)] for c in clubs for ym in period.months]
    out: dict[str, Any] = {"clubs": len(clubs)}
    for key in (
        "members",
        "women",
        "older",
        "poor",
        "volunteers",
        "needing_care",
        "cared_for",
        "fund_revolving",
        "fund_operating",
        "loans_outstanding",
        "loans_at_risk",
        "borrowers",
    ):
        out[key] = sum(r[key] for r in stock)
    out["younger"] = out["members"] - out["older"]
    for key in (
        "joined",
        "left",
        "meetings_held",
        "health_checked",
        "health_high",
        "activities",
        "visits",
        "visited",
        "loans_disbursed",
    ):
        out[key] = sum(r[key] for r in flow)
    out["reports_submitted"] = sum(
        1 for r in flow if r["report_status"] in ("submitted", "reviewed", "approved")
    )
    out["reports_reviewed"] = sum(1 for r in flow if r["report_status"] in ("reviewed", "approved"))
    out["reports_approved"] = sum(1 for r in flow if r["report_status"] == "approved")
    due = set(period.due_months)
    out["reports_late"] = sum(
        1 for c in clubs for ym in period.months if ym in due and refs[(c.pk, ym)]["report_late"]
    )
    for i, ym in enumerate(period.last_three):
        out[f"met_{i}"] = sum(1 for c in clubs if refs[(c.pk, ym)]["meetings_held"] > 0)
    by_area: dict[int, int] = defaultdict(int)
    for r in flow:
        for area_id, n in r["by_area"].items():
            by_area[area_id] += n
    out["by_area"] = dict(by_area)
    return out
