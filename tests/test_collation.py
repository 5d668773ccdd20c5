"""Names sort in Vietnamese alphabetical order (config/collation.py): An, Ánh, Bình, Dương,
Đặng … — not byte order (Đặng after Zô), not accent-free (Đặng among the D)."""

import pytest
from django.db import connection
from django.urls import reverse

from clubs.models import Club
from config.collation import by_name
from members.models import Member
from tests.factories import ClubFactory, CommuneFactory, MemberFactory
from tests.factories_association import UnitFactory
from tests.factories_trainings import ParticipantFactory, make_event

pytestmark = pytest.mark.django_db

VIETNAMESE_ORDER = ["An", "Ánh", "Bình", "Dương", "Đặng", "U", "Ư", "Zô"]


@pytest.mark.postgres
def test_the_helper_sorts_in_vietnamese_order(cast):
    for name in reversed(VIETNAMESE_ORDER):
        MemberFactory(club=cast.club_a, full_name=name)
    names = list(
        Member.objects.filter(club=cast.club_a)
        .order_by(*by_name("full_name"), "pk")
        .values_list("full_name", flat=True)
    )
    assert names == VIETNAMESE_ORDER


@pytest.mark.postgres
def test_the_member_register_lists_names_in_vietnamese_order(cast, login):
    for name in ["Đặng Thị Hoa", "Dương Văn Bình", "Ân Thị Lan", "Zô Văn Minh", "An Văn Tú"]:
        MemberFactory(club=cast.club_a, full_name=name)
    response = login(cast.leader).get(reverse("members:member_list", args=[cast.club_a.pk]))
    page = response.content.decode()
    positions = [
        page.index(n)
        for n in ["An Văn Tú", "Ân Thị Lan", "Dương Văn Bình", "Đặng Thị Hoa", "Zô Văn Minh"]
    ]
    assert positions == sorted(positions)


@pytest.mark.postgres
def test_the_club_list_sorts_clubs_in_vietnamese_order(cast, login):
    for name in ["CLB Đồng Tâm", "CLB Dân Chủ", "CLB Ánh Dương"]:
        ClubFactory(name=name, commune=cast.commune_a1)
    page = login(cast.commune).get(reverse("clubs:club_list")).content.decode()
    positions = [page.index(n) for n in ["CLB Ánh Dương", "CLB Dân Chủ", "CLB Đồng Tâm"]]
    assert positions == sorted(positions)


def test_the_helper_works_on_every_database(cast):
    """On SQLite (no ICU) the same call sorts by the column: lists keep working."""
    ClubFactory(name="CLB B", commune=cast.commune_a1)
    names = list(
        Club.objects.filter(commune=cast.commune_a1)
        .order_by(*by_name("commune__name", "name"), "pk")
        .values_list("name", flat=True)
    )
    assert len(names) == 2
    if connection.vendor != "postgresql":
        assert names == sorted(names)


def test_an_empty_collation_setting_sorts_by_the_column(cast, settings):
    settings.ISHC_NAME_COLLATION = ""
    sql = str(Member.objects.order_by(*by_name("full_name")).query)
    assert "COLLATE" not in sql


# In Vietnamese order: Ánh with the A (after An, before B), Đ after every D and before E.
LIST_ORDER = ["An", "Ánh", "Bình", "Dung", "Dương", "Đào", "Em"]


def _members(cast, names):
    for name in names:
        MemberFactory(club=cast.club_a, full_name=f"{name} Văn Thử")
    return cast.leader, reverse("members:member_list", args=[cast.club_a.pk])


def _clubs(cast, names):
    for name in names:
        ClubFactory(name=f"CLB {name} Thử", commune=cast.commune_a1)
    return cast.commune, reverse("clubs:club_list")


def _communes(cast, names):
    for name in names:
        CommuneFactory(name=f"Xã {name} Thử", parent=cast.province_a)
    return cast.province, reverse("clubs:area_list")


def _participants(cast, names):
    training = make_event(cast.province_a, people=0)
    for name in names:
        ParticipantFactory(training=training, full_name=f"{name} Văn Thử")
    return cast.province, reverse("trainings:participants", args=[training.pk])


def _units(cast, names):
    for name in names:
        UnitFactory(name=f"Hội NCT {name} Thử", area=CommuneFactory(parent=cast.province_a))
    return cast.province, reverse("association:units")


LABELS = {
    _members: "{} Văn Thử",
    _clubs: "CLB {} Thử",
    _communes: "Xã {} Thử",
    _participants: "{} Văn Thử",
    _units: "Hội NCT {} Thử",
}


@pytest.mark.postgres
@pytest.mark.parametrize(
    "make", list(LABELS), ids=["members", "clubs", "communes", "participants", "units"]
)
def test_the_main_lists_sort_names_in_vietnamese_order(cast, login, make):
    user, url = make(cast, list(reversed(LIST_ORDER)))
    page = login(user).get(url).content.decode()
    positions = [page.index(LABELS[make].format(name)) for name in LIST_ORDER]
    assert positions == sorted(positions)
