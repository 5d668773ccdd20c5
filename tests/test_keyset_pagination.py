"""Keyset pages of the province-wide lists (config/pagination.py): the club list, the report
inbox and the clubs behind a dashboard figure. Following "Next" walks the whole list once in
order, "Previous" and "Last" land where they say, a cursor someone changed gives the first
page, the query count does not grow with the page, a cursor never opens another commune's
rows, and on PostgreSQL a deep page is read from an index without sorting the table."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clubs.models import Club
from config.collation import by_name
from month.models import MonthlyReport
from reports import summary
from tests.factories import ClubFactory, MemberFactory
from tests.factories_month import MonthlyReportFactory

pytestmark = pytest.mark.django_db

CLUBS = reverse("clubs:club_list")
INBOX = reverse("month:report_inbox")
# Few names for many clubs: pages cut through runs of clubs with the same name.
NAMES = ["CLB Đồng Tâm", "CLB Ánh Dương", "CLB An Bình", "CLB Bản Mới"]


@pytest.fixture
def many_clubs(cast):
    """62 clubs in province A (60 new ones, in both communes, names repeated)."""
    for i in range(60):
        commune = cast.commune_a1 if i % 3 else cast.commune_a2
        ClubFactory(name=NAMES[i % len(NAMES)], commune=commune)
    return cast


def _walk(client, url: str, key) -> tuple[list, list]:
    """Every row from the first page by following "Next", and the pages' numbers."""
    sep = "&" if "?" in url else "?"
    response = client.get(url)
    rows, numbers = [], []
    while True:
        assert response.status_code == 200
        page = response.context["page_obj"]
        rows += [key(row) for row in page.object_list]
        numbers.append(page.number)
        if not page.has_next():
            return rows, numbers
        assert urlencode({"cursor": page.next_cursor}) in response.content.decode()
        response = client.get(f"{url}{sep}cursor={page.next_cursor}")


def _club_ids(response) -> list[int]:
    return [club.pk for club, _ in response.context["rows"]]


def test_next_walks_every_club_of_the_province_once_in_name_order(login, many_clubs):
    client = login(many_clubs.province)
    rows, numbers = _walk(client, CLUBS, key=lambda club: club.pk)
    expected = list(
        Club.objects.filter(province=many_clubs.province_a)
        .order_by(*by_name("name"), "pk")
        .values_list("pk", flat=True)
    )
    assert rows == expected
    assert len(set(rows)) == 62
    assert numbers == [1, 2, 3]


def test_previous_and_last_pages_show_the_same_rows_as_walking_forward(login, many_clubs):
    client = login(many_clubs.province)
    first = client.get(CLUBS).context["page_obj"]
    second = client.get(f"{CLUBS}?cursor={first.next_cursor}").context["page_obj"]
    third = client.get(f"{CLUBS}?cursor={second.next_cursor}").context["page_obj"]
    last = client.get(f"{CLUBS}?cursor={first.last_cursor}").context["page_obj"]
    assert [c.pk for c in last.object_list] == [c.pk for c in third.object_list]
    assert (last.number, len(last.object_list)) == (3, 12)
    back = client.get(f"{CLUBS}?cursor={third.previous_cursor}").context["page_obj"]
    assert [c.pk for c in back.object_list] == [c.pk for c in second.object_list]
    assert back.number == 2
    home = client.get(f"{CLUBS}?cursor={back.previous_cursor}").context["page_obj"]
    assert [c.pk for c in home.object_list] == [c.pk for c in first.object_list]
    assert (home.number, home.has_previous()) == (1, False)


def test_the_page_shows_its_number_the_total_and_the_links(login, many_clubs):
    response = login(many_clubs.province).get(CLUBS)
    body = response.content.decode()
    assert "Trang 1/3 · 62 dòng" in body
    assert 'rel="next"' in body and "cursor=" in body


def test_old_page_numbers_still_open_that_page(login, many_clubs):
    client = login(many_clubs.province)
    walked, _ = _walk(client, CLUBS, key=lambda club: club.pk)
    page = client.get(f"{CLUBS}?page=2").context["page_obj"]
    assert [c.pk for c in page.object_list] == walked[25:50]
    assert client.get(f"{CLUBS}?page=999").context["page_obj"].number == 3
    assert client.get(f"{CLUBS}?page=abc").context["page_obj"].number == 1


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "eyJkIjoibiJ9:1abc:xyz", "%00", "a" * 5000, "", "1:2:3:4"],
)
def test_a_cursor_someone_changed_gives_the_first_page(login, many_clubs, cursor):
    client = login(many_clubs.province)
    first = _club_ids(client.get(CLUBS))
    response = client.get(CLUBS, {"cursor": cursor})
    assert response.status_code == 200
    assert _club_ids(response) == first
    assert response.context["page_obj"].number == 1


