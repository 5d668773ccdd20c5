"""The fund list reads its scope and its order from the fund's own copies of its holder
(``Fund.club_owned``, ``holder_name``, ``province``, ``commune``; docs/performance.md, "Keyset
pages"): the copies are right for a new fund and stay right when a club or an area is renamed
or moves, every role sees exactly the funds the door (``scoping.for_user``) gives it, the
query count does not grow with the province, and on PostgreSQL a province's page is one range
scan of ``fund_province_holder_keyset`` with nothing sorted."""

from __future__ import annotations

import datetime
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.models import Case, Value, When
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import scoping
from accounts.models import Role
from clubs import services as club_services
from clubs.models import Area
from config.collation import vi_name
from funds import selectors
from funds.models import Fund
from funds.services.holders import fund_holders_refill
from tests.factories import ClubFactory, CommuneFactory, UserFactory

pytestmark = pytest.mark.django_db

FUNDS = reverse("funds:fund_list")
NAMES = ["CLB Đồng Tâm", "CLB Ánh Dương", "CLB An Bình", "CLB Bản Mới"]


def _copies(fund: Fund) -> tuple:
    fund.refresh_from_db()
    return (fund.club_owned, fund.holder_name, fund.province_id, fund.commune_id)


def _care(area: Area, name: str = "Quỹ chăm sóc NCT") -> Fund:
    return Fund.objects.create(owner_area=area, kind=Fund.Kind.CARE, name=name)


@pytest.fixture
def funds_world(cast):
    """Province A with 30 more clubs (names repeated), care funds at every level, a former
    district with a fund of its own, and province B's care fund (the outsider)."""
    for i in range(30):
        ClubFactory(name=NAMES[i % 4], commune=cast.commune_a1 if i % 3 else cast.commune_a2)
    district = Area.objects.create(
        code="910", name="Huyện A cũ", level=Area.Level.DISTRICT, parent=cast.province_a
    )
    cast.care = {
        "province_a": _care(cast.province_a),
        "commune_a1": _care(cast.commune_a1),
        "commune_a2": _care(cast.commune_a2),
        "district": _care(district),
        "province_b": _care(cast.province_b),
        "commune_b1": _care(cast.commune_b1),
    }
    cast.district = district
    return cast


def _walk(client, url: str = FUNDS) -> list[int]:
    """Every fund id from the first page by following "Next"."""
    response = client.get(url)
    rows: list[int] = []
    while True:
        assert response.status_code == 200
        page = response.context["page_obj"]
        rows += [fund.pk for fund in page.object_list]
        if not page.has_next():
            return rows
        response = client.get(f"{url}?cursor={page.next_cursor}")


def _expected(user) -> list[int]:
    """The funds the door gives ``user``, in the list's order computed from the holders'
    tables themselves (as the list did before it had the copies)."""
    return list(
        scoping.for_user(Fund, user)
        .annotate(
            owned=Case(When(club__isnull=True, then=Value(0)), default=Value(1)),
            holder=Coalesce("owner_area__name", "club__name"),
        )
        .order_by("owned", vi_name("holder"), "kind", "pk")
        .values_list("pk", flat=True)
    )


# --- the copies ------------------------------------------------------------------------------


def test_a_new_fund_copies_its_holder_at_every_level(funds_world):
    w = funds_world
    club = w.club_a
    for fund in Fund.objects.filter(club=club):
        assert _copies(fund) == (1, club.name, w.province_a.pk, w.commune_a1.pk)
    assert _copies(w.care["province_a"]) == (0, "Tỉnh A", w.province_a.pk, None)
    assert _copies(w.care["commune_a1"]) == (0, "Xã A Một", w.province_a.pk, w.commune_a1.pk)
    assert _copies(w.care["district"]) == (0, "Huyện A cũ", w.province_a.pk, None)


def test_a_renamed_club_moves_in_the_list(funds_world, login):
    w = funds_world
    w.club_a.name = "CLB A Đầu"  # now the first club by name ("CLB A " < "CLB An Bình")
    club_services.club_update(club=w.club_a, by=w.province)
    rows = _walk(login(w.province))
    assert rows == _expected(w.province)
    # Four associations' funds (the former district, the province, its two communes), then
    # the renamed club's two funds.
    ours = set(Fund.objects.filter(club=w.club_a).values_list("pk", flat=True))
    assert set(rows[4:6]) == ours
    assert {f.holder_name for f in Fund.objects.filter(club=w.club_a)} == {"CLB A Đầu"}


