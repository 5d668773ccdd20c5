"""The "Association" section of the province and commune dashboards: units, branches,
members and growth, dues, the assessment's classes and the founding plan, each linking to its
list, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from association import selectors
from association.models import AssessmentRound, UnitAssessment
from tests.factories import ClubFactory, CommuneFactory
from tests.factories_association import BranchFactory, ReturnFactory, UnitFactory, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(cast):
    world = World(cast)
    ReturnFactory(unit=world.unit_a1, year=2024, members=850)
    ReturnFactory(unit=world.unit_a2, year=2025, members=500, dues_vnd=1_000_000)
    return world


def test_the_province_section_sums_its_communes(cast, w):
    today = datetime.date(2026, 12, 2)
    ClubFactory(commune=cast.commune_a1, founded_on=datetime.date(2025, 4, 1))
    s = selectors.dashboard_section(area=cast.province_a, viewer=cast.province, today=today)
    assert (s.units, s.communes_with_unit, s.branches) == (3, 2, 1)
    assert s.returns_year == 2025
    assert (s.members, s.members_before, s.growth) == (1400, 850, 550)
    assert s.dues == 10_000_000
    assert (s.planned, s.founded) == (2, 1)


def test_the_section_shows_the_classes_of_the_last_published_round(cast, w):
    w.ua_a1.status, w.ua_a1.result = UnitAssessment.Status.PUBLISHED, "good"
    w.ua_a1.save()
    w.round_a.status = AssessmentRound.Status.PUBLISHED
    w.round_a.save()
    s = selectors.dashboard_section(area=cast.province_a, viewer=cast.province)
    assert (s.round_id, s.round_year) == (w.round_a.pk, 2025)
    assert {c["key"]: c["n"] for c in s.classes} == {
        "strong": 0,
        "good": 1,
        "average": 0,
        "weak": 0,
    }
    other = selectors.dashboard_section(area=cast.commune_a2, viewer=cast.province)
    assert other.round_id is None  # nothing published for that commune


def test_the_commune_section_counts_its_own_unit_only(cast, w):
    s = selectors.dashboard_section(area=cast.commune_a1, viewer=cast.commune)
    assert (s.units, s.branches, s.members) == (1, 1, 900)


def test_the_dashboards_show_the_section_with_links(cast, login, w):
    client = login(cast.province)
    page = client.get(reverse("reports:area", args=[cast.province_a.pk])).content.decode()
    section = page.split('id="association-section"')[1].split("</section>")[0]
    assert "1.400" in section
    assert reverse("association:returns") + "?year=2025" in section
    assert reverse("association:plan", args=[w.plan_a.pk]) in section
    client = login(cast.commune)
    page = client.get(reverse("reports:area", args=[cast.commune_a1.pk])).content.decode()
    assert "900" in page.split('id="association-section"')[1].split("</section>")[0]


def test_the_section_answers_in_a_fixed_number_of_queries(cast, w, django_assert_max_num_queries):
    for i in range(15):
        unit = UnitFactory(area=CommuneFactory(parent=cast.province_a, name=f"Xã Đếm {i}"))
        BranchFactory(unit=unit)
        ReturnFactory(unit=unit, year=2025)
    with django_assert_max_num_queries(4):
        s = selectors.dashboard_section(area=cast.province_a, viewer=cast.province)
    assert s.units == 18
