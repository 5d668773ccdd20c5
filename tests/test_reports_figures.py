"""Every dashboard figure equals the count from the raw records, on generated data: after
the incremental path (signals -> dirty marks -> recompute) and after a full rebuild."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck as HC
from hypothesis import given, settings
from hypothesis import strategies as st

from config.months import first_day, shift, split, ym_of_date
from funds import services as fund_services
from members.models import CareAssignment, Member
from month.models import Activity, HealthCheck, HomeCareVisit, Meeting, MonthlyReport
from month.schedule import report_deadline
from month.selectors import report_figures
from reports import periods, selectors, summary
from reports.models import ClubMonthSummary, SummaryDirty
from reports.periods import Period
from tests.factories import MemberFactory
from tests.factories_funds import make_loan
from tests.factories_reports import activity_areas, day_in, expected_totals

BACK = st.integers(0, 3)
DAY = st.integers(1, 28)

member_st = st.fixed_dictionaries(
    {
        "sex": st.sampled_from(["F", "M"]),
        "birth_year": st.integers(1940, 2005),
        "household": st.sampled_from(["", "poor", "near_poor", "not_poor"]),
        "volunteer": st.booleans(),
        "needs_care": st.booleans(),
        "joined": st.tuples(st.integers(0, 6), DAY),
        "left": st.none() | st.tuples(BACK, DAY),
    }
)
club_st = st.fixed_dictionaries(
    {
        "members": st.lists(member_st, min_size=1, max_size=6),
        "meetings": st.lists(st.tuples(BACK, DAY, st.booleans()), max_size=3),
        "checks": st.lists(st.tuples(st.integers(0, 5), BACK, DAY, st.booleans()), max_size=3),
        "activities": st.lists(
            st.tuples(BACK, DAY, st.sets(st.integers(0, 2), min_size=1)), max_size=3
        ),
        "visits": st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), BACK, DAY), max_size=2),
        "care": st.lists(
            st.tuples(st.integers(0, 5), st.integers(0, 5), BACK, st.none() | BACK), max_size=2
        ),
        "loans": st.lists(
            st.tuples(
                st.integers(0, 5),
                st.sampled_from([3_000_000, 6_000_000]),
                st.integers(2, 5),
                st.lists(st.tuples(st.integers(0, 2), st.integers(1, 3)), max_size=2),
            ),
            max_size=2,
        ),
        "reports": st.lists(
            st.tuples(
                BACK,
                st.sampled_from(["draft", "submitted", "reviewed", "approved", "returned"]),
                st.booleans(),
            ),
            max_size=2,
            unique_by=lambda r: r[0],
        ),
    }
)


def build(club, spec, today: datetime.date, areas) -> None:
    """The records of one club, through the models (and the funds services for money)."""
    members = []
    for m in spec["members"]:
        joined = day_in(m["joined"][0], m["joined"][1], today)
        left = day_in(*m["left"], today) if m["left"] else None
        if left is not None and left < joined:
            left = None
        members.append(
            MemberFactory(
                club=club,
                sex=m["sex"],
                birth_year=m["birth_year"],
                household_status=m["household"],
                is_volunteer=m["volunteer"],
                needs_care=m["needs_care"],
                consent_on=datetime.date(2020, 1, 1),
                joined_on=joined,
                left_on=left,
            )
        )
    pick = lambda i: members[i % len(members)]  # noqa: E731
    for back, day, held in spec["meetings"]:
        Meeting.objects.create(
            club=club, date=day_in(back, day, today), status="held" if held else "planned"
        )
    for i, back, day, high in spec["checks"]:
        HealthCheck.objects.create(
            club=club,
            member=pick(i),
            date=day_in(back, day, today),
            systolic=150 if high else 120,
            diastolic=80,
        )
    for back, day, area_ids in spec["activities"]:
        activity = Activity.objects.create(
            club=club, date=day_in(back, day, today), title="Sinh hoạt", participant_count=5
        )
        activity.areas.set([areas[i] for i in area_ids])
    for v, r, back, day in spec["visits"]:
        if pick(v) != pick(r):
            HomeCareVisit.objects.create(
                club=club,
                volunteer=pick(v),
                recipient=pick(r),
                date=day_in(back, day, today),
                services="company",
                duration_minutes=30,
            )
    for v, r, start, end in spec["care"]:
        if pick(v) != pick(r):
            start_on = day_in(start, 1, today)
            end_on = day_in(end, 28, today) if end is not None else None
            if end_on is not None and end_on < start_on:
                end_on = None
            CareAssignment.objects.create(
                volunteer=pick(v), recipient=pick(r), start_on=start_on, end_on=end_on
            )
    staying = [m for m in members if m.left_on is None]
    for b, principal, back, repayments in spec["loans"]:
        day = day_in(back, 2, today)
        borrower = staying[b % len(staying)] if staying else None
        if borrower is not None and borrower.joined_on > day:
            borrower = None
        loan = make_loan(club, principal=principal, term=6, borrower=borrower, day=day)
        for after, share in repayments:
            on = min(today, loan.disbursed_on + datetime.timedelta(days=30 * (after + 1)))
            fund_services.loan_repay(loan=loan, amount=principal // 6 * share, by=None, on=on)
    # Reports last: approving a month locks it.
    for back, status, late in spec["reports"]:
        ym = shift(periods.current_ym(today), -back)
        year, month = split(ym)
        deadline = report_deadline(*split(ym))
        when = deadline + datetime.timedelta(days=3 if late else -1)
        submitted_at = (
            timezone.make_aware(datetime.datetime.combine(when, datetime.time(10)))
            if status != "draft"
            else None
        )
        MonthlyReport.objects.create(
            club=club, year=year, month=month, status=status, submitted_at=submitted_at
        )


KEYS = (
    "clubs",
    "members",
    "women",
    "older",
    "younger",
    "poor",
    "volunteers",
    "needing_care",
    "cared_for",
    "joined",
    "left",
    "meetings_held",
    "met_0",
    "met_1",
    "met_2",
    "health_checked",
    "health_high",
    "activities",
    "visits",
    "visited",
    "reports_submitted",
    "reports_reviewed",
    "reports_approved",
    "reports_late",
    "fund_revolving",
    "fund_operating",
    "loans_outstanding",
    "loans_at_risk",
    "borrowers",
    "loans_disbursed",
)


def assert_dashboard_matches(area, clubs, period) -> None:
    board = selectors.dashboard(area=area, period=period)
    expected = expected_totals(clubs, period)
    got = {key: board.totals[key] for key in KEYS}
    assert got == {key: expected[key] for key in KEYS}
    assert {a["activity_area_id"]: a["n"] for a in board.activities} == expected["by_area"]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HC.function_scoped_fixture, HC.too_slow, HC.data_too_large],
)
@given(specs=st.lists(club_st, min_size=3, max_size=3), back=BACK, year_view=st.booleans())
def test_dashboard_figures_equal_raw_counts(
    cast, django_capture_on_commit_callbacks, specs, back, year_view
):
    today = timezone.localdate()
    sid = transaction.savepoint()
    try:
        areas = activity_areas()
        clubs = [cast.club_a, cast.club_a2, cast.club_b]
        summary.rebuild(months=12)  # the clubs' empty months
        with django_capture_on_commit_callbacks(execute=True):
            for club, spec in zip(clubs, specs, strict=True):
                build(club, spec, today, areas)
        # The incremental path: the signals marked the touched months; recompute them.
        assert SummaryDirty.objects.exists()
        summary.recompute_dirty()
        assert not SummaryDirty.objects.exists()
        ym = shift(periods.current_ym(today), -back)
        period = Period(today.year, None, today) if year_view else Period(*split(ym), today=today)
        assert_dashboard_matches(cast.province_a, [cast.club_a, cast.club_a2], period)
        assert_dashboard_matches(cast.commune_a1, [cast.club_a], period)
        # A rebuild from scratch gives the same figures.
        summary.rebuild(months=12)
        assert_dashboard_matches(cast.province_a, [cast.club_a, cast.club_a2], period)
        assert_dashboard_matches(None, clubs, period)
    finally:
        transaction.savepoint_rollback(sid)


def assert_report_matches_summary(club, ym) -> None:
    """The club's monthly report and its dashboard row state the same figures."""
    report = report_figures(club, *split(ym))
    row = ClubMonthSummary.objects.get(club=club, ym=ym)
    att, funds = report["attendance"], report["funds"]
    by_kind = {}
    for fund in funds["funds"]:
        key = f"fund_{fund['kind']}" if fund["kind"] in summary.FUND_KINDS else "fund_other"
        by_kind[key] = by_kind.get(key, 0) + fund["closing_balance"]
    from_report = {
        "meetings_held": report["meetings"]["held"],
        "attendance_present": att["present"],
        "attendance_marked": att["present"] + att["absent"] + att["excused"],
        "health_checked": report["health"]["measured"],
        "health_high": report["health"]["high"],
        "activities": report["activities"]["count"],
        "activity_participants": report["activities"]["participants"],
        "visits": report["visits"]["count"],
        "visited": report["visits"]["people"],
        "members": report["members"]["at_end"],
        "joined": report["members"]["joined"],
        "left": report["members"]["left"],
        "loans_disbursed": funds["loans_disbursed_count"],
        "loans_disbursed_amount": funds["loans_disbursed_amount"],
        "loans_outstanding": funds["outstanding_principal"],
        **{kind: by_kind.get(kind, 0) for kind in ("fund_revolving", "fund_operating")},
    }
    assert {key: getattr(row, key) for key in from_report} == from_report


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HC.function_scoped_fixture, HC.too_slow, HC.data_too_large],
)
@given(spec=club_st)
def test_monthly_report_and_dashboard_state_the_same_figures(cast, spec):
    """``month.selectors.report_figures`` and ``reports.summary.compute_clubs`` share their
    definitions (``month.figures``): on any records, every month agrees."""
    today = timezone.localdate()
    sid = transaction.savepoint()
    try:
        build(cast.club_a, spec, today, activity_areas())
        summary.compute_clubs(
            [cast.club_a.pk], [shift(ym_of_date(today), -back) for back in range(4)]
        )
        for back in range(4):
            assert_report_matches_summary(cast.club_a, shift(ym_of_date(today), -back))
    finally:
        transaction.savepoint_rollback(sid)


