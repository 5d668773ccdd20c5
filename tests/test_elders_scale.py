"""seed_scale fills the communes' registers of older persons: the clubs' older members linked
with their own details, about ``PER_CLUB`` people a club, and the register's rules kept."""

from __future__ import annotations

import pytest
from django.db.models import F, Q

from bench import scale
from bench.scale.elders import PER_CLUB
from elders.models import OlderPerson
from elders.selectors import dashboard
from members.models import Member
from tests.module_data import loaded_for_the_module

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.xdist_group("scale")]

CLUBS = 3


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    yield from loaded_for_the_module(
        django_db_blocker, lambda: scale.seed(clubs=CLUBS, months=1, log=lambda _: None)
    )


def test_registers_are_filled_and_members_linked(seeded):
    count = OlderPerson.objects.count()
    assert CLUBS * (PER_CLUB - 30) <= count <= CLUBS * (PER_CLUB + 30)
    older_members = Member.objects.filter(left_on__isnull=True, birth_year__lte=seeded_year() - 60)
    assert older_members.exists()
    assert not older_members.filter(older_person__isnull=True).exists()
    linked = OlderPerson.objects.filter(member__isnull=False)
    assert not linked.exclude(
        full_name=F("member__full_name"), birth_year=F("member__birth_year"), sex=F("member__sex")
    ).exists()
    assert not linked.exclude(commune_id=F("member__club__commune_id")).exists()
    # Sensitive data only with consent (the database's own check holds too).
    assert (
        not OlderPerson.objects.filter(consent_on__isnull=True)
        .exclude(Q(ethnicity="") & Q(insurance_number=""))
        .exists()
    )


def test_the_dashboard_reads_the_generated_register(seeded):
    from django.utils import timezone

    from accounts.models import User

    admin = User.objects.get(username="scale_admin")
    board = dashboard(viewer=admin, area=None, day=timezone.localdate())
    assert board.total == OlderPerson.objects.filter(died_on__isnull=True).count()
    assert board.card_gap > 0


def seeded_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year
