"""Campaign pages: each URL's happy path, another province's or commune's user (404), a
viewer writing (403), viewers never see named gift recipients, fixed query counts."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from campaigns import services
from campaigns.models import Campaign, CampaignGift, CampaignReceipt, CampaignTarget, Indicator
from tests.factories import UserFactory
from tests.factories_campaigns import IN_CAMPAIGN, action_month, care_fund, upload
from tests.factories_month import ActivityFactory, HomeCareVisitFactory, vi

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(cast):
    """Provincial staff of province B."""
    return UserFactory(username="province_b", role=Role.PROVINCE, area=cast.province_b)


@pytest.fixture
def campaign(cast):
    return action_month(cast)


@pytest.fixture
def gift(cast, campaign):
    fund = care_fund(cast.commune_a1, balance=2_000_000)
    return services.gift_record(
        campaign=campaign,
        area=cast.commune_a1,
        person_name="Lò Thị Ún",
        date=IN_CAMPAIGN,
        kind=CampaignGift.Kind.CASH,
        value=500_000,
        fund=fund,
        by=cast.commune,
    )


def read_urls(campaign, cast):
    return [
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("campaigns:receipts", args=[campaign.pk]),
        reverse("campaigns:rollup", args=[campaign.pk]),
        reverse("campaigns:rollup", args=[campaign.pk]) + "?print=1",
        reverse("campaigns:report", args=[campaign.pk, cast.commune_a1.pk]),
    ]


def write_urls(campaign, cast):
    return [
        reverse("campaigns:target_add", args=[campaign.pk]),
        reverse("campaigns:gift_add", args=[campaign.pk]) + f"?area={cast.commune_a1.pk}",
        reverse("campaigns:receipt_add", args=[campaign.pk]),
        reverse("campaigns:tag", args=[campaign.pk]) + f"?area={cast.commune_a1.pk}",
    ]


def test_list_shows_the_year_with_its_days(cast, login, campaign):
    page = login(cast.commune).get(reverse("campaigns:list") + "?year=2024")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tháng hành động vì NCT 2024" in text
    assert "06/06" in text and "01/10" in text and "10/02" in text  # Tết 2024: 10/02


def test_list_of_another_province_does_not_show_the_campaign(login, outsider, campaign):
    page = login(outsider).get(reverse("campaigns:list") + "?year=2024")
    assert "Tháng hành động vì NCT 2024" not in page.content.decode()


@pytest.mark.parametrize("who", ["province", "commune", "leader", "viewer"])
def test_every_page_opens_for_people_in_scope(cast, login, campaign, who):
    client = login(getattr(cast, who))
    for url in read_urls(campaign, cast):
        assert client.get(url).status_code == 200, url


def test_every_page_is_404_for_another_province(cast, login, outsider, campaign):
    client = login(outsider)
    for url in [*read_urls(campaign, cast), *write_urls(campaign, cast)]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("campaigns:gifts", args=[campaign.pk])).status_code == 404
    assert client.post(reverse("campaigns:gift_add", args=[campaign.pk])).status_code == 404


def test_a_commune_not_deployed_to_sees_nothing(cast, login):
    campaign = action_month(cast, communes=[cast.commune_a2])
    client = login(cast.commune)
    assert client.get(reverse("campaigns:detail", args=[campaign.pk])).status_code == 404
    assert (
        client.get(reverse("campaigns:report", args=[campaign.pk, cast.commune_a2.pk])).status_code
        == 404
    )


def test_another_communes_report_is_404(cast, login, campaign):
    url = reverse("campaigns:report", args=[campaign.pk, cast.commune_a2.pk])
    assert login(cast.commune).get(url).status_code == 404


def test_viewer_writing_is_403(cast, login, campaign):
    client = login(cast.viewer)
    for url in write_urls(campaign, cast):
        assert client.post(url, {}).status_code == 403, url
    for name in ("report_submit", "report_approve", "report_return"):
        url = reverse(f"campaigns:{name}", args=[campaign.pk, cast.commune_a1.pk])
        assert client.post(url, {}).status_code == 403, url
    assert client.post(reverse("campaigns:create"), {}).status_code == 403


def test_leader_cannot_manage_a_campaign(cast, login, campaign):
    client = login(cast.leader)
    assert client.get(reverse("campaigns:target_add", args=[campaign.pk])).status_code == 403
    assert client.post(reverse("campaigns:create"), {}).status_code == 403


def test_viewers_never_see_named_gift_recipients(cast, login, campaign, gift):
    client = login(cast.viewer)
    assert client.get(reverse("campaigns:gifts", args=[campaign.pk])).status_code == 403
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Lò Thị Ún" not in detail
    assert "500.000" in detail  # the figure, not the person
    rollup = client.get(reverse("campaigns:rollup", args=[campaign.pk]) + "?format=xlsx")
    assert rollup.status_code == 200
    assert "Lò Thị Ún".encode() not in rollup.content


def test_staff_see_the_gift_list(cast, login, campaign, gift):
    page = login(cast.commune).get(reverse("campaigns:gifts", args=[campaign.pk]))
    assert page.status_code == 200
    assert "Lò Thị Ún" in page.content.decode()
    assert gift.entry.voucher_number in page.content.decode()


def test_create_a_campaign_deployed_to_communes(cast, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = login(cast.province).post(
        reverse("campaigns:create"),
        {
            "title": "Thăm hỏi Tết Giáp Thìn",
            "kind": Campaign.Kind.TET,
            "organiser": cast.province_a.pk,
            "starts_on": "15/01/2024",
            "ends_on": "15/02/2024",
            "deployed_to": [cast.commune_a1.pk],
            "plan_file": upload("ke-hoach.pdf"),
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(title="Thăm hỏi Tết Giáp Thìn")
    assert list(campaign.deployed_to.all()) == [cast.commune_a1]
    plan = login(cast.commune).get(reverse("campaigns:plan", args=[campaign.pk]))
    assert plan.status_code == 200


def test_a_plan_file_that_lies_about_its_type_is_refused_beside_the_field(cast, login):
    response = login(cast.province).post(
        reverse("campaigns:create"),
        {
            "title": "Tháng hành động",
            "kind": Campaign.Kind.ACTION_MONTH,
            "organiser": cast.province_a.pk,
            "starts_on": "01/10/2024",
            "ends_on": "31/10/2024",
            "plan_file": upload("ke-hoach.pdf", b"PK\x03\x04 not really"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["plan_file"]
    assert not Campaign.objects.exists()


def test_target_below_zero_is_shown_beside_the_field(cast, login, campaign):
    response = login(cast.province).post(
        reverse("campaigns:target_add", args=[campaign.pk]),
        {"indicator": Indicator.GIFTS, "commune": "", "number": "-5"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [vi("A target cannot be below zero.")]
    assert not CampaignTarget.objects.exists()


def test_commune_sets_its_own_target(cast, login, campaign):
    response = login(cast.commune).post(
        reverse("campaigns:target_add", args=[campaign.pk]),
        {"indicator": Indicator.GIFTS, "commune": cast.commune_a1.pk, "number": "25"},
    )
    assert response.status_code == 302
    target = CampaignTarget.objects.get()
    assert (target.commune, target.number) == (cast.commune_a1, 25)


def test_commune_cannot_set_a_target_for_another_commune(cast, login, campaign):
    response = login(cast.commune).post(
        reverse("campaigns:target_add", args=[campaign.pk]),
        {"indicator": Indicator.GIFTS, "commune": cast.commune_a2.pk, "number": "25"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["commune"]
    assert not CampaignTarget.objects.exists()


def test_gift_form_refuses_a_date_outside_the_campaign(cast, login, campaign):
    fund = care_fund(cast.commune_a1, balance=1_000_000)
    response = login(cast.commune).post(
        reverse("campaigns:gift_add", args=[campaign.pk]) + f"?area={cast.commune_a1.pk}",
        {
            "person_name": "Lò Thị Ún",
            "date": "05/11/2024",
            "kind": "cash",
            "value": "200.000",
            "fund": fund.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert not CampaignGift.objects.exists()
    fund.refresh_from_db()
    assert fund.balance == 1_000_000


def test_gift_form_refuses_a_fund_without_the_money(cast, login, campaign):
    fund = care_fund(cast.commune_a1, balance=100_000)
    response = login(cast.commune).post(
        reverse("campaigns:gift_add", args=[campaign.pk]) + f"?area={cast.commune_a1.pk}",
        {
            "person_name": "Lò Thị Ún",
            "date": "15/10/2024",
            "kind": "cash",
            "value": "200.000",
            "fund": fund.pk,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["value"]
    assert "100.000" in errors[0]
    assert not CampaignGift.objects.exists()


def test_gift_form_records_a_gift_once(cast, login, campaign):
    fund = care_fund(cast.commune_a1, balance=1_000_000)
    client = login(cast.commune)
    data = {
        "person_name": "Lò Thị Ún",
        "date": "15/10/2024",
        "kind": "cash",
        "value": "200.000",
        "fund": fund.pk,
        "once_key": "5b0c8a0e-9a55-4f0e-8d1c-1d2f4b3c6a70",
    }
    url = reverse("campaigns:gift_add", args=[campaign.pk]) + f"?area={cast.commune_a1.pk}"
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert CampaignGift.objects.count() == 1
    fund.refresh_from_db()
    assert fund.balance == 800_000


def test_receipt_form_records_money_raised(cast, login, campaign):
    fund = care_fund(cast.commune_a1)
    response = login(cast.commune).post(
        reverse("campaigns:receipt_add", args=[campaign.pk]),
        {
            "fund": fund.pk,
            "date": "10/10/2024",
            "amount": "2.500.000",
            "source": "businesses",
            "donor": "Công ty chè Tam Đường",
        },
    )
    assert response.status_code == 302
    receipt = CampaignReceipt.objects.get()
    assert receipt.entry.amount == 2_500_000
    page = login(cast.viewer).get(reverse("campaigns:receipts", args=[campaign.pk]))
    assert "2.500.000" in page.content.decode()


def test_receipt_into_another_provinces_fund_is_not_offered(cast, login, campaign):
    fund = care_fund(cast.commune_b1)
    response = login(cast.province).post(
        reverse("campaigns:receipt_add", args=[campaign.pk]),
        {
            "fund": fund.pk,
            "date": "10/10/2024",
            "amount": "100.000",
            "source": "members",
            "donor": "Hội viên",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["fund"]
    assert not CampaignReceipt.objects.exists()


def test_tag_activities_and_visits(cast, login, campaign):
    activity = ActivityFactory(club=cast.club_a, date=IN_CAMPAIGN, participant_count=35)
    visit = HomeCareVisitFactory(club=cast.club_a, date=IN_CAMPAIGN)
    url = reverse("campaigns:tag", args=[campaign.pk]) + f"?area={cast.commune_a1.pk}"
    client = login(cast.commune)
    page = client.get(url)
    assert activity.title in page.content.decode()
    response = client.post(url, {"activities": [activity.pk], "visits": [visit.pk]})
    assert response.status_code == 302
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert ">35<" in detail.replace(" ", "") or "35" in detail


def test_detail_query_count_does_not_grow_with_communes(
    cast, login, campaign, django_assert_max_num_queries
):
    from tests.factories import CommuneFactory

    client = login(cast.province)
    url = reverse("campaigns:detail", args=[campaign.pk])
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for i in range(6):
        commune = CommuneFactory(code=f"9190{i}", parent=cast.province_a)
        campaign.deployed_to.add(commune)
        ActivityFactory(club__commune=commune, date=IN_CAMPAIGN)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_rollup_query_count_is_fixed(cast, login, campaign, django_assert_max_num_queries):
    from tests.factories import CommuneFactory

    client = login(cast.province)
    url = reverse("campaigns:rollup", args=[campaign.pk])
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for i in range(5):
        campaign.deployed_to.add(CommuneFactory(code=f"9180{i}", parent=cast.province_a))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_rollup_xlsx_lists_who_has_not_reported(cast, login, campaign):
    import io

    from openpyxl import load_workbook

    response = login(cast.province).get(
        reverse("campaigns:rollup", args=[campaign.pk]) + "?format=xlsx"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Tháng hành động vì NCT 2024" in values
    assert any("Xã A Một" in str(v) and "Xã A Hai" in str(v) for v in values)


def test_printable_rollup(cast, login, campaign):
    page = login(cast.province).get(reverse("campaigns:rollup", args=[campaign.pk]) + "?print=1")
    text = page.content.decode()
    assert "data-print" in text and "Xã A Một" in text


def test_dates_in_the_future_are_refused(cast, login):
    campaign = action_month(
        cast, starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 12, 31)
    )
    fund = care_fund(cast.commune_a1)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = login(cast.commune).post(
        reverse("campaigns:receipt_add", args=[campaign.pk]),
        {
            "fund": fund.pk,
            "date": tomorrow.strftime("%d/%m/%Y"),
            "amount": "100.000",
            "source": "members",
            "donor": "Hội viên",
        },
    )
    assert response.context["form"].errors["date"]
