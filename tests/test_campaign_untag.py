"""Untagging a record from a campaign: a confirmation first, once per form, the results
change, refused once the commune's report is approved, money never leaves the cash book (a
gift paid from a fund or money recorded on the campaign's page is refused while it stands),
another commune gets 404, viewers and leaders 403."""

import datetime
import uuid

import pytest
from django.urls import reverse

from campaigns import selectors, services
from campaigns.models import (
    CampaignActivity,
    CampaignGift,
    CampaignReceipt,
    CampaignVisit,
)
from funds.models import LedgerEntry
from funds.services import entry_record, entry_reverse
from tests.factories import UserFactory
from tests.factories_campaigns import IN_CAMPAIGN, action_month, care_fund
from tests.factories_month import ActivityFactory, HomeCareVisitFactory, vi

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(cast):
    return action_month(cast)


@pytest.fixture
def tag(cast, campaign):
    activity = ActivityFactory(club=cast.club_a, date=IN_CAMPAIGN, participant_count=35)
    services.records_tag(campaign=campaign, activities=[activity], by=cast.commune)
    return activity.campaign_tag


def url(campaign, kind, record):
    return reverse("campaigns:untag", args=[campaign.pk, kind, record.pk])


def confirmed():
    return {"confirmed": "1", "once_key": str(uuid.uuid4())}


def reached(campaign, cast):
    return selectors.results(campaign, [cast.commune_a1.pk])[cast.commune_a1.pk]["people_reached"]


def test_untagging_asks_first_then_the_results_drop(cast, login, campaign, tag):
    client = login(cast.commune)
    assert reached(campaign, cast) == 35
    first = client.post(url(campaign, "activity", tag))
    assert first.status_code == 200
    assert vi("Untag this record from the campaign?") in first.text
    assert 'name="confirmed"' in first.text
    assert CampaignActivity.objects.filter(pk=tag.pk).exists()  # nothing done yet
    done = client.post(url(campaign, "activity", tag), confirmed())
    assert done.status_code == 302
    assert not CampaignActivity.objects.filter(pk=tag.pk).exists()
    assert reached(campaign, cast) == 0
    page = client.get(done.url)
    assert vi("The record was untagged from the campaign.") in page.text
    # The activity itself stays in the club's month, and can be tagged again.
    assert tag.activity.__class__.objects.filter(pk=tag.activity_id).exists()
    assert tag.activity.title in page.text


def test_a_double_tap_untags_once_and_answers_alike(cast, login, campaign, tag):
    client = login(cast.commune)
    posted = confirmed()
    first = client.post(url(campaign, "activity", tag), posted)
    second = client.post(url(campaign, "activity", tag), posted)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert CampaignActivity.objects.count() == 0


def test_the_tag_page_lists_tagged_records_with_an_untag_button(cast, login, campaign, tag):
    visit = HomeCareVisitFactory(club=cast.club_a, date=IN_CAMPAIGN)
    services.records_tag(campaign=campaign, visits=[visit], by=cast.commune)
    client = login(cast.commune)
    base = reverse("campaigns:tag", args=[campaign.pk]) + f"?area={cast.commune_a1.pk}"
    page = client.get(base).text
    assert tag.activity.title in page and url(campaign, "activity", tag) in page
    visits = client.get(base + "&tagged=visits").text
    assert url(campaign, "visit", visit.campaign_tag) in visits
    client.post(url(campaign, "visit", visit.campaign_tag), confirmed())
    assert not CampaignVisit.objects.exists()


def test_tag_page_query_count_is_fixed(cast, login, campaign, django_assert_max_num_queries):
    client = login(cast.commune)
    page = reverse("campaigns:tag", args=[campaign.pk]) + f"?area={cast.commune_a1.pk}"
    services.records_tag(
        campaign=campaign,
        activities=[ActivityFactory(club=cast.club_a, date=IN_CAMPAIGN)],
        by=cast.commune,
    )
    with django_assert_max_num_queries(40) as few:
        client.get(page)
    services.records_tag(
        campaign=campaign,
        activities=ActivityFactory.create_batch(20, club=cast.club_a, date=IN_CAMPAIGN),
        by=cast.commune,
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page)


def test_refused_once_the_communes_report_is_approved(cast, login, campaign, tag):
    report = services.report_for(campaign=campaign, commune=cast.commune_a1)
    services.report_submit(report=report, by=cast.commune, narrative="Đã làm.")
    services.report_approve(report=report, by=cast.province)
    client = login(cast.commune)
    response = client.post(url(campaign, "activity", tag), follow=True)
    assert (
        vi(
            "The campaign report of this commune has been approved: its records of the campaign "
            "are locked."
        )
        in response.text
    )
    client.post(url(campaign, "activity", tag), confirmed())
    assert CampaignActivity.objects.filter(pk=tag.pk).exists()