def test_a_cursor_changed_by_one_character_gives_the_first_page(login, many_clubs):
    client = login(many_clubs.province)
    response = client.get(CLUBS)
    first, cursor = _club_ids(response), response.context["page_obj"].next_cursor
    tampered = cursor[:-1] + ("A" if cursor[-1] != "A" else "B")
    assert _club_ids(client.get(CLUBS, {"cursor": tampered})) == first
    # A cursor of another list is not this list's either, even with the same content.
    content = signing.loads(cursor, salt="config.pagination:clubs:club_list")
    other = signing.dumps(content, salt="config.pagination:month:report_inbox", compress=True)
    assert _club_ids(client.get(CLUBS, {"cursor": other})) == first


def test_a_cursor_never_opens_another_communes_clubs(login, many_clubs):
    province_page = login(many_clubs.province).get(CLUBS).context["page_obj"]
    client = login(many_clubs.commune)
    for cursor in (province_page.next_cursor, province_page.last_cursor):
        response = client.get(CLUBS, {"cursor": cursor})
        assert response.status_code == 200
        communes = {club.commune_id for club, _ in response.context["rows"]}
        assert communes <= {many_clubs.commune_a1.pk}
    leader2 = login(many_clubs.leader2).get(CLUBS, {"cursor": province_page.next_cursor})
    assert {c.pk for c, _ in leader2.context["rows"]} <= {many_clubs.club_b.pk}


def test_filters_and_search_are_kept_on_the_next_page(login, many_clubs):
    client = login(many_clubs.province)
    url = f"{CLUBS}?commune={many_clubs.commune_a1.pk}&q=clb"
    response = client.get(url)
    body = response.content.decode().replace("&amp;", "&")
    next_link = re.search(r'href="([^"]*)" rel="next"', body)
    assert next_link and f"commune={many_clubs.commune_a1.pk}" in next_link.group(1)
    assert "q=clb" in next_link.group(1)
    rows, _ = _walk(client, url, key=lambda club: club.commune_id)
    assert set(rows) == {many_clubs.commune_a1.pk}
    assert len(rows) == 41  # 40 new clubs and club_a


@pytest.mark.parametrize("page_no", [1, 3])
def test_club_list_queries_do_not_grow_with_the_page(
    login, many_clubs, django_assert_max_num_queries, page_no
):
    client = login(many_clubs.province)
    url = CLUBS
    for _ in range(page_no - 1):
        url = f"{CLUBS}?cursor={client.get(url).context['page_obj'].next_cursor}"
    # 1 session, 2 user, 3 the user's area (scoping), 4 composition targets, 5 count,
    # 6 the page of clubs, 7 their composition counts, 8 the commune choices of the filter.
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.context["page_obj"].number == page_no


# --- the report inbox -----------------------------------------------------------------------


@pytest.fixture
def many_reports(many_clubs):
    """Reports of three months for 30 clubs of province A (90), and one in province B."""
    clubs = list(Club.objects.filter(province=many_clubs.province_a).order_by("pk")[:30])
    for month in (3, 4, 5):
        for club in clubs:
            MonthlyReportFactory(club=club, year=2024, month=month, status="submitted")
    MonthlyReportFactory(club=many_clubs.club_b, year=2024, month=5, status="submitted")
    return many_clubs


def test_the_inbox_walks_every_report_once_newest_month_first(login, many_reports):
    client = login(many_reports.province)
    rows, numbers = _walk(client, f"{INBOX}?status=all", key=lambda r: r.pk)
    expected = list(
        MonthlyReport.objects.filter(province=many_reports.province_a)
        .order_by("-year", "-month", "-pk")
        .values_list("pk", flat=True)
    )
    assert rows == expected and len(set(rows)) == 90
    assert numbers == [1, 2, 3, 4]


def test_the_inbox_keeps_its_status_filter_through_the_pages(login, many_reports):
    MonthlyReport.objects.filter(month=4).update(status="reviewed")
    client = login(many_reports.province)
    rows, _ = _walk(client, f"{INBOX}?status=submitted", key=lambda r: (r.status, r.month))
    assert len(rows) == 60 and {status for status, _ in rows} == {"submitted"}
    assert [month for _, month in rows] == [5] * 30 + [3] * 30


def test_the_inbox_does_not_read_the_reports_figures(login, many_reports):
    client = login(many_reports.province)
    cursor = client.get(f"{INBOX}?status=all").context["page_obj"].next_cursor
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"{INBOX}?status=all&cursor={cursor}")
    page_sql = [q["sql"] for q in ctx.captured_queries if "clubs_monthlyreport" in q["sql"]]
    assert page_sql
    assert not [sql for sql in page_sql if '"figures"' in sql or '"narrative"' in sql]


