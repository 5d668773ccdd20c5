"""The composition page of a commune or province reads the clubs' composition rows
(``members.ClubComposition``), and shows the same figures as counting the members."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from clubs.models import Club
from members import composition
from members.models import ClubComposition, Member
from members.selectors import area_composition, club_composition, summed_area_composition
from reports import summary
from tests.factories import ClubFactory, MemberFactory, UserFactory
from tests.factories_members import ConsentedMemberFactory

pytestmark = pytest.mark.django_db

COUNTS = ("n_members", "n_women", "n_older", "n_poor", "n_volunteers")


def _years_ago(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _figures(comp) -> dict:
    return {**{k: getattr(comp, k) for k in COUNTS}, "n_clubs": comp.n_clubs, **comp.extra}


def assert_same(cast, day: datetime.date) -> None:
    """The summed composition equals the members' count on ``day``, for the province, each
    commune and each club's row."""
    admin = cast.admin
    for area in (cast.province_a, cast.commune_a1, cast.commune_a2):
        summed = summed_area_composition(area=area, viewer=admin, today=day)
        raw = area_composition(area=area, viewer=admin, today=day)
        assert _figures(summed) == _figures(raw), (area.name, day)
    for club in (cast.club_a, cast.club_a2):
        row = ClubComposition.objects.get(club=club)
        raw_club = club_composition(club=club, today=day)
        assert {k: getattr(row, k) for k in COUNTS} == {k: getattr(raw_club, k) for k in COUNTS}


def _refresh(capture, action) -> None:
    """Run ``action`` and the summaries' refresh as the worker would after its commit."""
    with capture(execute=True):
        action()
    summary.recompute_dirty()


# Each step changes the register; after it the figures are compared on the day itself and
# on the days around the birthdays ahead (the 60th tomorrow, the next 1 January for a year of
# birth only, 29 February).
STEPS = [
    (
        "joins: older by date",
        lambda c, t: MemberFactory(club=c.club_a, birth_date=_years_ago(t, 61)),
    ),
    (
        "joins: 60 tomorrow",
        lambda c, t: MemberFactory(
            club=c.club_a, sex="M", birth_date=_years_ago(t, 60) + datetime.timedelta(days=1)
        ),
    ),
    ("joins: 60 today", lambda c, t: MemberFactory(club=c.club_a2, birth_date=_years_ago(t, 60))),
    (
        "joins: year only, 60 next year",
        lambda c, t: ConsentedMemberFactory(
            club=c.club_a, birth_date=None, birth_year=t.year - 59, household_status="poor"
        ),
    ),
    (
        "joins: year only, 60 this year",
        lambda c, t: MemberFactory(
            club=c.club_a2, birth_date=None, birth_year=t.year - 60, is_volunteer=True
        ),
    ),
    (
        "joins: born 29/02/1968",
        lambda c, t: ConsentedMemberFactory(
            club=c.club_a2, birth_date=datetime.date(1968, 2, 29), household_status="near_poor"
        ),
    ),
    (
        "changes: sex and household",
        lambda c, t: _change(Member.objects.filter(club=c.club_a, sex="F").order_by("pk").first()),
    ),
    ("leaves", lambda c, t: _leave(Member.objects.filter(club=c.club_a).order_by("pk").first(), t)),
    ("becomes a volunteer", lambda c, t: _volunteer(Member.objects.filter(club=c.club_a2).last())),
]


def _change(member: Member | None) -> None:
    assert member is not None
    member.sex = "M"
    member.consent_on = datetime.date(2024, 1, 10)
    member.consent_method = Member.ConsentMethod.PAPER
    member.household_status = "poor"
    member.save()


def _leave(member: Member | None, today: datetime.date) -> None:
    assert member is not None
    member.left_on = today
    member.save()


def _volunteer(member: Member | None) -> None:
    assert member is not None
    member.is_volunteer = True
    member.save()


@pytest.mark.parametrize("older_age", [60, 61])
def test_summed_composition_equals_the_members_count_step_by_step(
    cast, settings, django_capture_on_commit_callbacks, older_age
):
    settings.ISHC_OLDER_AGE = older_age
    today = timezone.localdate()
    summary.rebuild(months=1)
    checked = []
    for name, step in STEPS:
        _refresh(django_capture_on_commit_callbacks, lambda s=step: s(cast, today))
        assert_same(cast, today)
        days = sorted(
            {
                today + datetime.timedelta(days=1),
                today + datetime.timedelta(days=2),
                datetime.date(today.year + 1, 1, 1) - datetime.timedelta(days=1),
                datetime.date(today.year + 1, 1, 1),
                datetime.date(1968 + older_age, 2, 28),
                datetime.date(1968 + older_age, 3, 1),
            }
        )
        for day in days:
            if day > today:
                assert_same(cast, day)  # the birthdays passed: the page recomputes first
        # Back to today for the next step (time only moves forward for real rows).
        composition.refresh(Club.objects.values_list("pk", flat=True), today)
        checked.append(name)
    assert len(checked) == len(STEPS)


