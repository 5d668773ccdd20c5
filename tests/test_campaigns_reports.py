"""The campaign report: the commune submits (confirmed first), the province returns or
approves (confirmed first), every step is logged, approval freezes the figures and locks the
commune's records of the campaign."""

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import (
    CampaignGift,
    CampaignReport,
    CampaignReportEvent,
    CampaignsError,
    Indicator,
)
from tests.factories_campaigns import IN_CAMPAIGN, action_month, care_fund
from tests.factories_month import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(cast):
    return action_month(cast)


def url(name, campaign, area):
    return reverse(f"campaigns:{name}", args=[campaign.pk, area.pk])


def test_submit_asks_for_confirmation_then_sends(cast, login, campaign):
    client = login(cast.commune)
    first = client.post(
        url("report_submit", campaign, cast.commune_a1), {"narrative": "Đã thăm 20 cụ."}
    )
    assert first.status_code == 200
    assert "confirmed" in first.content.decode()
    assert CampaignReport.objects.filter(status="submitted").count() == 0
    done = client.post(
        url("report_submit", campaign, cast.commune_a1),
        {"narrative": "Đã thăm 20 cụ.", "confirmed": "1"},
    )
    assert done.status_code == 302
    report = CampaignReport.objects.get(campaign=campaign, commune=cast.commune_a1)
    assert report.status == CampaignReport.Status.SUBMITTED
    assert report.narrative == "Đã thăm 20 cụ."
    assert report.events.get().action == CampaignReportEvent.Action.SUBMIT


def test_submit_without_a_narrative_is_refused(cast, login, campaign):
    client = login(cast.commune)
    client.post(
        url("report_submit", campaign, cast.commune_a1), {"narrative": "", "confirmed": "1"}
    )
    report = CampaignReport.objects.get(campaign=campaign, commune=cast.commune_a1)
    assert report.status == CampaignReport.Status.DRAFT
    assert not report.events.exists()


def test_province_cannot_submit_for_the_commune(cast, login, campaign):
    response = login(cast.province).post(
        url("report_submit", campaign, cast.commune_a1), {"narrative": "x", "confirmed": "1"}
    )
    assert response.status_code == 403


def test_commune_cannot_approve_its_own_report(cast, login, campaign):
    report = services.report_for(campaign=campaign, commune=cast.commune_a1)
    services.report_submit(report=report, by=cast.commune, narrative="Đã làm")
    response = login(cast.commune).post(
        url("report_approve", campaign, cast.commune_a1), {"confirmed": "1"}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == CampaignReport.Status.SUBMITTED


def test_province_returns_then_approves_and_the_records_lock(cast, login, campaign):
    fund = care_fund(cast.commune_a1, balance=3_000_000)
    activity = ActivityFactory(club=cast.club_a, date=IN_CAMPAIGN, participant_count=30)
    services.records_tag(campaign=campaign, activities=[activity], by=cast.commune)
    services.target_set(
        campaign=campaign,
        indicator=Indicator.PEOPLE_REACHED,
        commune=cast.commune_a1,
        number=60,
        by=cast.commune,
    )
    report = services.report_for(campaign=campaign, commune=cast.commune_a1)
    services.report_submit(report=report, by=cast.commune, narrative="Truyền thông 1 buổi")
    client = login(cast.province)

    empty = client.post(url("report_return", campaign, cast.commune_a1), {"comment": ""})
    assert empty.status_code == 302
    report.refresh_from_db()
    assert report.status == CampaignReport.Status.SUBMITTED

    client.post(url("report_return", campaign, cast.commune_a1), {"comment": "Bổ sung số liệu"})
    report.refresh_from_db()
    assert report.status == CampaignReport.Status.RETURNED
    page = login(cast.commune).get(url("report", campaign, cast.commune_a1)).content.decode()
    assert "Bổ sung số liệu" in page

    services.report_submit(report=report, by=cast.commune, narrative="Đã bổ sung")
    client = login(cast.province)
    confirm = client.post(url("report_approve", campaign, cast.commune_a1), {})
    assert confirm.status_code == 200 and "confirmed" in confirm.content.decode()
    client.post(url("report_approve", campaign, cast.commune_a1), {"confirmed": "1"})
    report.refresh_from_db()
    assert report.status == CampaignReport.Status.APPROVED
    assert report.figures[Indicator.PEOPLE_REACHED] == {"result": 30, "target": 60}
    actions = list(report.events.values_list("action", flat=True))
    assert actions == ["submit", "return", "submit", "approve"]

    # Locked: nothing more for this commune under this campaign.
    with pytest.raises(CampaignsError):
        services.gift_record(
            campaign=campaign,
            area=cast.commune_a1,
            person_name="Lò Thị Ún",
            date=IN_CAMPAIGN,
            kind=CampaignGift.Kind.CASH,
            value=100_000,
            fund=fund,
            by=cast.commune,
        )
    with pytest.raises(CampaignsError):
        services.records_tag(
            campaign=campaign,
            activities=[ActivityFactory(club=cast.club_a, date=IN_CAMPAIGN)],
            by=cast.commune,
        )
    with pytest.raises(CampaignsError):
        services.report_save(report=report, narrative="sửa", by=cast.commune)
    fund.refresh_from_db()
    assert fund.balance == 3_000_000
    # The frozen figures stay, whatever happens to the records afterwards.
    activity.participant_count = 99
    activity.save()
    page = login(cast.province).get(url("report", campaign, cast.commune_a1)).content.decode()
    assert "Đã bổ sung" in page
    figures = page[page.index('id="report-figures"') :]
    assert "50 %" in figures  # 30 of 60, as approved, not 99 of 60


def test_a_second_commune_is_not_locked_by_the_first(cast, campaign):
    report = services.report_for(campaign=campaign, commune=cast.commune_a1)
    services.report_submit(report=report, by=cast.commune, narrative="x")
    services.report_approve(report=report, by=cast.province)
    fund = care_fund(cast.commune_a2, balance=1_000_000)
    gift = services.gift_record(
        campaign=campaign,
        area=cast.commune_a2,
        person_name="Tao Văn Hừ",
        date=IN_CAMPAIGN,
        kind=CampaignGift.Kind.CASH,
        value=100_000,
        fund=fund,
        by=cast.province,
    )
    assert gift.pk


def test_rollup_shows_who_has_not_reported(cast, login, campaign):
    report = services.report_for(campaign=campaign, commune=cast.commune_a1)
    services.report_submit(report=report, by=cast.commune, narrative="x")
    page = login(cast.province).get(reverse("campaigns:rollup", args=[campaign.pk]))
    text = page.content.decode()
    not_reported = text[text.index('id="not-reported"') :]
    assert "Xã A Hai" in not_reported
    assert "Xã A Một" not in not_reported
