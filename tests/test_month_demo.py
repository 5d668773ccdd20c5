"""The month's demo data: fast, idempotent, every report state."""

import io
import time

import pytest

from clubs import demo_month
from clubs.models_month import Attendance, HealthCheck, Meeting, MonthlyReport, MonthlyReportEvent
from members.models import Member
from tests.factories import ClubFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_the_demo_month_is_fast_idempotent_and_varied(cast):
    clubs = [ClubFactory(commune=cast.commune_a1) for _ in range(17)] + [
        cast.club_a,
        cast.club_a2,
        cast.club_b,
    ]
    template = MemberFactory.build
    Member.objects.bulk_create(
        [template(club=club, full_name=f"Thành viên {i}", is_volunteer=i % 9 == 0, search_name=f"thanh vien {i}") for club in clubs for i in range(60)]
    )  # fmt: skip
    started = time.monotonic()
    demo_month.seed(io.StringIO())
    assert time.monotonic() - started < 15
    assert Meeting.objects.filter(status="held").count() == 20 * 6
    assert Attendance.objects.count() > 20 * 6 * 50
    assert HealthCheck.objects.exists()
    states = set(MonthlyReport.objects.values_list("status", flat=True))
    assert states == {"draft", "submitted", "reviewed", "approved", "returned"}
    returned = MonthlyReport.objects.filter(status="returned").first()
    assert returned.return_comment and returned.events.filter(action="returned").exists()
    assert MonthlyReport.objects.filter(status="approved").first().figures["meetings"]["held"] == 1
    counts = (
        Meeting.objects.count(),
        Attendance.objects.count(),
        MonthlyReport.objects.count(),
        MonthlyReportEvent.objects.count(),
    )
    demo_month.seed(io.StringIO())
    assert (
        Meeting.objects.count(),
        Attendance.objects.count(),
        MonthlyReport.objects.count(),
        MonthlyReportEvent.objects.count(),
    ) == counts