def test_a_row_knows_the_day_it_goes_out_of_date(cast):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    MemberFactory(club=cast.club_a, birth_date=_years_ago(tomorrow, 60))
    MemberFactory(club=cast.club_a, birth_date=None, birth_year=today.year - 50)
    composition.refresh([cast.club_a.pk], today)
    row = ClubComposition.objects.get(club=cast.club_a)
    assert (row.n_older, row.older_changes_on) == (0, tomorrow)
    assert composition.refresh_due(today) == 0
    assert composition.refresh_due(tomorrow) == 1  # the refresh task's birthday step
    row.refresh_from_db()
    assert row.n_older == 1
    assert row.older_changes_on == datetime.date(today.year + 10, 1, 1)


def test_the_member_signals_reach_the_row_through_the_refresh(
    cast, django_capture_on_commit_callbacks
):
    summary.rebuild(months=1)
    assert ClubComposition.objects.get(club=cast.club_a).n_members == 0
    with django_capture_on_commit_callbacks(execute=True):
        member = MemberFactory(club=cast.club_a, sex="F")
    assert ClubComposition.objects.get(club=cast.club_a).n_members == 0  # not yet
    summary.recompute_dirty()
    assert ClubComposition.objects.get(club=cast.club_a).n_women == 1
    with django_capture_on_commit_callbacks(execute=True):
        member.left_on = timezone.localdate()
        member.save()
    summary.recompute_dirty()
    assert ClubComposition.objects.get(club=cast.club_a).n_members == 0


def test_the_refresh_task_redoes_rows_after_a_birthday(cast):
    from reports.tasks import refresh_summaries

    today = timezone.localdate()
    MemberFactory(club=cast.club_a, birth_date=_years_ago(today, 60))
    summary.rebuild(months=1)  # nothing else for the task to do
    composition.refresh([cast.club_a.pk], today - datetime.timedelta(days=1))  # yesterday's
    assert ClubComposition.objects.get(club=cast.club_a).n_older == 0
    result = refresh_summaries.apply().get()
    assert (result["pairs"], result["compositions"]) == (0, 1)
    assert ClubComposition.objects.get(club=cast.club_a).n_older == 1


def test_the_page_shows_the_summed_figures_and_each_clubs_row(cast, login):
    for _ in range(3):
        MemberFactory(club=cast.club_a, sex="F", birth_year=1950)
    MemberFactory(club=cast.club_a2, sex="M", birth_year=1990, is_volunteer=True)
    MemberFactory(club=cast.club_b, sex="F")  # another province
    response = login(cast.province).get(
        reverse("clubs:area_composition", args=[cast.province_a.pk])
    )
    assert response.status_code == 200
    raw = area_composition(area=cast.province_a, viewer=cast.province)
    assert _figures(response.context["composition"]) == _figures(raw)
    rows = {row.club_id: comp for row, comp in response.context["rows"]}
    assert set(rows) == {cast.club_a.pk, cast.club_a2.pk}
    assert rows[cast.club_a.pk].n_women == 3
    assert rows[cast.club_a2.pk].n_volunteers == 1
    html = response.content.decode()
    assert "CLB LTH Bản Mới" in html and "Xã A Một" in html
    assert "CLB LTH Khu 3" not in html


def test_a_renamed_moved_or_dissolved_club_shows_at_once(cast, login):
    client = login(cast.province)
    url = reverse("clubs:area_composition", args=[cast.province_a.pk])
    client.get(url)  # the rows are made
    Club.objects.filter(pk=cast.club_a.pk).update(name="CLB LTH Đổi Tên")
    Club.objects.filter(pk=cast.club_a2.pk).update(status=Club.Status.DISSOLVED)
    html = client.get(url).content.decode()
    assert "CLB LTH Đổi Tên" in html and "Bản Mới" not in html
    assert "CLB LTH Bản Hon" not in html
    assert client.get(url).context["composition"].n_clubs == 1
    # Moved to another province: gone from this one's page, on the other's at once.
    club = Club.objects.get(pk=cast.club_a.pk)
    club.commune = cast.commune_b1
    club.save()
    assert client.get(url).context["composition"].n_clubs == 0
    other = login(cast.admin).get(reverse("clubs:area_composition", args=[cast.province_b.pk]))
    assert {row.club_id for row, _ in other.context["rows"]} == {cast.club_a.pk, cast.club_b.pk}


