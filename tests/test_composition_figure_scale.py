"""The composition page and the clubs behind a dashboard figure cost the same on page 1 and
page 40, for a province of 60 clubs or of 1,000: keyset pages over an index (cursor links),
a fixed number of queries, and on PostgreSQL no sequential scan nor sort of the province's
rows (docs/performance.md, "Keyset pages for the province-wide lists")."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clubs.models import Club
from config.collation import by_name
from members import composition
from members.models import ClubComposition
from reports import summary
from reports.periods import Period
from reports.selectors import dashboard, figure_clubs, figure_count
from tests.factories import ClubFactory, MemberFactory

pytestmark = pytest.mark.django_db

# Few names for many clubs: pages cut through runs of clubs with the same name.
NAMES = ["CLB Đồng Tâm", "CLB Ánh Dương", "CLB An Bình", "CLB Bản Mới"]


@pytest.fixture
def province(cast):
    """62 clubs in province A (60 new ones in both communes, names repeated), each with one
    to three members, their composition rows and three months of summaries."""
    for i in range(60):
        commune = cast.commune_a1 if i % 3 else cast.commune_a2
        ClubFactory(name=NAMES[i % len(NAMES)], commune=commune)
    clubs = list(Club.objects.filter(province=cast.province_a).order_by("pk"))
    for i, club in enumerate(clubs):
        MemberFactory.create_batch(1 + i % 3, club=club)
    MemberFactory(club=cast.club_b)
    composition.refresh(Club.objects.values_list("pk", flat=True))
    summary.rebuild(months=3)
    return cast


def _walk(client, url: str) -> tuple[list, list[int]]:
    """Every row from the first page by following "Next", and the pages' numbers."""
    sep = "&" if "?" in url else "?"
    response = client.get(url)
    rows, numbers = [], []
    while True:
        assert response.status_code == 200
        page = response.context["page_obj"]
        rows += list(page.object_list)
        numbers.append(page.number)
        if not page.has_next():
            return rows, numbers
        assert urlencode({"cursor": page.next_cursor}) in response.content.decode()
        response = client.get(f"{url}{sep}cursor={page.next_cursor}")


def _deep(client, url: str, pages: int) -> str:
    """The URL of page ``pages`` reached by "Next" links."""
    sep = "&" if "?" in url else "?"
    current = url
    for _ in range(pages - 1):
        cursor = client.get(current).context["page_obj"].next_cursor
        current = f"{url}{sep}cursor={cursor}"
    return current


# --- composition ---------------------------------------------------------------------------


def _composition_url(area) -> str:
    return reverse("clubs:area_composition", args=[area.pk])


def test_next_walks_every_club_once_in_commune_then_club_order(login, province):
    client = login(province.province)
    rows, numbers = _walk(client, _composition_url(province.province_a))
    expected = list(
        Club.objects.filter(province=province.province_a)
        .order_by(*by_name("commune__name", "name"), "pk")
        .values_list("pk", flat=True)
    )
    assert [row.club_id for row in rows] == expected
    assert numbers == [1, 2, 3]
    # The rows show the counts the page sums.
    assert sum(row.n_members for row in rows) == sum(1 + i % 3 for i in range(62))


def test_previous_and_last_links_land_on_the_pages_walked(login, province):
    client = login(province.province)
    url = _composition_url(province.province_a)
    walked, _ = _walk(client, url)
    first = client.get(url).context["page_obj"]
    last = client.get(url, {"cursor": first.last_cursor}).context["page_obj"]
    assert [r.club_id for r in last.object_list] == [r.club_id for r in walked[50:]]
    assert (last.number, last.paginator.count) == (3, 62)
    back = client.get(url, {"cursor": last.previous_cursor}).context["page_obj"]
    assert [r.club_id for r in back.object_list] == [r.club_id for r in walked[25:50]]
    body = client.get(url).content.decode()
    assert "Trang 1/3 · 62 dòng" in body


