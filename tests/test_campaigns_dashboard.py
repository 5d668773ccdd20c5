"""The campaigns and emulation section of the province and commune dashboards."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from campaigns import selectors, services
from campaigns.models import CampaignReceipt, Indicator
from tests.factories import CommuneFactory
from tests.factories_campaigns import IN_CAMPAIGN, action_month, care_fund, drive

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(cast):
    campaign = action_month(cast)
    services.target_set(
        campaign=campaign, indicator=Indicator.MONEY_RAISED, number=10_000_000, by=cast.province
    )
    services.receipt_record(
        campaign=campaign,
        fund=care_fund(cast.commune_a1),
        date=IN_CAMPAIGN,
        amount=2_000_000,
        source=CampaignReceipt.Source.BUSINESSES,
        donor="Công ty chè Tam Đường",
        by=cast.commune,
    )
    report = services.report_for(campaign=campaign, commune=cast.commune_a1)
    services.report_submit(report=report, by=cast.commune, narrative="Đã làm")
    return campaign


def section(client, area):
    cache.clear()
    page = client.get(reverse("reports:area", args=[area.pk])).content.decode()
    return page[page.index('id="campaigns-section"') :]


def test_province_dashboard_shows_the_campaign_against_its_targets(cast, login, campaign):
    text = section(login(cast.province), cast.province_a)
    assert "Tháng hành động vì NCT 2024" in text
    assert "2.000.000" in text and "10.000.000" in text
    not_reported = text[text.index("campaigns:rollup") if "campaigns:rollup" in text else 0 :]
    assert "Xã A Hai" in not_reported
    assert "Doanh nghiệp" in text or "Businesses" in text


def test_commune_dashboard_shows_its_own_figures(cast, login, campaign):
    text = section(login(cast.commune), cast.commune_a1)
    assert "Tháng hành động vì NCT 2024" in text
    assert "2.000.000" in text


def test_emulation_figures_of_the_year(cast):
    the_drive = drive(cast)
    services.registration_create(drive=the_drive, club=cast.club_a, pledges="x", by=cast.leader)
    services.registration_create(
        drive=the_drive, area=cast.commune_a2, pledges="x", by=cast.province
    )
    got = selectors.dashboard_section(area=cast.province_a, viewer=cast.province)
    assert (got.drives, got.registrations, got.scored) == (1, 2, 0)
    mine = selectors.dashboard_section(area=cast.commune_a1, viewer=cast.commune)
    assert mine.registrations == 1


def test_another_province_sees_nothing_of_it(cast, campaign):
    from accounts.models import Role
    from tests.factories import UserFactory

    outsider = UserFactory(username="pb", role=Role.PROVINCE, area=cast.province_b)
    got = selectors.dashboard_section(area=cast.province_b, viewer=outsider)
    assert got.campaign is None and got.registrations == 0


def test_section_query_count_does_not_grow(cast, campaign, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as few:
        selectors.dashboard_section(area=cast.province_a, viewer=cast.province)
    for i in range(6):
        campaign.deployed_to.add(CommuneFactory(code=f"9170{i}", parent=cast.province_a))
    with django_assert_max_num_queries(len(few.captured_queries)):
        selectors.dashboard_section(area=cast.province_a, viewer=cast.province)


def test_section_without_a_campaign_costs_three_queries(cast, django_assert_num_queries):
    with django_assert_num_queries(3):
        selectors.dashboard_section(area=cast.province_a, viewer=cast.province)
