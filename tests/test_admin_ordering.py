"""The admin lists names in Vietnamese order (config/admin_ordering.py): An, Ánh, Bình, Dung,
Dương, Đặng, Em — not in byte order (Đặng after Zô) nor accent-free (Đặng among the D)."""

import pytest
from django.db import connection
from django.urls import reverse

from clubs.models import Club
from config.admin_ordering import vietnamese_ordering
from elders.models import LongevityCelebration, OlderPerson
from members.models import Member
from tests.factories import ClubFactory, CommuneFactory, MemberFactory
from tests.factories_association import UnitFactory
from tests.factories_elders import OlderPersonFactory
from tests.factories_trainings import ParticipantFactory, make_event

pytestmark = pytest.mark.django_db

ORDER = ["An", "Ánh", "Bình", "Dung", "Dương", "Đặng", "Em"]


def _members(cast, names):
    for name in names:
        MemberFactory(club=cast.club_a, full_name=f"{name} Văn Thử")
    return "admin:members_member_changelist", "{} Văn Thử"


def _older_persons(cast, names):
    for name in names:
        OlderPersonFactory(commune=cast.commune_a1, full_name=f"{name} Thị Thử")
    return "admin:elders_olderperson_changelist", "{} Thị Thử"


def _clubs(cast, names):
    for name in names:
        ClubFactory(name=f"CLB {name} Thử", commune=cast.commune_a1)
    return "admin:clubs_club_changelist", "CLB {} Thử"


def _communes(cast, names):
    for name in names:
        CommuneFactory(name=f"Xã {name} Thử", parent=cast.province_a)
    return "admin:clubs_area_changelist", "Xã {} Thử"


def _units(cast, names):
    for name in names:
        UnitFactory(name=f"Hội NCT {name} Thử", area=CommuneFactory(parent=cast.province_a))
    return "admin:association_associationunit_changelist", "Hội NCT {} Thử"


def _participants(cast, names):
    training = make_event(cast.province_a, people=0)
    for name in names:
        ParticipantFactory(training=training, full_name=f"{name} Văn Học")
    return "admin:trainings_participant_changelist", "{} Văn Học"


MAKERS = [_members, _older_persons, _clubs, _communes, _units, _participants]
IDS = ["members", "older-persons", "clubs", "communes", "association-units", "participants"]


@pytest.mark.postgres
@pytest.mark.parametrize("make", MAKERS, ids=IDS)
def test_the_admin_lists_names_in_vietnamese_order(cast, login, make):
    view, label = make(cast, list(reversed(ORDER)))
    response = login(cast.admin).get(reverse(view))
    assert response.status_code == 200
    page = response.content.decode()
    positions = [page.index(label.format(name)) for name in ORDER]
    assert positions == sorted(positions)  # Ánh right after An, Đặng after Dương


@pytest.mark.parametrize("make", MAKERS, ids=IDS)
def test_the_admin_lists_open_on_every_database(cast, login, make):
    """SQLite has no ICU: the same lists sort by the column and still open."""
    view, label = make(cast, ORDER)
    page = login(cast.admin).get(reverse(view)).content.decode()
    assert all(label.format(name) in page for name in ORDER)


def test_the_accent_free_key_sorts_as_the_name_it_folds():
    terms = vietnamese_ordering(Member, Member._meta.ordering)
    sql = str(Member.objects.order_by(*terms).query)
    assert '"full_name"' in sql.split("ORDER BY")[1]
    assert "search_name" not in sql.split("ORDER BY")[1]
    older = vietnamese_ordering(LongevityCelebration, ["-year", "person__search_name", "pk"])
    assert older[0] == "-year" and older[2] == "pk"
    assert "full_name" in str(LongevityCelebration.objects.order_by(*older).query)
    if connection.vendor == "postgresql":
        assert "COLLATE" in sql


def test_other_terms_are_left_as_they_are():
    assert vietnamese_ordering(OlderPerson, ["-moved_on", "-pk"]) == ["-moved_on", "-pk"]
    assert vietnamese_ordering(Club, ["status", "?"]) == ["status", "?"]