def test_another_commune_gets_404_and_readers_403(cast, login, campaign, tag):
    from accounts.models import Role

    other = UserFactory(username="commune_a2", role=Role.COMMUNE, area=cast.commune_a2)
    assert login(other).post(url(campaign, "activity", tag), confirmed()).status_code == 404
    assert login(cast.leader2).post(url(campaign, "activity", tag), confirmed()).status_code == 404
    assert login(cast.viewer).post(url(campaign, "activity", tag), confirmed()).status_code == 403
    assert login(cast.leader).post(url(campaign, "activity", tag), confirmed()).status_code == 403
    assert login(cast.commune).get(url(campaign, "activity", tag)).status_code == 405
    assert CampaignActivity.objects.filter(pk=tag.pk).exists()


def test_a_gift_not_paid_from_a_fund_is_removed(cast, login, campaign):
    gift = services.gift_record(
        campaign=campaign,
        area=cast.commune_a1,
        person_name="Lò Thị Ún",
        date=IN_CAMPAIGN,
        kind=CampaignGift.Kind.GOODS,
        value=300_000,
        by=cast.commune,
    )
    client = login(cast.commune)
    assert (
        url(campaign, "gift", gift)
        in client.get(reverse("campaigns:gifts", args=[campaign.pk])).text
    )
    client.post(url(campaign, "gift", gift), confirmed())
    assert not CampaignGift.objects.filter(pk=gift.pk).exists()
    results = selectors.results(campaign, [cast.commune_a1.pk])[cast.commune_a1.pk]
    assert results["gifts"] == 0 and results["gift_value"] == 0


def test_a_gift_paid_from_a_fund_stays_until_its_payment_is_reversed(cast, login, campaign):
    fund = care_fund(cast.commune_a1, balance=2_000_000)
    gift = services.gift_record(
        campaign=campaign,
        area=cast.commune_a1,
        person_name="Lò Thị Ún",
        date=IN_CAMPAIGN,
        kind=CampaignGift.Kind.CASH,
        value=500_000,
        fund=fund,
        by=cast.commune,
    )
    client = login(cast.commune)
    response = client.post(url(campaign, "gift", gift), follow=True)
    assert gift.entry.voucher_number in response.text
    client.post(url(campaign, "gift", gift), confirmed())
    assert CampaignGift.objects.filter(pk=gift.pk).exists()
    entry_reverse(entry=gift.entry, by=cast.commune, date=datetime.date(2024, 11, 1))
    client.post(url(campaign, "gift", gift), confirmed())
    assert not CampaignGift.objects.filter(pk=gift.pk).exists()
    # The payment and its reversal stay in the cash book.
    assert LedgerEntry.objects.filter(fund=fund).count() == 3


def test_money_recorded_on_the_campaign_page_cannot_be_untagged(cast, login, campaign):
    fund = care_fund(cast.commune_a1)
    receipt = services.receipt_record(
        campaign=campaign,
        fund=fund,
        date=IN_CAMPAIGN,
        amount=3_000_000,
        source=CampaignReceipt.Source.BUSINESSES,
        donor="Công ty Chè Tam Đường",
        by=cast.commune,
    )
    client = login(cast.commune)
    response = client.post(url(campaign, "receipt", receipt), follow=True)
    assert vi(
        "This money was recorded on the campaign's page: receipt %(voucher)s was written "
        "for the campaign and where the money came from is kept only here, so it cannot be "
        "untagged. If it was a mistake, reverse the receipt in the care fund's cash book: it "
        "then no longer counts."
    ) % {"voucher": receipt.entry.voucher_number} in response.text.replace("&#x27;", "'")
    client.post(url(campaign, "receipt", receipt), confirmed())
    assert CampaignReceipt.objects.filter(pk=receipt.pk).exists()


def test_a_receipt_tagged_afterwards_is_untagged_and_stays_in_the_cash_book(cast, login, campaign):
    fund = care_fund(cast.commune_a1)
    entry = entry_record(
        fund=fund,
        date=IN_CAMPAIGN,
        amount=1_000_000,
        direction=LedgerEntry.Direction.IN,
        category=LedgerEntry.Category.DONATION,
        by=cast.commune,
        payer="Hội viên bản Mới",
    )
    receipt = services.receipt_tag(
        campaign=campaign, entry=entry, source=CampaignReceipt.Source.MEMBERS
    )
    client = login(cast.commune)
    page = client.get(reverse("campaigns:receipts", args=[campaign.pk])).text
    assert url(campaign, "receipt", receipt) in page
    first = client.post(url(campaign, "receipt", receipt))
    assert entry.voucher_number in first.text  # the confirmation names the receipt
    client.post(url(campaign, "receipt", receipt), confirmed())
    assert not CampaignReceipt.objects.filter(pk=receipt.pk).exists()
    fund.refresh_from_db()
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()
    results = selectors.results(campaign, [cast.commune_a1.pk])[cast.commune_a1.pk]
    assert results["money_raised"] == 0
