"""The training's board-member search reads about twenty rows whatever the size of the
province: the open seats carry their club's province and their member's name
(``BoardPosition.province``, ``member_name``, ``search_name``), a partial index on the open
seats gives them in name order, and the picker's LIMIT stops the read (issue 22).

What a user would notice stays: the current board members of the viewer's scope, each once,
in Vietnamese name order, found without accents, at most twenty, with the plain form
(no JavaScript) choosing the one match."""

from __future__ import annotations

import datetime
import importlib
import json
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clubs.models import BoardPosition
from members.models import Member
from tests.factories import ClubFactory, CommuneFactory, MemberFactory, ProvinceFactory
from tests.factories_members import BoardPositionFactory
from tests.factories_trainings import TrainingFactory
from trainings import selectors
from trainings.models import Participant

pytestmark = pytest.mark.django_db

RADIO = re.compile(r'name="member" value="(\d+)"')


def _seat(club, name: str, **kwargs) -> BoardPosition:
    return BoardPositionFactory(
        club=club, member=MemberFactory(club=club, full_name=name), **kwargs
    )


def _pick(client, training, term: str = "") -> str:
    url = reverse("trainings:pick_member", args=[training.pk])
    response = client.get(url, {"name": "member", "member_q": term})
    assert response.status_code == 200
    return response.content.decode()


def _names(viewer, term: str = "") -> list[str]:
    qs = selectors.board_members(viewer=viewer)
    return [m.full_name for m in selectors.search_board_members(qs, term)]


def test_the_seat_copies_its_province_and_its_members_name(cast):
    seat = _seat(cast.club_a2, "Lò Thị Hương")

    seat.refresh_from_db()
    assert seat.province_id == cast.province_a.pk
    assert (seat.member_name, seat.search_name) == ("Lò Thị Hương", "lo thi huong")


def test_a_renamed_member_is_found_by_the_new_name_only(cast):
    member = _seat(cast.club_a, "Lò Thị Hương").member

    member.full_name = "Lường Thị Hương"
    member.save()

    assert _names(cast.province, "luong") == ["Lường Thị Hương"]
    assert _names(cast.province, "lo thi") == []


def test_an_anonymised_member_leaves_no_name_on_the_seat_nor_in_its_history(cast):
    from members.services import member_erase_personal

    seat = _seat(cast.club_a, "Lò Thị Hương")

    member_erase_personal(member=seat.member, by=cast.province)

    seat.refresh_from_db()
    assert "huong" not in seat.search_name and "Hương" not in seat.member_name
    assert seat.member_name == seat.member.full_name
    assert _names(cast.province, "lo thi huong") == []
    history_fields = {f.name for f in BoardPosition.history.model._meta.fields}
    assert not {"member_name", "search_name"} & history_fields


def test_seats_follow_a_club_and_a_commune_that_move_to_another_province(cast):
    moved_club = _seat(cast.club_a2, "Hà Văn Đi").member.club
    stays = _seat(cast.club_a, "Hà Văn Ở")

    moved_club.commune = cast.commune_b1
    moved_club.save()
    assert _names(cast.province, "ha van") == ["Hà Văn Ở"]
    assert "Hà Văn Đi" in _names(cast.admin, "ha van")

    commune = cast.commune_a1
    commune.parent = commune.province = cast.province_b
    commune.save()
    stays.refresh_from_db()
    assert stays.province_id == cast.province_b.pk
    assert _names(cast.province, "ha van") == []