def test_a_club_that_moves_to_another_province_changes_lists(funds_world, login):
    w = funds_world
    moved = set(Fund.objects.filter(club=w.club_a2).values_list("pk", flat=True))
    assert moved <= set(_walk(login(w.province)))
    w.club_a2.commune = w.commune_b1
    club_services.club_update(club=w.club_a2, by=w.admin)

    province_b = UserFactory(role=Role.PROVINCE, area=w.province_b)
    commune_b = UserFactory(role=Role.COMMUNE, area=w.commune_b1)
    commune_a2 = UserFactory(role=Role.COMMUNE, area=w.commune_a2)
    assert not moved & set(_walk(login(w.province)))
    assert not moved & set(_walk(login(commune_a2)))
    for user in (province_b, commune_b):
        rows = _walk(login(user))
        assert moved <= set(rows)
        assert rows == _expected(user)
    for fund in Fund.objects.filter(pk__in=moved):
        assert (fund.province_id, fund.commune_id) == (w.province_b.pk, w.commune_b1.pk)


def test_a_commune_that_moves_province_takes_its_clubs_funds_and_its_own(funds_world, login):
    w = funds_world
    w.commune_a2.name = "Xã A Hai Mới"
    w.commune_a2.parent = w.province_b
    w.commune_a2.province = w.province_b
    w.commune_a2.save()

    province_b = UserFactory(role=Role.PROVINCE, area=w.province_b)
    ours = set(Fund.objects.filter(club__commune=w.commune_a2).values_list("pk", flat=True)) | {
        w.care["commune_a2"].pk
    }
    assert not ours & set(_walk(login(w.province)))
    assert ours <= set(_walk(login(province_b)))
    assert _walk(login(province_b)) == _expected(province_b)
    assert _copies(w.care["commune_a2"]) == (0, "Xã A Hai Mới", w.province_b.pk, w.commune_a2.pk)


def test_a_renamed_province_moves_its_fund_in_the_list(funds_world, login):
    w = funds_world
    w.province_a.name = "Ban Tỉnh A"
    w.province_a.save()
    rows = _walk(login(w.province))
    assert rows == _expected(w.province)
    assert rows[:4] == [
        w.care["province_a"].pk,  # Ban Tỉnh A, before Huyện now
        w.care["district"].pk,  # Huyện A cũ
        w.care["commune_a2"].pk,  # Xã A Hai
        w.care["commune_a1"].pk,  # Xã A Một
    ]


def test_a_status_change_writes_no_fund(cast):
    """Saving chosen columns other than the name or commune asks nothing of the funds."""
    with CaptureQueriesContext(connection) as ctx:
        club_services.club_change_status(
            club=cast.club_a,
            status="paused",
            changed_on=datetime.date.today(),
            reason="Mùa vụ",
            by=cast.province,
        )
    assert not [q for q in ctx.captured_queries if "funds_fund" in q["sql"]]


def test_the_migration_and_the_refill_restore_blanked_copies(funds_world):
    """The data migration (and the generator's refill) rebuild every copy set-based."""
    w = funds_world
    before = {f.pk: _copies(f) for f in Fund.objects.all()}
    blank = {"club_owned": 0, "holder_name": "", "province_id": None, "commune_id": None}
    Fund.objects.update(**blank)
    migration = importlib.import_module("funds.migrations.0006_fill_fund_holders")
    migration.fill(django_apps, None)
    assert {f.pk: _copies(f) for f in Fund.objects.all()} == before
    Fund.objects.update(**blank)
    assert fund_holders_refill() == len(before)
    assert {f.pk: _copies(f) for f in Fund.objects.all()} == before
    assert before[w.care["district"].pk] == (0, "Huyện A cũ", w.province_a.pk, None)


# --- scope: each role sees what the door gives it ------------------------------------------


def test_every_role_sees_exactly_the_funds_the_door_gives_it(funds_world, login):
    w = funds_world
    users = [
        w.admin,
        w.province,
        w.commune,
        w.leader,
        w.leader2,
        w.viewer,
        UserFactory(role=Role.VIEWER, area=w.commune_a2),
        UserFactory(role=Role.PROVINCE, area=w.province_a, club=w.club_a2),
        UserFactory(role=Role.COMMUNE, area=w.province_b),  # a mismatched scope sees nothing
        UserFactory(role=Role.PROVINCE, area=None),
    ]
    for user in users:
        door = set(scoping.for_user(Fund, user).values_list("pk", flat=True))
        assert set(selectors.fund_list(viewer=user).values_list("pk", flat=True)) == door, user
        assert _walk(login(user)) == _expected(user), user


