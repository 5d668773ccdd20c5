"""The dashboard of a whole year reads one row per club and year (``ClubYearSummary``), with
the same figures as summing the year's month rows."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck as HC
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import selectors, summary
from reports.models import ClubMonthSummary, ClubYearActivity, ClubYearSummary
from reports.periods import Period
from tests.factories import MemberFactory
from tests.factories_reports import activity_areas
from tests.test_reports_figures import build, club_st

pytestmark = pytest.mark.django_db


def month_path(area, period):
    """The dashboard as it reads with no year rows: the month rows summed."""
    saved = selectors._year_grouped, selectors._year_activities
    selectors._year_grouped = lambda *a, **k: None
    selectors._year_activities = lambda *a, **k: None
    try:
        return selectors.dashboard(area=area, period=period)
    finally:
        selectors._year_grouped, selectors._year_activities = saved


def assert_year_view_matches(area, period) -> None:
    assert period.is_year
    board = selectors.dashboard(area=area, period=period)
    months = month_path(area, period)
    names = list(selectors.aggregates(period))
    assert {n: board.totals[n] for n in names} == {n: months.totals[n] for n in names}
    assert [(c["obj"].pk, {n: c["figures"][n] for n in names}) for c in board.children] == [
        (c["obj"].pk, {n: c["figures"][n] for n in names}) for c in months.children
    ]
    assert board.activities == months.activities
    # And each figure by its definition: stocks at the stock month, flows over the months.
    rows = list(selectors.rows_for_area(area).filter(counted=True))
    for name in selectors.STOCK_SUMS:
        expected = sum(getattr(r, name) for r in rows if r.ym == period.stock_ym)
        assert board.totals[name] == expected, name
    for name in selectors.FLOW_SUMS:
        expected = sum(getattr(r, name) for r in rows if r.ym in period.months)
        assert board.totals[name] == expected, name


def _reads_year_rows(area, period) -> bool:
    return selectors._year_grouped(area, period, "commune_id") is not None


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HC.function_scoped_fixture, HC.too_slow, HC.data_too_large],
)
@given(specs=st.lists(club_st, min_size=3, max_size=3), last_year=st.booleans())
def test_year_rows_give_the_figures_of_the_month_rows(
    cast, django_capture_on_commit_callbacks, specs, last_year
):
    today = timezone.localdate()
    sid = transaction.savepoint()
    try:
        areas = activity_areas()
        clubs = [cast.club_a, cast.club_a2, cast.club_b]
        summary.rebuild(months=24)
        with django_capture_on_commit_callbacks(execute=True):
            for club, spec in zip(clubs, specs, strict=True):
                build(club, spec, today, areas)
        summary.recompute_dirty()  # the incremental path recomputes the year rows too
        period = Period(today.year - 1 if last_year else today.year, None, today)
        assert _reads_year_rows(cast.province_a, period)
        for area in (cast.province_a, cast.commune_a1, None):
            assert_year_view_matches(area, period)
        summary.rebuild(months=24)  # from scratch: the same
        assert _reads_year_rows(cast.province_a, period)
        assert_year_view_matches(cast.province_a, period)
    finally:
        transaction.savepoint_rollback(sid)


def test_a_member_joining_reaches_the_year_row(cast, django_capture_on_commit_callbacks):
    summary.rebuild(months=2)
    today = timezone.localdate()
    row = ClubYearSummary.objects.get(club=cast.club_a, year=today.year)
    assert (row.members, row.joined) == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        MemberFactory(club=cast.club_a, joined_on=today)
    summary.recompute_dirty()
    row = ClubYearSummary.objects.get(club=cast.club_a, year=today.year)
    assert (row.members, row.joined) == (1, 1)
    period = Period(today.year, None, today)
    assert selectors.dashboard(area=cast.commune_a1, period=period).totals["joined"] == 1


def test_rows_the_date_made_out_of_date_are_not_read_until_refreshed(cast):
    today = timezone.localdate()
    MemberFactory(club=cast.club_a, joined_on=today.replace(day=1))
    summary.rebuild(months=24)
    # Forty days on: a new month has begun and a report deadline has passed.
    later = today + datetime.timedelta(days=40)
    period = Period(today.year, None, later)
    assert (
        ClubYearSummary.objects.filter(year=today.year)
        .exclude(**selectors.year_stamp(period))
        .exists()
    )
    assert not _reads_year_rows(cast.province_a, period)  # the month rows are summed
    stale = month_path(cast.province_a, period).totals.values
    assert selectors.dashboard(area=cast.province_a, period=period).totals.values == stale
    assert summary.refresh_years(later) >= 1
    assert _reads_year_rows(cast.province_a, period)
    assert_year_view_matches(cast.province_a, period)


def test_rebuild_summaries_fills_the_year_rows(cast):
    MemberFactory(club=cast.club_a)
    call_command("rebuild_summaries", "--months", "14")
    years = set(ClubYearSummary.objects.values_list("year", flat=True))
    today = timezone.localdate()
    assert years == {today.year, today.year - 1}
    assert ClubYearSummary.objects.filter(club=cast.club_a, year=today.year).get().members == 1
    assert not ClubYearActivity.objects.exists()  # no activities: no rows


def test_the_year_dashboard_runs_a_fixed_number_of_queries(
    cast, login, django_assert_max_num_queries
):
    for club in (cast.club_a, cast.club_a2):
        for _ in range(3):
            MemberFactory(club=club)
    summary.rebuild(months=12)
    client = login(cast.province)
    url = (
        reverse("reports:area", args=[cast.province_a.pk]) + f"?period={timezone.localdate().year}"
    )
    client.get(url)
    cache.clear()
    # Session, user, area, targets, the year rows, communes, activities (year rows and their
    # areas' names, or the month rows when a year has none), the associations' own funds,
    # and the other apps' panels of the dashboard (association, elders, campaigns: 10).
    with django_assert_max_num_queries(20) as ctx:
        assert client.get(url).status_code == 200
    summed = [q["sql"] for q in ctx.captured_queries if "reports_clubyearsummary" in q["sql"]]
    assert len(summed) == 1
    months = [q["sql"] for q in ctx.captured_queries if "reports_clubmonthsummary" in q["sql"]]
    # No month rows summed for the figures (the year rows serve them).
    assert not [sql for sql in months if "SUM(" in sql.upper()]
    assert ClubMonthSummary.objects.exists()


def test_the_years_activities_read_only_what_the_covering_index_holds(cast, login):
    """A province's year of activities is summed from its index alone (PostgreSQL's index-only
    scan): the query reads no column of the rows that the index does not carry."""
    from reports.models import YEAR_ACTIVITY_SUMMED

    activity_areas()
    summary.rebuild(months=2)
    period = Period.parse(str(timezone.localdate().year))
    with CaptureQueriesContext(connection) as ctx:
        selectors._year_activities(cast.province_a, period)
    sql = next(q["sql"] for q in ctx.captured_queries if "reports_clubyearactivity" in q["sql"])
    read = set(re.findall(r'"reports_clubyearactivity"\."(\w+)"', sql))
    field = ClubYearActivity._meta.get_field
    held = {"province_id", "year"} | {field(name).column for name in YEAR_ACTIVITY_SUMMED}
    assert read and read <= held, read - held


def test_an_outsider_cannot_read_another_provinces_year(cast, login):
    summary.rebuild(months=2)
    url = (
        reverse("reports:area", args=[cast.province_a.pk]) + f"?period={timezone.localdate().year}"
    )
    assert login(cast.leader2).get(url).status_code == 404