def test_only_current_board_members_of_the_scope_are_listed_each_once(cast):
    _seat(cast.club_a, "Bùi Thị Ngân")
    _seat(cast.club_a2, "Âu Văn Long")
    twice = _seat(cast.club_a, "Cầm Văn Hai Ghế", position=BoardPosition.Position.MEMBER)
    BoardPositionFactory(
        club=cast.club_a, member=twice.member, position=BoardPosition.Position.SECRETARY
    )
    _seat(cast.club_a, "Nguyễn Văn Cũ", end_on=datetime.date(2024, 6, 1))  # term ended
    gone = _seat(cast.club_a, "Ngô Thị Đi").member
    gone.left_on = datetime.date(2024, 7, 1)
    gone.save()
    _seat(cast.club_b, "Nguyễn Thị Khác")  # another province
    MemberFactory(club=cast.club_a, full_name="Nguyễn Thị Thường")  # never on the board

    expected = ["Âu Văn Long", "Bùi Thị Ngân", "Cầm Văn Hai Ghế"]
    if connection.vendor != "postgresql":  # no ICU collation: the names as they are
        expected.sort()
    assert _names(cast.province) == expected
    assert _names(cast.commune) == ["Bùi Thị Ngân", "Cầm Văn Hai Ghế"]  # commune A1 only
    assert sorted(_names(cast.admin)) == sorted([*expected, "Nguyễn Thị Khác"])


@pytest.mark.parametrize("term", ["nguyen thi tu", "NGUYỄN tư", "thi tu"])
def test_the_search_needs_no_accents(cast, term):
    _seat(cast.club_a, "Nguyễn Thị Tư")
    _seat(cast.club_a2, "Nguyễn Văn Tám")

    assert _names(cast.province, term) == ["Nguyễn Thị Tư"]


def test_the_picker_shows_twenty_and_says_more_match(cast, login):
    training = TrainingFactory(organiser=cast.province_a)
    for i in range(23):
        _seat(ClubFactory(commune=cast.commune_a2), f"Lò Văn Ban {i:02d}")

    html = _pick(login(cast.province), training, "lo van")

    assert len(RADIO.findall(html)) == 20
    assert "Lò Văn Ban 00" in html and "Lò Văn Ban 19" in html and "Lò Văn Ban 20" not in html
    assert "type more of the name" in html or "gõ thêm" in html.lower()


def test_the_plain_form_registers_the_one_board_member_matching(cast, login):
    training = TrainingFactory(organiser=cast.province_a)
    chosen = _seat(cast.club_a2, "Lý Thị Một").member
    _seat(cast.club_a, "Lý Văn Hai")
    _seat(cast.club_b, "Lý Thị Mộtkhác")  # another province: not a candidate
    client = login(cast.province)
    url = reverse("trainings:participant_add", args=[training.pk])
    data = {
        "full_name": "Lý Thị Một",
        "position": Participant.Position.CLUB_BOARD,
        "unit": "CLB LTH Bản Hon",
        "area": cast.commune_a2.pk,
        "sex": "F",
    }

    several = client.post(url, {**data, "member_q": "ly"})
    assert several.status_code == 200
    assert "Lý Thị Một" in several.text and "Lý Văn Hai" in several.text
    assert not training.participants.exists()

    response = client.post(url, {**data, "member_q": "ly thi mot"})
    assert response.status_code == 302, response.text
    assert training.participants.get().member == chosen


def test_an_out_of_scope_board_member_cannot_be_posted(cast, login):
    training = TrainingFactory(organiser=cast.province_a)
    other = _seat(cast.club_b, "Lý Thị Khác").member
    response = login(cast.province).post(
        reverse("trainings:participant_add", args=[training.pk]),
        {
            "full_name": "Lý Thị Khác",
            "position": Participant.Position.CLUB_BOARD,
            "unit": "CLB LTH Khu 3",
            "area": cast.commune_a1.pk,
            "sex": "F",
            "member": other.pk,
        },
    )
    assert response.status_code == 200
    assert not training.participants.exists()