def test_submitted_report_reaches_commune_and_province(cast, django_capture_on_commit_callbacks):
    """A report submitted shows up in the commune and province figures once recomputed."""
    today = timezone.localdate()
    summary.rebuild(months=2)
    period = Period(today.year, today.month, today)
    assert selectors.dashboard(area=cast.province_a, period=period).totals["reports_submitted"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        MonthlyReport.objects.create(
            club=cast.club_a,
            year=today.year,
            month=today.month,
            status="submitted",
            submitted_at=timezone.now(),
        )
    summary.recompute_dirty()
    for area in (cast.commune_a1, cast.province_a):
        assert selectors.dashboard(area=area, period=period).totals["reports_submitted"] == 1
    assert selectors.dashboard(area=cast.commune_a2, period=period).totals["reports_submitted"] == 0


def test_marks_wait_for_the_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        MemberFactory(club=cast.club_a)
    assert not SummaryDirty.objects.exists()
    for callback in callbacks:
        callback()
    assert SummaryDirty.objects.filter(club=cast.club_a, ym=periods.current_ym()).exists()


def test_rebuild_command_for_one_club(cast):
    from django.core.management import call_command

    MemberFactory(club=cast.club_a)
    call_command("rebuild_summaries", "--club", str(cast.club_a.pk), "--months", "3")
    rows = ClubMonthSummary.objects.filter(club=cast.club_a)
    assert rows.count() == 3
    assert rows.get(ym=periods.current_ym()).members == 1
    assert not ClubMonthSummary.objects.filter(club=cast.club_b).exists()


def test_rebuild_is_set_based(cast, django_assert_max_num_queries):
    """A rebuild runs a fixed number of queries per batch, whatever the number of rows."""
    for club in (cast.club_a, cast.club_a2, cast.club_b):
        for _ in range(5):
            MemberFactory(club=club)
    # delete (4) + clubs, members, care, 5 flows, activity areas, reports, ledger, loans,
    # chairs, trainings (≈15) + writes, for 1 batch of clubs and 1 of areas, + ANALYZE of the
    # 6 summary tables on PostgreSQL.
    with django_assert_max_num_queries(46):
        summary.rebuild(months=12)
    assert ClubMonthSummary.objects.count() == 36


def test_current_month_rows_are_started(cast):
    summary.ensure_current_month()
    assert SummaryDirty.objects.filter(ym=periods.current_ym()).count() >= 3
    summary.recompute_dirty()
    assert ClubMonthSummary.objects.filter(ym=periods.current_ym()).count() == 3
    assert summary.ensure_current_month() == 0


def test_member_leaving_marks_later_months(cast, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    summary.rebuild(months=3)
    member = MemberFactory(club=cast.club_a, joined_on=today - datetime.timedelta(days=100))
    summary.rebuild(months=3)
    assert ClubMonthSummary.objects.get(club=cast.club_a, ym=periods.current_ym()).members == 1
    with django_capture_on_commit_callbacks(execute=True):
        Member.objects.filter(pk=member.pk).first().__class__  # noqa: B018
        member.left_on = first_day(periods.current_ym())
        member.save()
    summary.recompute_dirty()
    assert ClubMonthSummary.objects.get(club=cast.club_a, ym=periods.current_ym()).members == 0


def test_refresh_runs_every_20_seconds_from_the_database_schedule(cast):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="reports.tasks.refresh_summaries")
    assert (task.interval.every, task.interval.period) == (20, "seconds")
    assert PeriodicTask.objects.filter(task="reports.tasks.rebuild_recent_summaries").exists()


def test_refresh_task_starts_the_month_and_recomputes(cast):
    from reports.tasks import refresh_summaries

    MemberFactory(club=cast.club_a)
    result = refresh_summaries.apply().get()  # as the worker runs it on schedule
    assert result["started"] >= 3
    row = ClubMonthSummary.objects.get(club=cast.club_a, ym=periods.current_ym())
    assert row.members == 1
