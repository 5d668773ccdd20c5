"""seed_scale fills the campaigns tables: every province's Action Month with money raised into
the commune care funds (ledger entries that keep the balances right), gifts, reports, and a
drive with scored registrations."""

from __future__ import annotations

import pytest
from django.db.models import Case, F, Sum, When

from bench import scale
from campaigns.models import (
    Campaign,
    CampaignGift,
    CampaignReceipt,
    CampaignReport,
    Commendation,
    EmulationRegistration,
    EmulationResult,
)
from clubs.models import Club
from funds.models import Fund
from tests.module_data import loaded_for_the_module

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.xdist_group("scale")]

CLUBS = 4


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    yield from loaded_for_the_module(
        django_db_blocker, lambda: scale.seed(clubs=CLUBS, months=2, log=lambda _: None)
    )


def test_every_province_with_clubs_runs_the_action_month(seeded):
    provinces = set(Club.objects.values_list("province_id", flat=True))
    campaigns = Campaign.objects.filter(kind=Campaign.Kind.ACTION_MONTH)
    assert set(campaigns.values_list("organiser_id", flat=True)) == provinces
    for campaign in campaigns:
        assert campaign.deployed_to.exists()
        assert campaign.targets.filter(commune=None).count() == 6
    assert CampaignReceipt.objects.exists() and CampaignGift.objects.exists()
    assert CampaignReport.objects.exists()


def test_receipts_and_gifts_are_entries_of_the_care_funds_and_balances_hold(seeded):
    for receipt in CampaignReceipt.objects.select_related("entry__fund"):
        assert receipt.entry.fund.kind == Fund.Kind.CARE
        assert receipt.entry.fund.owner_area_id == receipt.area_id
        assert receipt.entry.direction == "in"
    assert not CampaignGift.objects.filter(entry__direction="in").exists()
    signed = Sum(
        Case(
            When(entries__direction="in", then=F("entries__amount")), default=-F("entries__amount")
        )
    )
    for fund in Fund.objects.filter(kind=Fund.Kind.CARE).annotate(total=signed):
        assert fund.balance == (fund.total or 0) >= 0


def test_drives_are_registered_scored_and_commended(seeded):
    assert EmulationRegistration.objects.filter(stage="final").exists()
    for result in EmulationResult.objects.select_related("criterion"):
        assert result.self_points <= result.criterion.max_points
    assert Commendation.objects.filter(recipient_kind="unit", registration__isnull=False).exists()
