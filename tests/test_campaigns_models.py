"""Campaigns: targets, gifts paid from a care fund, money raised, tags and the counted
results; each refusal leaves nothing behind."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from campaigns import selectors, services
from campaigns.models import (
    CampaignGift,
    CampaignReceipt,
    CampaignsError,
    CampaignTarget,
    Indicator,
)
from funds.models import LedgerEntry
from month.models import MonthlyReport
from tests.factories import MemberFactory
from tests.factories_campaigns import IN_CAMPAIGN, action_month, care_fund, file_obj, upload
from tests.factories_month import ActivityFactory, HealthCheckFactory, HomeCareVisitFactory

pytestmark = pytest.mark.django_db


def test_target_below_zero_is_refused(cast):
    campaign = action_month(cast)
    with pytest.raises(CampaignsError) as err:
        services.target_set(
            campaign=campaign, indicator=Indicator.GIFTS, number=-1, by=cast.province
        )
    assert "number" in err.value.message_dict
    assert not CampaignTarget.objects.exists()


def test_target_is_set_then_changed(cast):
    campaign = action_month(cast)
    services.target_set(campaign=campaign, indicator=Indicator.GIFTS, number=10, by=cast.province)
    services.target_set(
        campaign=campaign,
        indicator=Indicator.GIFTS,
        number=4,
        commune=cast.commune_a1,
        by=cast.commune,
    )
    services.target_set(campaign=campaign, indicator=Indicator.GIFTS, number=12, by=cast.province)
    assert CampaignTarget.objects.count() == 2
    assert selectors.targets(campaign)[None][Indicator.GIFTS] == 12
    assert selectors.targets(campaign)[cast.commune_a1.pk][Indicator.GIFTS] == 4


def test_target_for_a_commune_outside_the_campaign_is_refused(cast):
    campaign = action_month(cast, communes=[cast.commune_a1])
    with pytest.raises(CampaignsError) as err:
        services.target_set(
            campaign=campaign,
            indicator=Indicator.GIFTS,
            number=3,
            commune=cast.commune_a2,
            by=cast.province,
        )
    assert "commune" in err.value.message_dict


def test_gift_paid_from_the_care_fund_writes_one_payment(cast):
    campaign = action_month(cast)
    fund = care_fund(cast.commune_a1, balance=2_000_000)
    member = MemberFactory(club=cast.club_a, full_name="Lò Văn Pọm")
    gift = services.gift_record(
        campaign=campaign,
        area=cast.commune_a1,
        member=member,
        date=IN_CAMPAIGN,
        kind=CampaignGift.Kind.CASH,
        value=500_000,
        fund=fund,
        by=cast.commune,
    )
    fund.refresh_from_db()
    assert fund.balance == 1_500_000
    assert gift.entry.direction == LedgerEntry.Direction.OUT
    assert gift.entry.amount == 500_000
    assert gift.person_name == "Lò Văn Pọm"


def test_gift_from_a_fund_without_the_money_saves_nothing(cast):
    campaign = action_month(cast)
    fund = care_fund(cast.commune_a1, balance=100_000)
    with pytest.raises(CampaignsError) as err:
        services.gift_record(
            campaign=campaign,
            area=cast.commune_a1,
            person_name="Lò Thị Ún",
            date=IN_CAMPAIGN,
            kind=CampaignGift.Kind.CASH,
            value=500_000,
            fund=fund,
            by=cast.commune,
        )
    assert "value" in err.value.message_dict
    fund.refresh_from_db()
    assert fund.balance == 100_000
    assert not CampaignGift.objects.exists()
    assert LedgerEntry.objects.filter(direction="out").count() == 0


def test_gift_dated_outside_the_campaign_is_refused(cast):
    campaign = action_month(cast)
    fund = care_fund(cast.commune_a1, balance=2_000_000)
    with pytest.raises(CampaignsError) as err:
        services.gift_record(
            campaign=campaign,
            area=cast.commune_a1,
            person_name="Lò Thị Ún",
            date=datetime.date(2024, 11, 2),
            kind=CampaignGift.Kind.GOODS,
            value=300_000,
            fund=fund,
            by=cast.commune,
        )
    assert "date" in err.value.message_dict
    assert not CampaignGift.objects.exists()
    assert LedgerEntry.objects.filter(direction="out").count() == 0


def test_gift_to_a_member_in_a_locked_month_is_refused(cast):
    campaign = action_month(cast)
    member = MemberFactory(club=cast.club_a)
    MonthlyReport.objects.create(
        club=cast.club_a, year=2024, month=10, status=MonthlyReport.Status.APPROVED
    )
    with pytest.raises(ValidationError) as err:
        services.gift_record(
            campaign=campaign,
            area=cast.commune_a1,
            member=member,
            date=IN_CAMPAIGN,
            kind=CampaignGift.Kind.GOODS,
            value=300_000,
            by=cast.commune,
        )
    assert "date" in err.value.message_dict
    assert not CampaignGift.objects.exists()


def test_gift_from_another_associations_fund_is_refused(cast):
    campaign = action_month(cast)
    other = care_fund(cast.commune_a2, balance=2_000_000)
    with pytest.raises(CampaignsError) as err:
        services.gift_record(
            campaign=campaign,
            area=cast.commune_a1,
            person_name="Lò Thị Ún",
            date=IN_CAMPAIGN,
            kind=CampaignGift.Kind.CASH,
            value=100_000,
            fund=other,
            by=cast.commune,
        )
    assert "fund" in err.value.message_dict
    other.refresh_from_db()
    assert other.balance == 2_000_000


def test_money_raised_is_a_tagged_receipt_of_the_care_fund(cast):
    campaign = action_month(cast)
    fund = care_fund(cast.commune_a1)
    receipt = services.receipt_record(
        campaign=campaign,
        fund=fund,
        date=IN_CAMPAIGN,
        amount=3_000_000,
        source=CampaignReceipt.Source.BUSINESSES,
        donor="Công ty chè Tam Đường",
        by=cast.commune,
    )
    fund.refresh_from_db()
    assert fund.balance == 3_000_000
    assert receipt.entry.direction == "in"
    assert receipt.entry.payer == "Công ty chè Tam Đường"
    assert receipt.area == cast.commune_a1
    rows = selectors.raised_by_source(CampaignReceipt.objects.all())
    assert rows[0]["source"] == "businesses" and rows[0]["total"] == 3_000_000


def test_a_reversed_receipt_no_longer_counts(cast):
    from funds.services import entry_reverse

    campaign = action_month(cast)
    fund = care_fund(cast.commune_a1)
    receipt = services.receipt_record(
        campaign=campaign,
        fund=fund,
        date=IN_CAMPAIGN,
        amount=1_000_000,
        source=CampaignReceipt.Source.INDIVIDUALS,
        donor="Ông Lý A Sử",
        by=cast.commune,
    )
    entry_reverse(entry=receipt.entry, by=cast.commune, date=IN_CAMPAIGN)
    figures = selectors.results(campaign, [cast.commune_a1.pk])
    assert figures[cast.commune_a1.pk][Indicator.MONEY_RAISED] == 0


def test_results_are_counted_from_the_records(cast):
    campaign = action_month(cast)
    fund = care_fund(cast.commune_a1, balance=5_000_000)
    activity = ActivityFactory(club=cast.club_a, date=IN_CAMPAIGN, participant_count=40)
    ActivityFactory(club=cast.club_a, date=IN_CAMPAIGN, participant_count=99)  # not tagged
    visit = HomeCareVisitFactory(club=cast.club_a, date=IN_CAMPAIGN)
    HealthCheckFactory(member__club=cast.club_a, club=cast.club_a, date=IN_CAMPAIGN)
    MemberFactory(club=cast.club_a, joined_on=IN_CAMPAIGN)
    services.records_tag(campaign=campaign, activities=[activity], visits=[visit], by=cast.commune)
    services.gift_record(
        campaign=campaign,
        area=cast.commune_a1,
        person_name="Lò Thị Ún",
        date=IN_CAMPAIGN,
        kind=CampaignGift.Kind.CASH,
        value=400_000,
        fund=fund,
        by=cast.commune,
    )
    services.receipt_record(
        campaign=campaign,
        fund=fund,
        date=IN_CAMPAIGN,
        amount=1_000_000,
        source=CampaignReceipt.Source.MEMBERS,
        donor="Hội viên chi hội bản Mới",
        by=cast.commune,
    )
    got = selectors.results(campaign, [cast.commune_a1.pk, cast.commune_a2.pk])
    a1 = got[cast.commune_a1.pk]
    assert a1[Indicator.PEOPLE_REACHED] == 40
    assert a1[Indicator.VISITED] == 2  # one visited at home, one given a gift
    assert a1[Indicator.GIFTS] == 1
    assert a1[Indicator.GIFT_VALUE] == 400_000
    assert a1[Indicator.MONEY_RAISED] == 1_000_000
    assert a1[Indicator.HEALTH_CHECKS] == 1
    assert a1[Indicator.NEW_MEMBERS] >= 1
    assert got[cast.commune_a2.pk] == dict.fromkeys(selectors.INDICATORS, 0)


def test_a_record_outside_the_campaign_cannot_be_tagged(cast):
    campaign = action_month(cast)
    outside = ActivityFactory(club=cast.club_b, date=IN_CAMPAIGN)
    late = ActivityFactory(club=cast.club_a, date=datetime.date(2024, 12, 1))
    for activity in (outside, late):
        with pytest.raises(CampaignsError):
            services.records_tag(campaign=campaign, activities=[activity], by=cast.commune)
    assert not campaign.activities.exists()


def test_a_plan_that_is_not_what_its_name_says_is_refused(cast):
    with pytest.raises(CampaignsError) as err:
        action_month(cast, plan=("ke-hoach.pdf", file_obj(b"MZ\x90\x00 program"), 12))
    assert "plan_file" in err.value.message_dict


def test_a_plan_document_is_kept(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    f = upload("Kế hoạch tháng hành động.pdf")
    campaign = action_month(cast, plan=(f.name, f, f.size))
    assert campaign.plan_kind == "pdf"
    assert campaign.plan_name.endswith(".pdf")


def test_every_constraint_refuses_in_vietnamese():
    from django.apps import apps
    from django.utils import translation

    constraints = [
        c for m in apps.get_app_config("campaigns").get_models() for c in m._meta.constraints
    ]
    assert len(constraints) >= 14
    for constraint in constraints:
        with translation.override("en"):
            english = str(constraint.violation_error_message)
        with translation.override("vi"):
            message = str(constraint.violation_error_message)
        assert "violated" not in english and "already exists" not in english, constraint.name
        assert message != english, f"{constraint.name}: no Vietnamese"


def test_a_second_target_for_the_same_indicator_is_refused_in_vietnamese(cast):
    from django.utils import translation

    campaign = action_month(cast)
    services.target_set(campaign=campaign, indicator=Indicator.GIFTS, number=5, by=cast.province)
    twin = CampaignTarget(campaign=campaign, indicator=Indicator.GIFTS, number=6)
    with translation.override("vi"), pytest.raises(ValidationError) as err:
        twin.validate_constraints()
    assert "Chỉ tiêu này đã có" in str(err.value)


def test_a_gift_refused_after_its_payment_was_written_leaves_no_payment(cast):
    """Both or neither: the payment voucher is written first, then the gift is refused (an
    unknown kind of gift); the transaction takes the voucher back with it."""
    campaign = action_month(cast)
    fund = care_fund(cast.commune_a1, balance=1_000_000)
    with pytest.raises(CampaignsError) as err:
        services.gift_record(
            campaign=campaign,
            area=cast.commune_a1,
            person_name="Lò Thị Ún",
            date=IN_CAMPAIGN,
            kind="not-a-kind",
            value=300_000,
            fund=fund,
            by=cast.commune,
        )
    assert "kind" in err.value.message_dict
    fund.refresh_from_db()
    assert fund.balance == 1_000_000
    assert not LedgerEntry.objects.filter(direction="out").exists()
    assert not CampaignGift.objects.exists()
