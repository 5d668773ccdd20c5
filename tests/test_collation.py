"""Names sort in Vietnamese alphabetical order (config/collation.py): An, Ánh, Bình, Dương,
Đặng … — not byte order (Đặng after Zô), not accent-free (Đặng among the D)."""

import pytest
from django.db import connection
from django.urls import reverse

from clubs.models import Club
from config.collation import by_name
from members.models import Member
from tests.factories import ClubFactory, MemberFactory

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