@pytest.mark.parametrize("clubs", [2, 30])
def test_the_search_runs_a_fixed_number_of_queries(
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
        html = _pick(client, training, "nguyen")
    assert len(RADIO.findall(html)) == min(20, 3 * clubs)
    with django_assert_max_num_queries(4):
        _pick(client, training)


def test_the_migration_fills_the_copies_of_existing_seats(cast):
    seat = _seat(cast.club_a2, "Đinh Thị Cũ")
    BoardPosition.objects.update(province=None, member_name="", search_name="")

    importlib.import_module("clubs.migrations.0014_fill_board_seat_copies").fill(apps, None)

    seat.refresh_from_db()
    assert (seat.province_id, seat.member_name, seat.search_name) == (
        cast.province_a.pk,
        "Đinh Thị Cũ",
        "dinh thi cu",
    )


# --- The plan at scale (PostgreSQL) ---------------------------------------------------------

BIG_TABLES = ("members_member", "clubs_boardposition")


def _plan(sql: str, params) -> dict:
    """The plan with sequential scans and sorts switched off: the test data is small, so
    only where no index serves the query (or its order) does either still appear. The
    tables are analysed first, as autovacuum would: the planner then knows a province's
    seats are a small part of the country's."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clubs_boardposition, members_member, clubs_club")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_sort = on")
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


@pytest.fixture
def many_provinces(cast):
    for p in range(3):
        province = ProvinceFactory(code=f"8{p}", name=f"Tỉnh Thêm {p}")
        commune = CommuneFactory(code=f"8{p}001", name=f"Xã Thêm {p}", parent=province)
        for c in range(3):
            club = ClubFactory(commune=commune)
            for i in range(4):
                _seat(club, f"Trần Văn {p}{c}{i}", position=BoardPosition.Position.MEMBER)
    for club in (cast.club_a, cast.club_a2, cast.club_b):
        _seat(club, "Nguyễn Văn Một")
        _seat(club, "Trần Thị Hai", position=BoardPosition.Position.MEMBER)
    # Most members are on no board (a club of 60 has five seats).
    Member.objects.bulk_create(
        Member(
            club=club,
            full_name=f"Lò Thị {i}",
            search_name=f"lo thi {i}",
            sex=Member.Sex.FEMALE,
            birth_year=1950,
        )
        for club in (cast.club_a, cast.club_b)
        for i in range(300)
    )
    return cast


@pytest.mark.postgres
@pytest.mark.parametrize(("who", "term"), [("province", ""), ("province", "tran"), ("admin", "")])
def test_the_search_reads_the_open_seats_index_in_name_order(many_provinces, who, term):
    qs = selectors.search_board_members(
        selectors.board_members(viewer=getattr(many_provinces, who)), term
    )[:21]
    sql, params = qs.query.sql_with_params()

    plan = _plan(sql, params)
    nodes = list(_nodes(plan))

    assert plan["Node Type"] == "Limit"
    assert not [n for n in nodes if n["Node Type"] in ("Sort", "Incremental Sort")]
    assert not [
        n for n in nodes if n["Node Type"] == "Seq Scan" and n["Relation Name"] in BIG_TABLES
    ]
    seats = [n for n in nodes if n.get("Relation Name") == "clubs_boardposition"]
    expected = "board_current_province_name" if who == "province" else "board_current_name"
    assert seats[0]["Index Name"] == expected
    if who == "province":
        assert "province_id" in seats[0]["Index Cond"]
    # the members are read one by one by id (the page's twenty), never walked or scanned
    members = [n for n in nodes if n.get("Relation Name") == "members_member"]
    assert members
    for n in members:
        assert n["Node Type"] in ("Index Scan", "Index Only Scan", "Bitmap Heap Scan")
        assert "(id = seat.member_id)" in n.get("Index Cond", "") + n.get("Recheck Cond", "")


@pytest.mark.postgres
def test_the_picker_asks_one_query_of_the_seats_with_a_limit(many_provinces, login):
    training = TrainingFactory(organiser=many_provinces.province_a)
    client = login(many_provinces.province)
    with CaptureQueriesContext(connection) as ctx:
        _pick(client, training, "nguyen")
    queries = [q["sql"] for q in ctx.captured_queries if "clubs_boardposition" in q["sql"]]
    assert len(queries) == 1
    assert queries[0].rstrip().endswith("LIMIT 21")