def test_the_rows_are_in_commune_then_club_order_across_pages(cast, login):
    names = [f"CLB LTH Xóm {i:02d}" for i in range(30)]
    for name in names:
        ClubFactory(name=name, commune=cast.commune_a2)
    client = login(cast.province)
    url = reverse("clubs:area_composition", args=[cast.province_a.pk])
    first = client.get(url)
    second = client.get(url + "?page=2")
    shown = [row.club_name for row, _ in first.context["rows"]]
    shown += [row.club_name for row, _ in second.context["rows"]]
    # Xã A Hai before Xã A Một (Vietnamese order: "H" before "M"); clubs by name within.
    assert shown == [*sorted(["CLB LTH Bản Hon", *names]), "CLB LTH Bản Mới"]


def test_the_page_runs_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries):
    client = login(cast.province)
    url = reverse("clubs:area_composition", args=[cast.province_a.pk])
    for i in range(3):
        club = ClubFactory(commune=cast.commune_a1, name=f"CLB {i}")
        MemberFactory(club=club)
    client.get(url)  # rows made, menu cached
    with django_assert_max_num_queries(9):
        client.get(url)
    for i in range(20):
        club = ClubFactory(commune=cast.commune_a2, name=f"CLB thêm {i}")
        MemberFactory(club=club)
    composition.refresh(Club.objects.values_list("pk", flat=True))
    with django_assert_max_num_queries(9):
        client.get(url + "?page=2")


def test_an_outsider_cannot_read_another_areas_composition(cast, login):
    url = reverse("clubs:area_composition", args=[cast.province_a.pk])
    assert login(cast.leader2).get(url).status_code == 404
    commune_url = reverse("clubs:area_composition", args=[cast.commune_a2.pk])
    assert login(cast.commune).get(commune_url).status_code == 404
    # A leader reads their commune's page with their own club only.
    MemberFactory(club=cast.club_a)
    ClubFactory(commune=cast.commune_a1, name="CLB LTH Hàng Xóm")
    page = login(cast.leader).get(reverse("clubs:area_composition", args=[cast.commune_a1.pk]))
    assert page.status_code == 200
    assert [row.club_id for row, _ in page.context["rows"]] == [cast.club_a.pk]
    assert page.context["composition"].n_clubs == 1


def test_viewers_read_small_counts_from_the_rows(cast, login):
    for _ in range(3):
        MemberFactory(club=cast.club_a)
    viewer = UserFactory(username="viewer-a1", role=Role.VIEWER, area=cast.commune_a1)
    html = (
        login(viewer)
        .get(reverse("clubs:area_composition", args=[cast.commune_a1.pk]))
        .content.decode()
    )
    assert "&lt; 5" in html


# --- PostgreSQL: the plans -------------------------------------------------------------------

BIG_TABLES = (
    "members_member",
    "members_clubcomposition",
    "clubs_club",
    "reports_clubmonthsummary",
    "reports_clubyearsummary",
    "reports_clubyearactivity",
    "reports_clubmonthactivity",
)
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_sort = on")
    return plan


def _page_queries(client, url: str) -> list[str]:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [
        q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
    ]


@pytest.mark.postgres
@pytest.mark.parametrize("query", ["", "?page=2"])
def test_the_composition_page_reads_no_big_table_whole_and_sorts_nothing(cast, login, query):
    for i in range(30):
        club = ClubFactory(commune=cast.commune_a2, name=f"CLB Xóm {i:02d}")
        MemberFactory(club=club)
    client = login(cast.province)
    url = reverse("clubs:area_composition", args=[cast.province_a.pk]) + query
    client.get(url)  # rows made
    failures = []
    listed = 0
    for sql in _page_queries(client, url):
        plan = _plan(sql)
        scans = [t for t in SEQ_SCAN.findall(plan) if t in BIG_TABLES]
        if scans:
            failures.append(f"{', '.join(scans)}: {sql[:300]}")
        if "members_clubcomposition" in sql and "LIMIT" in sql:
            listed += 1
            # The page's order comes from an index, so page 40 costs what page 1 does.
            assert "Sort" not in plan, plan
    assert not failures, "\n".join(failures)
    # An old ?page=N link first walks the sort keys to its page, then reads the page's rows
    # after them, as a cursor does.
    assert listed == (2 if "page=" in query else 1)


@pytest.mark.postgres
def test_the_year_dashboard_reads_no_big_table_whole(cast, login):
    for club in (cast.club_a, cast.club_a2):
        MemberFactory(club=club)
    summary.rebuild(months=12)
    client = login(cast.province)
    year = timezone.localdate().year
    failures = []
    read_years = 0
    for url in (
        reverse("reports:area", args=[cast.province_a.pk]) + f"?period={year}",
        reverse("reports:area", args=[cast.commune_a1.pk]) + f"?period={year}",
    ):
        for sql in _page_queries(client, url):
            read_years += "reports_clubyearsummary" in sql
            scans = [t for t in SEQ_SCAN.findall(_plan(sql)) if t in BIG_TABLES]
            if scans:
                failures.append(f"{url}: {', '.join(scans)}: {sql[:300]}")
    assert not failures, "\n".join(failures)
    assert read_years == 2
