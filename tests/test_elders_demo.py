"""The demo register: club members aged 60 and over linked (not typed again), other older
persons with gaps to find, the 2024–2025 celebrations and support from the commune care funds;
seeding twice adds nothing."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from elders import demo as elders_demo
from elders.models import CareSupport, LongevityCelebration, OlderPerson
from elders.selectors import no_valid_card_q
from members.models import Member
from tests.module_data import loaded_for_the_module

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    yield from loaded_for_the_module(
        django_db_blocker, lambda: call_command("seed_demo", stdout=io.StringIO())
    )


def test_older_club_members_are_linked_not_retyped():
    today = timezone.localdate()
    older = Member.objects.filter(
        left_on__isnull=True, birth_year__lte=today.year - settings.ISHC_OLDER_AGE
    )
    assert older.exists()
    assert older.filter(older_person__isnull=True).count() == 0
    person = OlderPerson.objects.filter(member__isnull=False).select_related("member").first()
    assert person.full_name == person.member.full_name
    assert OlderPerson.objects.filter(member__isnull=True).count() >= elders_demo.OTHERS_PER_COMMUNE


def test_gaps_celebrations_and_support_to_find():
    today = timezone.localdate()
    assert OlderPerson.objects.alive().filter(no_valid_card_q(today)).exists()
    assert {2024, 2025} <= set(LongevityCelebration.objects.values_list("year", flat=True))
    assert CareSupport.objects.filter(purpose="tet_gift", entry__date__year=today.year).exists()
    assert LongevityCelebration.objects.filter(entry__isnull=False).exists()
    purposes = set(CareSupport.objects.values_list("purpose", flat=True))
    assert {"tet_gift", "sick_visit", "funeral"} <= purposes
    assert all(
        s.entry.fund.owner_area_id for s in CareSupport.objects.select_related("entry__fund")
    )


def test_seeding_twice_adds_nothing():
    before = (OlderPerson.objects.count(), CareSupport.objects.count())
    out = io.StringIO()
    elders_demo.seed(out)
    assert (OlderPerson.objects.count(), CareSupport.objects.count()) == before
    assert "0 added" in out.getvalue()