def test_the_count_is_the_clubs_summed(login, province):
    Club.objects.filter(pk=province.club_a2.pk).update(status=Club.Status.DISSOLVED)
    response = login(province.province).get(_composition_url(province.province_a))
    assert response.context["composition"].n_clubs == 61
    assert response.context["page_obj"].paginator.count == 61


def test_a_composition_cursor_never_opens_another_communes_clubs(login, province):
    page = login(province.province).get(_composition_url(province.province_a))
    cursor = page.context["page_obj"].next_cursor
    client = login(province.commune)
    response = client.get(_composition_url(province.commune_a1), {"cursor": cursor})
    assert response.status_code == 200
    assert {row.commune_id for row, _ in response.context["rows"]} == {province.commune_a1.pk}
    # A cursor of another list (or changed) gives the first page.
    first = [
        row.club_id for row, _ in client.get(_composition_url(province.commune_a1)).context["rows"]
    ]
    for other in (cursor[:-1] + ("A" if cursor[-1] != "A" else "B"), "nonsense"):
        again = client.get(_composition_url(province.commune_a1), {"cursor": other})
        assert [row.club_id for row, _ in again.context["rows"]] == first


@pytest.mark.parametrize("page_no", [1, 3])
def test_composition_queries_do_not_grow_with_the_page(
    login, province, django_assert_max_num_queries, page_no
):
    client = login(province.province)
    url = _deep(client, _composition_url(province.province_a), page_no)
    # 1 session, 2 user, 3 the area (through the door), 4 targets (view), 5 targets
    # (totals), 6 the rows checked and summed in one, 7 the page. No count: the totals
    # count the clubs; no recomputing: no row is out of date.
    with django_assert_max_num_queries(7):
        response = client.get(url)
    assert response.context["page_obj"].number == page_no


def test_a_stale_row_is_recomputed_before_the_sums(login, province):
    client = login(province.province)
    url = _composition_url(province.province_a)
    Club.objects.filter(pk=province.club_a.pk).update(name="CLB Đổi Tên")
    ClubComposition.objects.filter(club=province.club_a2).delete()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert len(ctx.captured_queries) > 7  # the check found them: recomputed, summed again
    names = {row.club_id: row.club_name for row in _walk(client, url)[0]}
    assert names[province.club_a.pk] == "CLB Đổi Tên"
    assert province.club_a2.pk in names
    assert response.context["composition"].n_clubs == 62


# --- the clubs behind a dashboard figure ---------------------------------------------------


def _figure_url(figure: str, area) -> str:
    return reverse("reports:figure_list", args=[figure]) + f"?area={area.pk}"


def test_the_figure_list_adds_up_to_the_figure_across_pages(login, province):
    client = login(province.province)
    rows, numbers = _walk(client, _figure_url("members", province.province_a))
    assert numbers == [1, 2, 3]
    expected = list(
        Club.objects.filter(province=province.province_a)
        .order_by(*by_name("name"), "pk")
        .values_list("pk", flat=True)
    )
    assert [row["club_id"] for row in rows] == expected
    board = dashboard(area=province.province_a, period=Period.parse(""))
    assert sum(row["value"] for row in rows) == board.totals["members"]


@pytest.mark.parametrize("period", ["", "year"])
def test_the_figure_lists_add_up_to_the_dashboard_and_count_their_clubs(province, period):
    today = timezone.localdate()
    chosen = Period.parse(str(today.year) if period else "")
    board = dashboard(area=province.province_a, period=chosen)
    for figure in ("members", "volunteers", "clubs", "joined", "met", "loans_at_risk"):
        for area in (province.province_a, province.commune_a2):
            kw = {"viewer": province.province, "area": area, "period": chosen, "figure": figure}
            listed = list(figure_clubs(**kw))
            assert figure_count(**kw) == len(listed), (figure, area.name)
            assert all(row["value"] > 0 for row in listed)
            if area == province.province_a:
                assert sum(row["value"] for row in listed) == board.totals[figure], figure