@pytest.mark.parametrize("page_no", [1, 4])
def test_inbox_queries_do_not_grow_with_the_page(
    login, many_reports, django_assert_max_num_queries, page_no
):
    client = login(many_reports.province)
    url = f"{INBOX}?status=all"
    for _ in range(page_no - 1):
        url = f"{INBOX}?status=all&cursor={client.get(url).context['page_obj'].next_cursor}"
    # 1 session, 2 user, 3 count, 4 the page with clubs and communes, 5-7 the commune
    # choices of the filter (counted twice by the form, then read).
    with django_assert_max_num_queries(7):
        response = client.get(url)
    assert response.context["page_obj"].number == page_no


def test_old_page_numbers_open_the_same_reports_as_walking_and_skip_only_keys(login, many_reports):
    client = login(many_reports.province)
    walked, _ = _walk(client, f"{INBOX}?status=all", key=lambda r: r.pk)
    for number in (2, 3, 4):
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(INBOX, {"status": "all", "page": number}).context["page_obj"]
        assert [r.pk for r in page.object_list] == walked[25 * (number - 1) : 25 * number]
        assert page.number == number
        # The rows before the page are skipped by their sort keys alone: the OFFSET reads
        # no report's columns beyond them.
        skips = [q["sql"] for q in ctx.captured_queries if "OFFSET" in q["sql"]]
        assert len(skips) == 1 and '"status"' not in skips[0].split("FROM")[0], skips


def test_a_commune_cannot_reach_the_provinces_reports_with_its_cursor(login, many_reports):
    page = login(many_reports.province).get(f"{INBOX}?status=all").context["page_obj"]
    response = login(many_reports.commune).get(INBOX, {"status": "all", "cursor": page.next_cursor})
    assert response.status_code == 200
    clubs = {r.club.commune_id for r in response.context["page_obj"].object_list}
    assert clubs <= {many_reports.commune_a1.pk}
    response = login(many_reports.leader2).get(INBOX, {"status": "all", "cursor": page.last_cursor})
    assert {r.club_id for r in response.context["page_obj"].object_list} <= {many_reports.club_b.pk}


# --- the clubs behind a dashboard figure ----------------------------------------------------


def test_a_figure_list_walks_every_club_once_in_name_order(login, many_clubs):
    clubs = list(Club.objects.filter(province=many_clubs.province_a).order_by("pk"))
    for i, club in enumerate(clubs):
        MemberFactory.create_batch(1 + i % 3, club=club)  # values 1, 2, 3
    summary.rebuild(months=3)
    client = login(many_clubs.province)
    url = reverse("reports:figure_list", args=["members"]) + f"?area={many_clubs.province_a.pk}"
    rows, numbers = _walk(client, url, key=lambda row: (row["value"], row["club_id"]))
    assert len(rows) == 62 and len({club for _, club in rows}) == 62
    assert numbers == [1, 2, 3]
    # By the club's name in Vietnamese order, then id (runs of the same name), as the club
    # list; each with what it adds to the figure.
    expected = list(
        Club.objects.filter(province=many_clubs.province_a)
        .order_by(*by_name("name"), "pk")
        .values_list("pk", flat=True)
    )
    assert [c for _, c in rows] == expected
    assert {c: v for v, c in rows} == {club.pk: 1 + i % 3 for i, club in enumerate(clubs)}


@pytest.mark.parametrize("page_no", [1, 3])
def test_figure_list_queries_do_not_grow_with_the_page(
    login, many_clubs, django_assert_max_num_queries, page_no
):
    for club in Club.objects.filter(province=many_clubs.province_a):
        MemberFactory(club=club)
    summary.rebuild(months=3)
    client = login(many_clubs.province)
    base = reverse("reports:figure_list", args=["clubs"]) + f"?area={many_clubs.province_a.pk}"
    url = base
    for _ in range(page_no - 1):
        url = f"{base}&cursor={client.get(url).context['page_obj'].next_cursor}"
    # 1 session, 2 user, 3 the area (through the door), 4 count, 5 the page.
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.context["page_obj"].number == page_no


# --- PostgreSQL: a deep page is read from an index, not sorted --------------------------------


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_sort = on")
    return plan


