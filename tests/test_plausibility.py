"""Figures and dates that cannot be true are refused beside the field, in Vietnamese."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from funds.models import Loan
from month.forms import MeetingRecordForm
from month.models import Activity, ActivityArea, HomeCareVisit, MonthlyReport
from month.services import MonthError, report_submit
from tests.factories import MemberFactory
from tests.factories_funds import deposit, make_loan, revolving
from tests.factories_month import MeetingFactory, MonthlyReportFactory, vi

pytestmark = pytest.mark.django_db

FUTURE = "15/06/2099"
FUTURE_MESSAGE = "Ngày này ở tương lai"


def dmy(day):
    return day.strftime("%d/%m/%Y")


def _activity(**extra):
    area = ActivityArea.objects.first()
    return {
        "date": dmy(timezone.localdate()), "title": "Giao lưu văn nghệ", "areas": [area.pk],
        "participant_count": "10", "beneficiaries": "0", "cost": "0", **extra,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cost", "999.999.999.999.999"),
        ("participant_count", "5000000"),
        ("beneficiaries", "99999999999"),
        ("date", FUTURE),
    ],
)
def test_an_impossible_activity_is_refused_beside_the_field(cast, login, field, value):
    response = login(cast.leader).post(
        reverse("month:activity_add", args=[cast.club_a.pk]), _activity(**{field: value})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Activity.objects.exists()


def test_a_future_visit_and_a_too_long_one_are_refused(cast, login):
    volunteer = MemberFactory(club=cast.club_a, is_volunteer=True)
    recipient = MemberFactory(club=cast.club_a)
    client = login(cast.leader)
    base = {
        "volunteer": volunteer.pk, "recipient": recipient.pk, "date": dmy(timezone.localdate()),
        "services": ["medicine"], "duration_minutes": "45", "note": "",
    }  # fmt: skip
    url = reverse("month:visit_add", args=[cast.club_a.pk])
    response = client.post(
        url, {**base, "date": dmy(timezone.localdate() + datetime.timedelta(days=1))}
    )
    assert FUTURE_MESSAGE in " ".join(response.context["form"].errors["date"])
    response = client.post(url, {**base, "duration_minutes": "1400"})
    assert "duration_minutes" in response.context["form"].errors
    assert not HomeCareVisit.objects.exists()


def test_a_loan_requested_in_the_future_is_refused(cast, login):
    deposit(revolving(cast.club_a), 10_000_000)
    member = MemberFactory(club=cast.club_a)
    response = login(cast.leader).post(
        reverse("funds:loan_create", args=[cast.club_a.pk]),
        {
            "borrower": member.pk, "principal": "1.000.000", "purpose": "Chăn nuôi",
            "monthly_rate": "0,5", "term_months": "6", "method": "bullet", "requested_on": FUTURE,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert FUTURE_MESSAGE in " ".join(response.context["form"].errors["requested_on"])
    assert not Loan.objects.exists()


def test_a_member_joining_in_the_future_is_refused(cast, login):
    response = login(cast.leader).post(
        reverse("members:member_create", args=[cast.club_a.pk]),
        {
            "full_name": "Lò Văn Tương Lai",
            "sex": "male",
            "birth_year": "1950",
            "joined_on": FUTURE,
        },
    )
    assert response.status_code == 200
    assert FUTURE_MESSAGE in " ".join(response.context["form"].errors["joined_on"])


def test_a_reading_for_a_member_marked_absent_is_refused_beside_the_field():
    member = MemberFactory.build(pk=7)
    form = MeetingRecordForm({"att_7": "absent", "wt_7": "52,5", "guests": "0"}, members=[member])
    assert not form.is_valid()
    assert any("vắng mặt" in e for e in form.errors["wt_7"])


def test_a_month_that_has_not_ended_cannot_be_reported(cast):
    today = timezone.localdate()
    report = MonthlyReportFactory(club=cast.club_a, year=today.year, month=today.month)
    with pytest.raises(MonthError) as exc:
        report_submit(report=report, by=cast.leader)
    assert "chưa kết thúc" in " ".join(exc.value.messages)
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.DRAFT


def test_the_setting_allows_submitting_from_the_last_meeting_day(cast, settings):
    settings.ISHC_REPORT_FROM_LAST_MEETING = True
    report = MonthlyReportFactory(club=cast.club_a, year=2024, month=5)
    MeetingFactory(club=cast.club_a, date=datetime.date(2024, 5, 21))
    with pytest.raises(MonthError):
        report_submit(report=report, by=cast.leader, today=datetime.date(2024, 5, 20))
    report_submit(report=report, by=cast.leader, today=datetime.date(2024, 5, 21))
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.SUBMITTED


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_a_cash_book_for_year_1_or_9999_is_refused_not_a_crash(cast, login, suffix):
    fund = revolving(cast.club_a)
    name = "funds:cash_book_xlsx" if suffix else "funds:cash_book"
    response = login(cast.leader).get(
        reverse(name, args=[fund.pk]), {"date_from": "01/01/0001", "date_to": "31/12/9999"}
    )
    assert response.status_code == 200
    if not suffix:  # the page says why the dates were not used
        assert vi("Enter a date between 1900 and 2100.") in response.content.decode()


def test_a_search_with_a_nul_character_is_not_a_crash(cast, login):
    MemberFactory(club=cast.club_a, full_name="Nguyễn Thị Tìm")
    response = login(cast.leader).get(
        reverse("members:member_list", args=[cast.club_a.pk]), {"q": "Ng\x00uyen"}
    )
    assert response.status_code == 200
    assert "Nguyễn Thị Tìm" in response.content.decode()  # the NUL is dropped, the name found


def test_the_loans_due_list_counts_days_overdue_as_the_loan_list_does(cast):
    from funds.selectors import due_at_next_meeting, loan_position

    loan = make_loan(
        cast.club_a, principal=1_000_000, term=10, rate="0", day=datetime.date(2025, 1, 21)
    )
    today = datetime.date(2025, 3, 5)
    _meeting, rows = due_at_next_meeting(club=cast.club_a, viewer=cast.leader, today=today)
    assert rows[0]["position"].days_overdue == loan_position(loan, today).days_overdue == 12
