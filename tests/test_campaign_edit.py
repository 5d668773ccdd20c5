"""Editing a campaign or an emulation drive from its page: the people who may create it,
scoped like the creation (another province or commune: 404; a viewer or a leader: 403), what
can no longer change once reports were sent or registrations scored (refused beside the field,
in Vietnamese, nothing saved), one history row per change."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from campaigns import services
from campaigns.models import Campaign, CampaignGift, EmulationRegistration, Indicator
from tests.factories import UserFactory
from tests.factories_campaigns import IN_CAMPAIGN, action_month, drive
from tests.factories_month import ActivityFactory, vi

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(cast):
    return action_month(cast)


def data(campaign, **changes):
    values = {
        "title": campaign.title,
        "kind": campaign.kind,
        "starts_on": f"{campaign.starts_on:%d/%m/%Y}",
        "ends_on": f"{campaign.ends_on:%d/%m/%Y}",
        "theme": campaign.theme,
        "deployed_to": list(campaign.deployed_to.values_list("pk", flat=True)),
        "once_key": str(uuid.uuid4()),
    }
    values.update(changes)
    return values


def edit_url(campaign):
    return reverse("campaigns:edit", args=[campaign.pk])


def test_the_province_renames_and_moves_its_campaign(cast, login, campaign):
    client = login(cast.province)
    form = client.get(edit_url(campaign))
    assert form.status_code == 200
    assert "01/10/2024" in form.text and campaign.title in form.text
    response = client.post(
        edit_url(campaign), data(campaign, title="Tháng hành động 2024 (sửa)", ends_on="05/11/2024")
    )
    assert response.status_code == 302
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).text
    assert "Tháng hành động 2024 (sửa)" in page
    assert "05/11/2024" in page
    assert vi("Change history") in page


def test_one_history_row_per_change_and_none_for_a_repeat(cast, login, campaign):
    client = login(cast.province)
    posted = data(campaign, title="Tên mới")
    client.post(edit_url(campaign), posted)
    client.post(edit_url(campaign), posted)  # a double tap: the same form key
    assert campaign.history.count() == 2  # created, then changed once
    latest = campaign.history.latest()
    assert latest.title == "Tên mới" and latest.history_user == cast.province
    client.post(edit_url(campaign), data(Campaign.objects.get(pk=campaign.pk)))
    assert campaign.history.count() == 2  # nothing changed: nothing recorded


def test_communes_added_are_the_changes_reason(cast, login):
    campaign = action_month(cast, communes=[cast.commune_a1])
    client = login(cast.province)
    response = client.post(
        edit_url(campaign), data(campaign, deployed_to=[cast.commune_a1.pk, cast.commune_a2.pk])
    )
    assert response.status_code == 302
    assert set(campaign.deployed_to.all()) == {cast.commune_a1, cast.commune_a2}
    assert cast.commune_a2.name in campaign.history.latest().history_change_reason


def test_the_edit_link_shows_only_for_those_who_may_edit(cast, login, campaign):
    url = reverse("campaigns:detail", args=[campaign.pk])
    assert edit_url(campaign) in login(cast.province).get(url).text
    assert edit_url(campaign) not in login(cast.commune).get(url).text
    assert edit_url(campaign) not in login(cast.leader).get(url).text
    assert edit_url(campaign) not in login(cast.viewer).get(url).text


def test_a_commune_edits_its_own_campaign_but_not_the_provinces(cast, login, campaign):
    own = services.campaign_create(
        title="Thăm hỏi Tết xã A Một",
        kind=Campaign.Kind.TET,
        organiser=cast.commune_a1,
        starts_on=datetime.date(2025, 1, 15),
        ends_on=datetime.date(2025, 2, 15),
        by=cast.commune,
    )
    client = login(cast.commune)
    assert client.get(edit_url(campaign)).status_code == 403
    assert client.get(edit_url(own)).status_code == 200
    response = client.post(edit_url(own), data(own, theme="Ấm áp Tết"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.theme == "Ấm áp Tết"
    # The province's staff may edit it too, as they may create a campaign for the commune.
    assert login(cast.province).get(edit_url(own)).status_code == 200


def test_another_province_or_commune_gets_404(cast, login):
    campaign = action_month(cast, communes=[cast.commune_a2])
    outsider = UserFactory(username="province_b", role=Role.PROVINCE, area=cast.province_b)
    for user in (outsider, cast.commune, cast.leader2):
        client = login(user)
        assert client.get(edit_url(campaign)).status_code == 404, user
        assert client.post(edit_url(campaign), data(campaign)).status_code == 404, user
    campaign.refresh_from_db()
    assert campaign.title == "Tháng hành động vì NCT 2024"


def test_viewer_and_leader_cannot_edit(cast, login, campaign):
    assert login(cast.viewer).post(edit_url(campaign), data(campaign)).status_code == 403
    assert login(cast.leader).get(edit_url(campaign)).status_code == 403


def test_the_organiser_cannot_change(cast, login, campaign):
    client = login(cast.province)
    client.post(edit_url(campaign), data(campaign, organiser=cast.commune_a1.pk, title="X"))
    campaign.refresh_from_db()
    assert campaign.organiser == cast.province_a and campaign.title == "X"


def submitted(campaign, cast):
    report = services.report_for(campaign=campaign, commune=cast.commune_a1)
    return services.report_submit(report=report, by=cast.commune, narrative="Đã thăm 20 cụ.")


def test_the_period_is_fixed_once_a_report_was_submitted(cast, login, campaign):
    submitted(campaign, cast)
    response = login(cast.province).post(
        edit_url(campaign), data(campaign, ends_on="15/11/2024", title="Khác")
    )
    assert response.status_code == 200
    assert vi(
        "A commune's report on this campaign was submitted or approved with the figures of "
        "this period: the period can no longer change."
    ) in response.text.replace("&#x27;", "'")
    campaign.refresh_from_db()
    assert campaign.ends_on == datetime.date(2024, 10, 31) and campaign.title != "Khác"


def test_dates_that_would_drop_a_tagged_record_are_refused(cast, login, campaign):
    activity = ActivityFactory(club=cast.club_a, date=IN_CAMPAIGN)
    services.records_tag(campaign=campaign, activities=[activity], by=cast.commune)
    response = login(cast.province).post(edit_url(campaign), data(campaign, ends_on="10/10/2024"))
    assert response.status_code == 200
    message = vi(
        "%(n)s records of the campaign are dated after this day (the last on %(date)s): they "
        "would no longer count. Untag them first or keep the end."
    ) % {"n": 1, "date": "15/10/2024"}
    assert message in response.text
    campaign.refresh_from_db()
    assert campaign.ends_on == datetime.date(2024, 10, 31)


def test_the_year_is_fixed_once_the_campaign_has_targets(cast, login, campaign):
    services.target_set(campaign=campaign, indicator=Indicator.GIFTS, number=100, by=cast.province)
    response = login(cast.province).post(
        edit_url(campaign), data(campaign, starts_on="01/10/2025", ends_on="31/10/2025")
    )
    assert response.status_code == 200
    assert (
        vi(
            "The campaign already has targets or records of %(year)s: its year can no longer change."
        )
        % {"year": 2024}
        in response.text
    )
    campaign.refresh_from_db()
    assert campaign.starts_on.year == 2024


def test_a_commune_with_records_cannot_be_withdrawn(cast, login, campaign):
    services.gift_record(
        campaign=campaign,
        area=cast.commune_a1,
        person_name="Lò Thị Ún",
        date=IN_CAMPAIGN,
        kind=CampaignGift.Kind.GOODS,
        value=200_000,
        by=cast.commune,
    )
    response = login(cast.province).post(
        edit_url(campaign), data(campaign, deployed_to=[cast.commune_a2.pk])
    )
    assert response.status_code == 200
    assert cast.commune_a1.name in response.text
    assert set(campaign.deployed_to.all()) == {cast.commune_a1, cast.commune_a2}
    # A commune with nothing recorded can go.
    response = login(cast.province).post(
        edit_url(campaign), data(campaign, deployed_to=[cast.commune_a1.pk])
    )
    assert response.status_code == 302
    assert set(campaign.deployed_to.all()) == {cast.commune_a1}


def test_bad_dates_are_refused_beside_the_field(cast, login, campaign):
    response = login(cast.province).post(edit_url(campaign), data(campaign, ends_on="01/09/2024"))
    assert response.status_code == 200
    assert vi("The end comes before the start.") in response.text


# --- Drives --------------------------------------------------------------------------------


def drive_url(d):
    return reverse("campaigns:drive_edit", args=[d.pk])


def drive_data(d, **changes):
    values = {
        "title": d.title,
        "starts_on": f"{d.starts_on:%d/%m/%Y}",
        "ends_on": f"{d.ends_on:%d/%m/%Y}",
        "occasion": d.occasion,
        "description": d.description,
        "once_key": str(uuid.uuid4()),
    }
    values.update(changes)
    return values


def test_the_province_edits_its_drive_once(cast, login):
    d = drive(cast)
    client = login(cast.province)
    page = client.get(reverse("campaigns:drive", args=[d.pk])).text
    assert drive_url(d) in page
    posted = drive_data(d, occasion="Kỷ niệm 80 năm", ends_on="31/12/2025")
    assert client.post(drive_url(d), posted).status_code == 302
    assert client.post(drive_url(d), posted).status_code == 302
    d.refresh_from_db()
    assert d.occasion == "Kỷ niệm 80 năm" and d.ends_on == datetime.date(2025, 12, 31)
    assert d.history.count() == 2
    assert "Kỷ niệm 80 năm" in client.get(reverse("campaigns:drive", args=[d.pk])).text


def test_drive_edit_scoping(cast, login):
    d = drive(cast)
    outsider = UserFactory(username="province_b", role=Role.PROVINCE, area=cast.province_b)
    assert login(outsider).get(drive_url(d)).status_code == 404
    assert login(cast.leader2).post(drive_url(d), drive_data(d)).status_code == 404
    assert login(cast.commune).get(drive_url(d)).status_code == 403
    assert login(cast.viewer).post(drive_url(d), drive_data(d)).status_code == 403
    assert drive_url(d) not in login(cast.commune).get(reverse("campaigns:drive", args=[d.pk])).text


def test_a_scored_drive_keeps_its_period(cast, login):
    d = drive(cast)
    registration = services.registration_create(
        drive=d, area=cast.commune_a1, pledges="Phát triển 50 hội viên", by=cast.commune
    )
    criterion = d.criteria.get()
    services.scores_set(
        registration=registration,
        stage=EmulationRegistration.Stage.REVIEWED,
        points={criterion.pk: 20},
        by=cast.province,
    )
    response = login(cast.province).post(drive_url(d), drive_data(d, starts_on="01/07/2024"))
    assert response.status_code == 200
    assert (
        vi(
            "Registrations of this drive have been scored by the organiser: its period can no "
            "longer change."
        )
        in response.text
    )
    d.refresh_from_db()
    assert d.starts_on == datetime.date(2024, 6, 1)


def test_a_drive_cannot_end_before_a_registration(cast, login):
    d = drive(cast)
    services.registration_create(
        drive=d, area=cast.commune_a1, pledges="Phát triển 50 hội viên", by=cast.commune
    )
    response = login(cast.province).post(drive_url(d), drive_data(d, ends_on="30/06/2024"))
    assert response.status_code == 200
    today = timezone.localdate()
    assert (
        vi("A unit registered on %(date)s: the drive cannot end before that day.")
        % {"date": f"{today:%d/%m/%Y}"}
        in response.text
    )
    d.refresh_from_db()
    assert d.ends_on == datetime.date(2099, 12, 31)
