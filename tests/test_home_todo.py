"""The start page is a to-do list: a leader's next meeting, returned reports, the report due,
loans due and visits owed; staff's reports waiting, late clubs and loans waiting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from config.months import add_months
from funds.models import Loan
from month.models import MonthlyReport
from month.schedule import report_deadline
from tests.factories import ClubFactory, UserFactory
from tests.factories_funds import make_loan
from tests.factories_members import ConsentedMemberFactory
from tests.factories_month import (
    HomeCareVisitFactory,
    MeetingFactory,
    MonthlyReportFactory,
    vi,
)

pytestmark = pytest.mark.django_db

HOME = "/"


def last_month() -> tuple[int, int]:
    day = add_months(timezone.localdate().replace(day=1), -1)
    return day.year, day.month


def test_leader_sees_the_meeting_of_today_with_the_record_button(cast, login):
    today = timezone.localdate()
    meeting = MeetingFactory(club=cast.club_a, date=today, place="Nhà văn hóa bản Mới")
    page = login(cast.leader).get(HOME).content.decode()
    assert vi("Meeting today") in page
    assert "Nhà văn hóa bản Mới" in page
    assert reverse("month:meeting_record", args=[meeting.pk]) in page
    assert vi("Record the meeting") in page
    # The leader's home is not the staff's counters.
    assert vi("Clubs in your scope") not in page


def test_leader_sees_a_later_meeting_with_its_date_and_a_link_to_open_it(cast, login):
    day = timezone.localdate() + datetime.timedelta(days=6)
    meeting = MeetingFactory(club=cast.club_a, date=day)
    page = login(cast.leader).get(HOME).content.decode()
    assert vi("Next meeting") in page
    assert day.strftime("%d/%m/%Y") in page
    assert reverse("month:meeting_detail", args=[meeting.pk]) in page
    assert reverse("month:meeting_record", args=[meeting.pk]) not in page


def test_returned_report_shows_the_reviewers_comment(cast, login):
    year, month = last_month()
    report = MonthlyReportFactory(
        club=cast.club_a,
        year=year,
        month=month,
        status=MonthlyReport.Status.RETURNED,
        return_comment="Thiếu số người tham gia hoạt động tháng này",
        returned_by=cast.commune,
        returned_at=timezone.now(),
    )
    page = login(cast.leader).get(HOME).content.decode()
    assert "Thiếu số người tham gia hoạt động tháng này" in page
    assert reverse("month:report_detail", args=[report.pk]) in page


def test_report_due_shows_its_deadline_until_it_is_submitted(cast, login):
    year, month = last_month()
    client = login(cast.leader)
    page = client.get(HOME).content.decode()
    assert report_deadline(year, month).strftime("%d/%m/%Y") in page
    assert f"{month:02d}/{year}" in page
    MonthlyReportFactory(
        club=cast.club_a, year=year, month=month, status=MonthlyReport.Status.SUBMITTED
    )
    page = client.get(HOME).content.decode()
    assert report_deadline(year, month).strftime("%d/%m/%Y") not in page


def test_loans_due_at_the_next_meeting_are_listed_with_the_sum(cast, login):
    make_loan(cast.club_a, principal=10_000_000, day=add_months(timezone.localdate(), -3))
    page = login(cast.leader).get(HOME).content.decode()
    assert reverse("funds:loans_due", args=[cast.club_a.pk]) in page
    assert "₫" in page


def test_members_needing_a_visit_this_month_are_named_until_visited(cast, login):
    today = timezone.localdate()
    waiting = ConsentedMemberFactory(club=cast.club_a, full_name="Lò Thị Cần", needs_care=True)
    visited = ConsentedMemberFactory(club=cast.club_a, full_name="Lò Văn Đã", needs_care=True)
    HomeCareVisitFactory(club=cast.club_a, recipient=visited, date=today.replace(day=1))
    page = login(cast.leader).get(HOME).content.decode()
    assert "Lò Thị Cần" in page
    assert "Lò Văn Đã" not in page
    assert reverse("month:visit_add", args=[cast.club_a.pk]) in page
    assert waiting.pk


def test_another_clubs_items_are_not_shown(cast, login):
    MeetingFactory(club=cast.club_b, date=timezone.localdate(), place="Nhà bản Khu 3")
    ConsentedMemberFactory(club=cast.club_b, full_name="Người Khu Ba", needs_care=True)
    page = login(cast.leader).get(HOME).content.decode()
    assert "Nhà bản Khu 3" not in page
    assert "Người Khu Ba" not in page


def test_club_viewer_sees_the_meeting_without_the_record_button(cast, login):
    viewer = UserFactory(role=Role.VIEWER, club=cast.club_a)
    meeting = MeetingFactory(club=cast.club_a, date=timezone.localdate())
    ConsentedMemberFactory(club=cast.club_a, full_name="Lò Thị Kín", needs_care=True)
    page = login(viewer).get(HOME).content.decode()
    assert reverse("month:meeting_detail", args=[meeting.pk]) in page
    assert reverse("month:meeting_record", args=[meeting.pk]) not in page
    # A viewer sees how many, not who.
    assert "Lò Thị Kín" not in page


def _fill_club(club, n: int) -> None:
    today = timezone.localdate()
    year, month = last_month()
    MeetingFactory(club=club, date=today)
    for i in range(n):
        ConsentedMemberFactory(club=club, needs_care=True)
        MonthlyReportFactory(
            club=club, year=year - 1 - i, month=month, status=MonthlyReport.Status.RETURNED
        )
        make_loan(club, principal=5_000_000, day=add_months(today, -2))


@pytest.mark.parametrize("n", [1, 6])
def test_leader_home_runs_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries, n):
    _fill_club(cast.club_a, n)
    client = login(cast.leader)
    # session, user, totals, club, next meeting, returned reports, report due, loans +
    # installments + repayments, members needing a visit (names, count), nav cache misses:
    # the same for 1 and for 6 of everything.
    with django_assert_max_num_queries(14):
        response = client.get(HOME)
    assert response.status_code == 200


# --- Staff -------------------------------------------------------------------------------


def test_commune_staff_see_the_reports_waiting_for_them_with_counts(cast, login):
    year, month = last_month()
    for _i in range(3):
        MonthlyReportFactory(
            club=ClubFactory(commune=cast.commune_a1),
            year=year,
            month=month,
            status=MonthlyReport.Status.SUBMITTED,
        )
    # In another province: not counted.
    MonthlyReportFactory(
        club=cast.club_b, year=year, month=month, status=MonthlyReport.Status.SUBMITTED
    )
    response = login(cast.commune).get(HOME)
    staff = response.context["staff"]
    assert staff.waiting["submitted"] == 3
    assert staff.my_step == MonthlyReport.Status.SUBMITTED
    page = response.content.decode()
    assert reverse("month:report_inbox") + "?status=submitted" in page
    assert reverse("month:late_list") in page


def test_province_staff_see_late_clubs_and_loans_waiting(cast, login):
    make_loan(cast.club_a, status=Loan.Status.REQUESTED)
    make_loan(cast.club_a2, status=Loan.Status.APPROVED)
    make_loan(cast.club_b, status=Loan.Status.REQUESTED)  # another province
    response = login(cast.province).get(HOME)
    staff = response.context["staff"]
    assert staff.loans["requested"] == 1
    assert staff.loans["approved"] == 1
    assert staff.late_count >= 2  # club_a and club_a2 owe last month's report
    page = response.content.decode()
    assert reverse("funds:loan_list", args=[cast.club_a.pk]) + "?status=requested" in page
    assert reverse("funds:loan_list", args=[cast.club_b.pk]) not in page


def test_viewer_of_the_province_sees_counts_but_no_loans(cast, login):
    make_loan(cast.club_a, status=Loan.Status.REQUESTED)
    response = login(cast.viewer).get(HOME)
    assert response.status_code == 200
    assert response.context["staff"].my_step is None


@pytest.mark.parametrize("n", [1, 6])
def test_staff_home_runs_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries, n):
    year, month = last_month()
    for _i in range(n):
        club = ClubFactory(commune=cast.commune_a1)
        MonthlyReportFactory(club=club, year=year, month=month, status="submitted")
        make_loan(club, status=Loan.Status.REQUESTED)
    client = login(cast.province)
    # session, user, totals, the user's area, reports by step, late clubs, loans (counts,
    # clubs), nav cache: the same for 1 and for 6.
    with django_assert_max_num_queries(12):
        response = client.get(HOME)
    assert response.status_code == 200


def test_anonymous_goes_to_the_login_page(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_demo_gives_the_leaders_club_a_meeting_today_once(cast, login):
    from month.models import Meeting
    from reports.demo import meeting_today

    assert meeting_today()
    assert not meeting_today()  # loading the demo again adds nothing
    today = timezone.localdate()
    meeting = Meeting.objects.get(club=cast.club_a, date=today)
    assert meeting.status == Meeting.Status.PLANNED
    page = login(cast.leader).get(HOME).content.decode()
    assert reverse("month:meeting_record", args=[meeting.pk]) in page
