"""The training's board-member picker and the "add participant" form hold at province scale:
a fixed number of queries whatever the number of board members, the seats read through the
province's clubs (not every seat of the country, not every member of the province), and the
same people, order and scope as before."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ClubFactory, MemberFactory
from tests.factories_members import BoardPositionFactory
from tests.factories_trainings import TrainingFactory

pytestmark = pytest.mark.django_db


def _seat(club, name: str, **kwargs):
    return BoardPositionFactory(
        club=club, member=MemberFactory(club=club, full_name=name), **kwargs
    )


def _pick(client, training, term: str = "") -> str:
    url = reverse("trainings:pick_member", args=[training.pk])
    response = client.get(url, {"name": "member", "member_q": term})
    assert response.status_code == 200
    return response.content.decode()


def test_picker_lists_current_board_members_of_the_province_in_vietnamese_order(cast, login):
    training = TrainingFactory(organiser=cast.province_a)
    _seat(cast.club_a, "Bùi Thị Ngân")
    _seat(cast.club_a2, "Âu Văn Long")
    _seat(cast.club_a, "Nguyễn Văn Cũ", end_on=datetime.date(2024, 6, 1))  # term ended
    gone = _seat(cast.club_a, "Ngô Thị Đi").member
    gone.left_on = datetime.date(2024, 7, 1)
    gone.save()
    _seat(cast.club_b, "Nguyễn Thị Khác")  # another province
    MemberFactory(club=cast.club_a, full_name="Nguyễn Thị Thường")  # never on the board

    html = _pick(login(cast.province), training, "ng")

    assert "Âu Văn Long" in html and "Bùi Thị Ngân" in html
    if connection.vendor == "postgresql":  # the Vietnamese collation (config/collation.py)
        # Â comes before B (a byte order would put it after Z)
        assert html.index("Âu Văn Long") < html.index("Bùi Thị Ngân")
    for absent in ("Nguyễn Văn Cũ", "Ngô Thị Đi", "Nguyễn Thị Khác", "Nguyễn Thị Thường"):
        assert absent not in html


def test_picker_shows_at_most_twenty_and_says_more_match(cast, login):
    training = TrainingFactory(organiser=cast.province_a)
    for i in range(23):
        _seat(ClubFactory(commune=cast.commune_a1), f"Lò Văn Ban {i:02d}")

    html = _pick(login(cast.province), training, "lo van ban")

    assert html.count('type="radio"') == 20
    assert "Lò Văn Ban 00" in html and "Lò Văn Ban 20" not in html
    assert "type more of the name" in html or "gõ thêm" in html.lower()


def test_a_commune_sees_only_its_own_board_members(cast, login):
    training = TrainingFactory(organiser=cast.commune_a1)
    _seat(cast.club_a, "Hà Thị Gần")
    _seat(cast.club_a2, "Hà Thị Xa")  # another commune of the province

    html = _pick(login(cast.commune), training, "ha thi")

    assert "Hà Thị Gần" in html and "Hà Thị Xa" not in html


@pytest.mark.parametrize("clubs", [2, 25])
def test_picker_and_add_form_run_a_fixed_number_of_queries(
    cast, login, django_assert_max_num_queries, clubs
):
    training = TrainingFactory(organiser=cast.province_a)
    for i in range(clubs):
        club = ClubFactory(commune=cast.commune_a1 if i % 2 else cast.commune_a2)
        for position in ("chair", "vice_chair", "member"):
            _seat(club, f"Nguyễn Văn {position} {i}", position=position)
    client = login(cast.province)
    # session, user, training (scoped), board members (one query, clubs included)
    with django_assert_max_num_queries(4):
        html = _pick(client, training, "ng")
    assert html.count('type="radio"') == min(20, 3 * clubs)
    # session, user, training, the organiser choices, accounts, board members; the access log
    with django_assert_max_num_queries(10):
        response = client.get(reverse("trainings:participant_add", args=[training.pk]))
    assert response.status_code == 200


BIG_TABLES = ("members_member", "clubs_boardposition")


def _whole_reads(sql: str) -> list[str]:
    """How the plan reads the big tables wrongly: a sequential scan, an index walked from end
    to end (no index condition), or the seats found member by member rather than through
    the clubs or the province in scope (at national scale that becomes a read of every seat
    of the country).
    ``enable_seqscan = off`` as in test_explain_plans: the test data is small."""
    with connection.cursor() as cursor:
        # analysed first, as autovacuum would: a province's seats are few of the country's;
        # and no sort, as the LIMIT makes it at scale (six seats are cheaper to sort)
        cursor.execute("ANALYZE clubs_boardposition, members_member, clubs_club")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_sort = on")
    if isinstance(plan, str):
        plan = json.loads(plan)
    found: list[str] = []

    def walk(node: dict) -> None:
        table = node.get("Relation Name")
        if table in BIG_TABLES:
            kind = node["Node Type"]
            cond = node.get("Index Cond", "") + node.get("Recheck Cond", "")
            if kind == "Seq Scan" or (kind in ("Index Scan", "Index Only Scan") and not cond):
                found.append(f"{kind} on {table}")
            elif (
                node.get("Alias") == "seat" and "club_id" not in cond and "province_id" not in cond
            ):
                # the seats listed come through the clubs or the province in scope (the
                # other seat read, by member, is the check of each listed member's first
                # seat: twenty lookups)
                found.append(f"{kind} on {table} by {cond}")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return found


@pytest.mark.postgres
def test_board_member_search_reads_only_the_seats_of_the_provinces_clubs(cast, login):
    training = TrainingFactory(organiser=cast.province_a)
    for club in (cast.club_a, cast.club_a2, cast.club_b):
        _seat(club, "Nguyễn Văn Một")
        _seat(club, "Trần Thị Hai", position="member")
    for i in range(30):  # the rest of the country: more seats than the province's
        _seat(cast.club_b, f"Nguyễn Văn Khác {i}", position="member")
    client = login(cast.province)
    url = reverse("trainings:pick_member", args=[training.pk])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"name": "member", "member_q": "ng"})
    assert response.status_code == 200
    queries = [q["sql"] for q in ctx.captured_queries if "clubs_boardposition" in q["sql"]]
    assert len(queries) == 1
    assert _whole_reads(queries[0]) == []
