"""The association's part of the demo: Lai Châu's units, committees, returns, the two
assessment rounds and the 2024–2030 founding plan; loading it twice changes nothing."""

import io

import pytest
from django.urls import reverse

from accounts import demo as accounts_demo
from association import demo, selectors
from association.models import (
    AssessmentRound,
    AssociationUnit,
    Branch,
    ClubFounding,
    CommitteeMember,
    FoundingPlan,
    FoundingTarget,
    MembershipReturn,
    UnitAssessment,
)
from clubs import demo as clubs_demo
from clubs.models import Area, Club
from tests.module_data import loaded_for_the_module

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("association_demo")]

MODELS = [
    AssociationUnit,
    Branch,
    CommitteeMember,
    MembershipReturn,
    AssessmentRound,
    UnitAssessment,
    FoundingPlan,
    FoundingTarget,
    ClubFounding,
]


def _load() -> None:
    out = io.StringIO()
    clubs_demo.seed(out)
    accounts_demo.seed(out)
    demo.seed(out)


@pytest.fixture(scope="module", autouse=True)
def loaded(django_db_setup, django_db_blocker):
    yield from loaded_for_the_module(django_db_blocker, _load)


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def test_the_demo_loads_every_part_and_a_second_run_changes_nothing():
    first = counts()
    assert all(first.values()), first
    demo.seed(io.StringIO())
    assert counts() == first


def test_lai_chau_has_its_provincial_unit_and_one_per_commune():
    province = Area.objects.get(level=Area.Level.PROVINCE, code="12")
    communes = Area.objects.filter(level=Area.Level.COMMUNE, province=province, active=True)
    assert AssociationUnit.objects.filter(area=province).exists()
    assert AssociationUnit.objects.filter(area__in=communes).count() == communes.count() == 38


def test_the_2024_round_is_published_and_the_2025_round_is_under_way():
    r2024 = AssessmentRound.objects.get(year=2024)
    r2025 = AssessmentRound.objects.get(year=2025)
    assert r2024.locked
    assert not r2025.locked
    assert set(r2024.assessments.values_list("status", flat=True)) == {"published"}
    assert {"draft", "submitted", "reviewed"} <= set(
        r2025.assessments.values_list("status", flat=True)
    )
    assert all(c.name.startswith("[Mẫu]") for c in r2025.criteria.all())


def test_the_plan_counts_the_demo_clubs_founded_since_2024(client):
    plan = FoundingPlan.objects.get()
    province = plan.province
    founded = Club.objects.filter(province=province, founded_on__year__gte=2024).count()
    assert founded >= 2
    years = selectors.plan_years(
        plan=plan, communes=Area.objects.filter(level=Area.Level.COMMUNE, province=province)
    )
    assert sum(y["actual"] for y in years) == founded
    steps = set(ClubFounding.objects.values_list("step", flat=True))
    assert steps == {None, 1, 2, 3, 4, 5, 6}
    client.force_login(province.users.get(username="province"))
    page = client.get(reverse("association:plan", args=[plan.pk])).content.decode()
    assert "Xã Bình Lư" in page
    assert "CLB LTH Bản Mường Than" in page.split('id="stalled"')[1]