def test_a_club_that_adds_nothing_is_not_listed(login, province):
    empty = ClubFactory(name="CLB Không Ai", commune=province.commune_a1)
    summary.rebuild(months=3)
    rows, _ = _walk(login(province.province), _figure_url("members", province.province_a))
    assert empty.pk not in {row["club_id"] for row in rows}
    assert len(rows) == 62


@pytest.mark.parametrize("page_no", [1, 3])
def test_figure_list_queries_stay_fixed_on_a_deep_page(
    login, province, django_assert_max_num_queries, page_no
):
    client = login(province.province)
    url = _deep(client, _figure_url("members", province.province_a), page_no)
    # 1 session, 2 user, 3 the area (through the door), 4 count, 5 the page.
    with django_assert_max_num_queries(5):
        response = client.get(url)
    assert response.context["page_obj"].number == page_no


def test_a_figure_cursor_never_opens_another_communes_clubs(login, province):
    page = login(province.province).get(_figure_url("members", province.province_a))
    cursor = page.context["page_obj"].next_cursor
    response = login(province.commune).get(
        _figure_url("members", province.commune_a1), {"cursor": cursor}
    )
    assert response.status_code == 200
    shown = {row["club_id"] for row in response.context["page_obj"].object_list}
    assert shown
    assert shown <= set(
        Club.objects.filter(commune=province.commune_a1).values_list("pk", flat=True)
    )


# --- PostgreSQL: the plans ------------------------------------------------------------------

SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
PROVINCE_TABLES = (
    "clubs_club",
    "members_clubcomposition",
    "members_member",
    "reports_clubmonthsummary",
)


def _plan(sql: str) -> str:
    """The plan with sequential scans and sorts switched off: what remains of them is what
    no index can serve."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_sort = on")
    return plan


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [
        q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
    ]


@pytest.mark.postgres
@pytest.mark.parametrize("page_no", [1, 2, 3])
def test_the_composition_pages_read_an_index_and_sort_nothing(login, province, page_no):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_clubcomposition")
        cursor.execute("ANALYZE clubs_club")
    client = login(province.province)
    url = _deep(client, _composition_url(province.province_a), page_no)
    listed = 0
    for sql in _queries(client, url):
        plan = _plan(sql)
        scans = [t for t in SEQ_SCAN.findall(plan) if t in PROVINCE_TABLES]
        assert not scans, plan
        if "members_clubcomposition" in sql and "LIMIT" in sql:
            listed += 1
            assert "Sort" not in plan, plan
            assert "Index Scan using composition_province_order" in plan, plan
    assert listed == 1


@pytest.mark.postgres
@pytest.mark.parametrize("figure", ["members", "loans_at_risk"])
@pytest.mark.parametrize("page_no", [1, 3])
def test_the_figure_list_pages_read_the_club_name_index(login, province, figure, page_no):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_clubmonthsummary")
        cursor.execute("ANALYZE clubs_club")
    client = login(province.province)
    url = _deep(client, _figure_url("members", province.province_a), page_no)
    if figure != "members":
        url = _figure_url(figure, province.province_a)
    pages = 0
    for sql in _queries(client, url):
        plan = _plan(sql)
        scans = [t for t in SEQ_SCAN.findall(plan) if t in PROVINCE_TABLES]
        assert not scans, plan
        if "reports_clubmonthsummary" in sql and "LIMIT" in sql:
            pages += 1
            assert "Sort" not in plan, plan  # the club name index gives the order
            assert "club_province_name_keyset" in plan, plan
            # Each club's value: its own rows by the (club, month) key.
            assert "club_month_summary_unique" in plan, plan
        elif "reports_clubmonthsummary" in sql:  # the count: the area's rows by month
            assert "summary_province_ym" in plan, plan
    assert pages == 1