def test_province_staff_never_see_the_other_province(funds_world, login):
    w = funds_world
    client = login(w.province)
    rows = set(_walk(client))
    outside = set(Fund.objects.filter(club=w.club_b).values_list("pk", flat=True))
    assert not rows & (outside | {w.care["province_b"].pk, w.care["commune_b1"].pk})
    other = Fund.objects.get(club=w.club_b, kind=Fund.Kind.OPERATING)
    assert client.get(reverse("funds:fund_detail", args=[other.pk])).status_code == 404
    commune_staff = login(w.commune)
    assert commune_staff.get(reverse("funds:fund_detail", args=[other.pk])).status_code == 404


# --- queries -------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 50])
def test_the_fund_list_runs_the_same_queries_for_3_and_50_clubs(
    cast, login, django_assert_max_num_queries, n
):
    for i in range(n):
        ClubFactory(commune=cast.commune_a1 if i % 2 else CommuneFactory(parent=cast.province_a))
    client = login(cast.province)
    # 1 session, 2 user, 3 the user's area (the door), 4 count, 5 the page (clubs,
    # communes and areas joined).
    with django_assert_max_num_queries(5):
        response = client.get(FUNDS)
    assert response.status_code == 200
    page = response.context["page_obj"]
    with django_assert_max_num_queries(5):
        response = client.get(f"{FUNDS}?cursor={page.next_cursor}" if page.has_next() else FUNDS)
    assert response.status_code == 200


# --- PostgreSQL: one index range scan, nothing sorted ---------------------------------------


def _explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_sort = on")
    return plan


def _fund_queries(client, url: str) -> tuple[str, str]:
    """The count and the page query the fund list ran for ``url``."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    ours = [q["sql"] for q in ctx.captured_queries if 'FROM "funds_fund"' in q["sql"]]
    counts = [sql for sql in ours if "COUNT(" in sql]
    pages = [sql for sql in ours if "LIMIT" in sql and "COUNT(" not in sql]
    assert len(counts) == len(pages) == 1, ours
    return counts[0], pages[0]


def _other_provinces_funds(w, n: int = 200) -> None:
    """Funds outside province A (as at national scale, where a province holds a 34th of
    them), written with their copies in one query: the planner then weighs the province's
    index against reading the whole order and filtering, as it does on real data."""
    Fund.objects.bulk_create(
        Fund(
            owner_area=w.commune_b1,
            kind=Fund.Kind.OTHER,
            name=f"Quỹ khác {i}",
            holder_name=w.commune_b1.name,
            province=w.province_b,
            commune=w.commune_b1,
        )
        for i in range(n)
    )


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("who", "index"),
    [("province", "fund_province_holder_keyset"), ("commune", "fund_commune_holder_keyset")],
)
def test_a_deep_page_is_one_range_scan_of_the_index(funds_world, login, who, index):
    _other_provinces_funds(funds_world)
    client = login(getattr(funds_world, who))
    first = client.get(FUNDS).context["page_obj"]
    assert first.has_next()
    with connection.cursor() as c:
        c.execute("ANALYZE funds_fund")
    for url in (
        FUNDS,
        f"{FUNDS}?cursor={first.next_cursor}",
        f"{FUNDS}?cursor={first.last_cursor}",
    ):
        count, page = _fund_queries(client, url)
        plan = _explain(page)
        assert "Seq Scan on funds_fund" not in plan, plan
        assert "Sort" not in plan, plan  # the index gives the order: nothing sorts the funds
        assert re.search(rf"Index Scan( Backward)? using {index} on funds_fund", plan), plan
        plan = _explain(count)
        assert "Seq Scan on funds_fund" not in plan, plan
        assert index in plan, plan


@pytest.mark.postgres
def test_the_cursor_is_an_index_condition_not_a_filter(funds_world, login):
    """The page after a cursor starts its scan at the cursor: the row comparison is part of
    the index condition, so the scan reads 26 entries, not the province's funds before."""
    _other_provinces_funds(funds_world)
    client = login(funds_world.province)
    first = client.get(FUNDS).context["page_obj"]
    with connection.cursor() as c:
        c.execute("ANALYZE funds_fund")
    _, page = _fund_queries(client, f"{FUNDS}?cursor={first.next_cursor}")
    plan = _explain(page)
    cond = re.search(r"Index Cond: \((.*)\)", plan)
    assert cond, plan
    assert "province_id" in cond.group(1) and "ROW(" in cond.group(1), plan