def _page_query(client, url: str, table: str):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    pages = [
        q["sql"]
        for q in ctx.captured_queries
        if f'FROM "{table}"' in q["sql"] and "LIMIT" in q["sql"] and "COUNT(" not in q["sql"]
    ]
    assert len(pages) == 1, pages
    return pages[0]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("who", "list_url", "table"),
    [
        ("province", CLUBS, "clubs_club"),
        ("commune", CLUBS, "clubs_club"),
        ("province", f"{INBOX}?status=all", "clubs_monthlyreport"),
        ("province", f"{INBOX}?status=submitted", "clubs_monthlyreport"),
    ],
)
def test_a_deep_page_is_read_from_an_index_without_sorting(
    login, many_reports, who, list_url, table
):
    client = login(getattr(many_reports, who))
    sep = "&" if "?" in list_url else "?"
    cursor = client.get(list_url).context["page_obj"].next_cursor
    assert cursor
    sql = _page_query(client, f"{list_url}{sep}cursor={cursor}", table)
    with connection.cursor() as c:
        c.execute(f"ANALYZE {table}")
    # Run again with parameters (CaptureQueriesContext shows them interpolated).
    plan = _plan(sql, None)
    assert f"Seq Scan on {table}" not in plan, plan
    assert "Sort" not in plan, plan  # the index gives the order: nothing sorts the table
    assert re.search(rf"Index (Only )?Scan( Backward)? using \w+ on {table}", plan), plan


# --- the funds of a province -----------------------------------------------------------------

FUNDS = reverse("funds:fund_list")


def test_the_fund_list_walks_every_fund_once_associations_first(login, many_clubs):
    from funds.models import Fund

    care = [
        Fund.objects.create(owner_area=area, kind=Fund.Kind.CARE, name="Quỹ chăm sóc NCT")
        for area in (many_clubs.commune_a2, many_clubs.commune_a1, many_clubs.province_a)
    ]
    Fund.objects.create(owner_area=many_clubs.commune_b1, kind=Fund.Kind.CARE, name="Quỹ B")
    client = login(many_clubs.province)
    rows, numbers = _walk(client, FUNDS, key=lambda fund: fund.pk)
    visible = Fund.objects.filter(club__province=many_clubs.province_a).count() + 3
    assert len(rows) == len(set(rows)) == visible
    assert len(numbers) == -(-visible // 25)
    # The associations' funds first, by the area's name: Tỉnh A, Xã A Hai, Xã A Một.
    assert rows[:3] == [care[2].pk, care[0].pk, care[1].pk]
    clubs = [Fund.objects.select_related("club").get(pk=pk).club for pk in rows[3:]]
    assert all(club.province_id == many_clubs.province_a.pk for club in clubs)


def test_the_fund_list_keeps_its_kind_filter_and_scope_through_the_pages(login, many_clubs):
    from funds.models import Fund

    client = login(many_clubs.province)
    rows, _ = _walk(client, f"{FUNDS}?kind=revolving", key=lambda fund: (fund.kind, fund.club_id))
    assert {kind for kind, _ in rows} == {"revolving"}
    assert (
        len(rows)
        == Fund.objects.filter(club__province=many_clubs.province_a)
        .filter(kind="revolving")
        .count()
    )
    cursor = client.get(FUNDS).context["page_obj"].next_cursor
    response = login(many_clubs.leader2).get(FUNDS, {"cursor": cursor})
    assert response.status_code == 200
    assert {f.club_id for f in response.context["page_obj"].object_list} <= {many_clubs.club_b.pk}


@pytest.mark.parametrize("page_no", [1, 4])
def test_fund_list_queries_do_not_grow_with_the_page(
    login, many_clubs, django_assert_max_num_queries, page_no
):
    client = login(many_clubs.province)
    url = FUNDS
    for _ in range(page_no - 1):
        url = f"{FUNDS}?cursor={client.get(url).context['page_obj'].next_cursor}"
    # 1 session, 2 user, 3 count, 4 the page with clubs, communes and areas.
    with django_assert_max_num_queries(5):
        response = client.get(url)
    assert response.context["page_obj"].number == page_no


@pytest.mark.parametrize("url", [f"{INBOX}?status=all", FUNDS, "figure"])
def test_every_list_answers_a_changed_cursor_with_its_first_page(login, many_reports, url):
    if url == "figure":
        summary.rebuild(months=3)
        url = reverse("reports:figure_list", args=["clubs"]) + f"?area={many_reports.province_a.pk}"
    client = login(many_reports.province)
    first = client.get(url).context["page_obj"]
    tampered = first.next_cursor.replace(":", ":x", 1)
    for cursor in (tampered, first.next_cursor[::-1], "bm90IGEgY3Vyc29y"):
        response = client.get(f"{url}&cursor={cursor}" if "?" in url else f"{url}?cursor={cursor}")
        assert response.status_code == 200
        page = response.context["page_obj"]
        assert page.number == 1
        assert list(page.object_list) == list(first.object_list)
