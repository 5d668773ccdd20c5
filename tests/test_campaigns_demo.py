"""The campaigns demo as `manage.py seed_demo` loads it: the Lai Châu Action Month 2024 with
reports in every state, the 2024 care-fund drive, the special emulation drive with scored
registrations and commendations; idempotent."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from campaigns import selectors
from campaigns.demo import ACTION_MONTH
from campaigns.models import (
    Campaign,
    CampaignActivity,
    CampaignGift,
    CampaignReceipt,
    CampaignReport,
    CampaignVisit,
    Commendation,
    EmulationDrive,
    EmulationRegistration,
    Indicator,
)
from tests.module_data import loaded_for_the_module

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("campaigns_demo")]


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    yield from loaded_for_the_module(
        django_db_blocker, lambda: call_command("seed_demo", stdout=io.StringIO())
    )


def counts():
    models = [Campaign, CampaignGift, CampaignReceipt, CampaignReport, EmulationRegistration]
    return {m.__name__: m.objects.count() for m in [*models, Commendation, CampaignActivity]}


def test_seeding_again_changes_nothing():
    first = counts()
    assert all(first.values()), first
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first


def test_the_action_month_has_every_kind_of_record_and_report_state():
    campaign = Campaign.objects.get(title=ACTION_MONTH)
    assert (campaign.starts_on.month, campaign.organiser.code) == (10, "12")
    assert campaign.deployed_to.count() >= 4
    states = set(campaign.reports.values_list("status", flat=True))
    assert states == {"draft", "submitted", "returned", "approved"}
    assert CampaignActivity.objects.filter(campaign=campaign).exists()
    assert CampaignVisit.objects.filter(campaign=campaign).exists()
    assert CampaignGift.objects.filter(campaign=campaign, entry__isnull=False).exists()
    sources = set(campaign.receipts.values_list("source", flat=True))
    assert sources == {"members", "businesses", "individuals", "budget"}
    province = User.objects.get(username="province")
    board = selectors.board(campaign, province)
    total = {c.indicator: c for c in board.total}
    assert total[Indicator.MONEY_RAISED].result > 0
    assert total[Indicator.PEOPLE_REACHED].result > 0
    assert board.not_reported  # the communes still in draft or never started


def test_the_care_fund_drive_counts_the_2024_receipts():
    campaign = Campaign.objects.get(kind=Campaign.Kind.CARE_FUND)
    assert campaign.targets.get(commune=None).number == 250_000_000
    assert campaign.receipts.exists()


def test_the_special_drive_is_scored_and_commended(client):
    drive = EmulationDrive.objects.get(title__startswith="Đợt thi đua đặc biệt")
    stages = set(drive.registrations.values_list("stage", flat=True))
    assert {"self_scored", "reviewed", "final"} <= stages
    assert drive.registrations.filter(area__isnull=False).exists()
    assert drive.registrations.filter(club__isnull=False).exists()
    assert drive.commendations.filter(recipient_kind="unit").exists()
    assert drive.commendations.exclude(recipient_kind="unit").exists()
    client.force_login(User.objects.get(username="province"))
    page = client.get(reverse("campaigns:drive", args=[drive.pk]))
    assert page.status_code == 200
    certificate = client.get(
        reverse("campaigns:certificate", args=[drive.commendations.first().pk])
    )
    assert certificate.content.startswith(b"%PDF")


@pytest.mark.parametrize("who", ["province", "commune", "leader", "viewer"])
def test_the_demo_users_open_the_pages(client, who):
    client.force_login(User.objects.get(username=who))
    campaign = Campaign.objects.get(title=ACTION_MONTH)
    for url in (
        reverse("campaigns:list") + "?year=2024",
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("campaigns:rollup", args=[campaign.pk]),
        reverse("campaigns:drives"),
        reverse("reports:home"),
    ):
        assert client.get(url).status_code in (200, 302), url
