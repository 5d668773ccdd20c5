"""The member page brings the month panel (attendance, readings) and the member's loans."""

import datetime

import pytest

from month.models import Attendance, HealthCheck, Meeting
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(cast):
    member = MemberFactory(
        club=cast.club_a, full_name="Lò Thị Xuân", consent_on=datetime.date(2024, 1, 1)
    )
    meeting = Meeting.objects.create(
        club=cast.club_a, date=datetime.date(2025, 3, 21), status=Meeting.Status.HELD
    )
    Attendance.objects.create(meeting=meeting, member=member, status=Attendance.Status.PRESENT)
    HealthCheck.objects.create(
        club=cast.club_a,
        member=member,
        meeting=meeting,
        date=meeting.date,
        systolic=150,
        diastolic=95,
    )
    return member


def test_leader_sees_attendance_and_readings_on_the_member_page(member, cast, login):
    page = login(cast.leader).get(f"/members/{member.pk}/").text
    assert "21/03/2025" in page
    assert "150/95" in page


def test_viewer_sees_no_readings(member, cast, login):
    # Viewers see aggregates only: no member page at all (accounts.privacy).
    response = login(cast.viewer).get(f"/members/{member.pk}/")
    assert response.status_code == 403
    assert "Lò Thị Xuân" not in response.text
    assert "150/95" not in response.text


def test_member_page_query_count_does_not_grow(member, cast, login, django_assert_max_num_queries):
    client = login(cast.leader)
    with django_assert_max_num_queries(40) as first:
        client.get(f"/members/{member.pk}/")
    for day in range(1, 15):
        meeting = Meeting.objects.create(
            club=cast.club_a, date=datetime.date(2025, 4, day), status=Meeting.Status.HELD
        )
        Attendance.objects.create(meeting=meeting, member=member, status=Attendance.Status.PRESENT)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(f"/members/{member.pk}/")
