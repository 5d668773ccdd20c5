"""Activities in the 8 areas, home-care visits, and the member's month panel."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from month.models import Activity, ActivityArea, HomeCareVisit
from month.selectors import member_month_panel
from tests.factories import MemberFactory
from tests.factories_month import (
    AttendanceFactory,
    HealthCheckFactory,
    HomeCareVisitFactory,
    MeetingFactory,
    vi,
)

pytestmark = pytest.mark.django_db

# What the button of a confirmation page posts (accounts.confirm).
CONFIRMED = {"confirmed": "1"}


def dmy(day):
    return day.strftime("%d/%m/%Y")


def test_an_activity_can_serve_several_areas_and_counts_its_members(cast, login):
    health, learning = ActivityArea.objects.filter(code__in=["health", "learning"]).order_by(
        "order"
    )
    members = [MemberFactory(club=cast.club_a) for _ in range(3)]
    day = timezone.localdate()
    response = login(cast.leader).post(
        reverse("month:activity_add", args=[cast.club_a.pk]),
        {
            "date": dmy(day), "title": "Truyền thông phòng chống tăng huyết áp",
            "areas": [health.pk, learning.pk], "participants": [m.pk for m in members],
            "participant_count": "0", "beneficiaries": "40", "cost": "350000", "description": "",
        },
    )  # fmt: skip
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert set(activity.areas.all()) == {health, learning}
    assert activity.participant_count == 3 and activity.cost == 350_000
    assert activity.created_by == cast.leader


def test_bad_activity_input_saves_nothing(cast, login):
    area = ActivityArea.objects.first()
    stranger = MemberFactory(club=cast.club_b)
    client = login(cast.leader)
    url = reverse("month:activity_add", args=[cast.club_a.pk])
    base = {"date": dmy(timezone.localdate()), "title": "Giao lưu văn nghệ", "areas": [area.pk], "participant_count": "10", "beneficiaries": "0", "cost": "0"}  # fmt: skip
    for bad in (
        {"cost": "-5"},
        {"areas": []},
        {"participants": [stranger.pk]},
        {"date": "31/02/2024"},
    ):
        response = client.post(url, {**base, **bad})
        assert response.status_code == 200, bad
    assert not Activity.objects.exists()


def test_activities_edit_delete_and_list(cast, login, django_assert_max_num_queries):
    area = ActivityArea.objects.first()
    client = login(cast.leader)
    for i in range(6):
        a = Activity.objects.create(
            club=cast.club_a, date=timezone.localdate(), title=f"Hoạt động {i}"
        )
        a.areas.set([area])
    # session, user, club (+commune), page of activities, count, areas prefetch, the navbar's
    # user.club
    with django_assert_max_num_queries(7):
        page = client.get(reverse("month:activity_list", args=[cast.club_a.pk]))
    assert page.status_code == 200
    assert all(f"Hoạt động {i}" in page.content.decode() for i in range(6))
    a = Activity.objects.first()
    response = client.post(
        reverse("month:activity_edit", args=[a.pk]),
        {"date": dmy(a.date), "title": "Đổi tên", "areas": [area.pk], "participant_count": "4", "beneficiaries": "0", "cost": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.title == "Đổi tên"
    assert client.post(reverse("month:activity_delete", args=[a.pk]), CONFIRMED).status_code == 302
    assert not Activity.objects.filter(pk=a.pk).exists()


def test_a_home_care_visit_records_its_services(cast, login):
    volunteer = MemberFactory(club=cast.club_a, is_volunteer=True)
    recipient = MemberFactory(club=cast.club_a)
    response = login(cast.leader).post(
        reverse("month:visit_add", args=[cast.club_a.pk]),
        {
            "volunteer": volunteer.pk, "recipient": recipient.pk, "date": dmy(timezone.localdate()),
            "services": ["medicine", "housework"], "duration_minutes": "45", "note": "",
        },
    )  # fmt: skip
    assert response.status_code == 302
    visit = HomeCareVisit.objects.get()
    assert visit.service_list == ["housework", "medicine"] and visit.duration_minutes == 45
    assert vi("Housework") in visit.get_services_display()


def test_bad_visits_save_nothing(cast, login):
    volunteer = MemberFactory(club=cast.club_a)
    stranger = MemberFactory(club=cast.club_b)
    client = login(cast.leader)
    url = reverse("month:visit_add", args=[cast.club_a.pk])
    base = {"volunteer": volunteer.pk, "recipient": MemberFactory(club=cast.club_a).pk, "date": dmy(timezone.localdate()), "services": ["company"], "duration_minutes": "30"}  # fmt: skip
    response = client.post(url, {**base, "recipient": volunteer.pk})
    assert vi("A volunteer cannot visit themselves.") in response.content.decode()
    for bad in (
        {"recipient": stranger.pk},
        {"services": []},
        {"services": ["massage"]},
        {"duration_minutes": "0"},
    ):
        assert client.post(url, {**base, **bad}).status_code == 200, bad
    assert not HomeCareVisit.objects.exists()


def test_visit_edit_and_delete(cast, login):
    visit = HomeCareVisitFactory(club=cast.club_a, date=timezone.localdate())
    client = login(cast.leader)
    response = client.post(
        reverse("month:visit_edit", args=[visit.pk]),
        {"volunteer": visit.volunteer.pk, "recipient": visit.recipient.pk, "date": dmy(visit.date), "services": ["farm_work"], "duration_minutes": "120"},
    )  # fmt: skip
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.services, visit.duration_minutes) == ("farm_work", 120)
    assert client.get(reverse("month:visit_list", args=[cast.club_a.pk])).status_code == 200
    assert client.post(reverse("month:visit_delete", args=[visit.pk]), CONFIRMED).status_code == 302
    assert not HomeCareVisit.objects.exists()


# --- The member's month panel -----------------------------------------------------------------


@pytest.fixture
def member_with_history(cast):
    member = MemberFactory(
        club=cast.club_a, full_name="Lò Thị Xuân", joined_on=datetime.date(2023, 1, 1)
    )
    for i, status in enumerate(["present", "absent", None]):
        meeting = MeetingFactory(
            club=cast.club_a, date=datetime.date(2024, 3 + i, 21), status="held"
        )
        if status:
            AttendanceFactory(meeting=meeting, member=member, status=status)
        HealthCheckFactory(
            member=member,
            club=cast.club_a,
            meeting=meeting,
            date=meeting.date,
            systolic=130 + 10 * i,
            diastolic=85,
            weight=50 + i,
        )
    HomeCareVisitFactory(club=cast.club_a, recipient=member, date=datetime.date(2024, 5, 2))
    HomeCareVisitFactory(club=cast.club_a, volunteer=member, date=datetime.date(2024, 5, 3))
    return member


def test_the_panel_shows_attendance_readings_and_visits(cast, member_with_history):
    panel = member_month_panel(member_with_history, cast.leader)
    assert [h["status"] for h in panel["history"]] == ["", "absent", "present"]
    assert panel["attendance_summary"]["not_recorded"] == 1
    assert panel["chart"]["systolic"] == [130, 140, 150]
    assert panel["chart"]["weight"] == [50.0, 51.0, 52.0]
    assert len(panel["visits_received"]) == 1 and len(panel["visits_given"]) == 1


def test_viewers_see_no_health_readings_or_care_received(cast, member_with_history):
    panel = member_month_panel(member_with_history, cast.viewer)
    assert panel["readings"] == [] and panel["chart"]["systolic"] == []
    assert panel["visits_received"] == []
    assert len(panel["history"]) == 3


def test_the_member_health_page_has_a_chart_and_a_table(
    cast, login, member_with_history, django_assert_max_num_queries
):
    client = login(cast.leader)
    url = reverse("month:member_health", args=[member_with_history.pk])
    # session, user, member (+club), meetings with marks, readings, visits received, given,
    # the navbar's user.club; the access log (its content type the first time, savepoint,
    # INSERT, release)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    assert "vendor/chartjs/chart.umd.min.js" in html and "<canvas" in html
    assert "150/85" in html and "<table" in html
    html = login(cast.viewer).get(url).content.decode()
    assert "150/85" not in html and "<canvas" not in html
