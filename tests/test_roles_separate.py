"""Roles stay apart: the club writes and submits its report, the association reviews, returns
and approves it, and never writes or submits it for the club (docs/month.md)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from month.models import MonthlyReport
from month.services import report_return, report_start, report_submit

pytestmark = pytest.mark.django_db

# What the button of a confirmation page posts (accounts.confirm).
CONFIRMED = {"confirmed": "1"}


@pytest.fixture
def returned(cast):
    """A report of club_a that the commune sent back with a comment."""
    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    report = report_start(club=cast.club_a, year=last.year, month=last.month, by=cast.leader)
    report_submit(report=report, by=cast.leader)
    return report_return(report=report, by=cast.commune, comment="Thiếu phần khó khăn")


@pytest.mark.parametrize("who", ["commune", "province", "admin"])
def test_staff_cannot_edit_compile_or_submit_a_clubs_report(cast, login, returned, who):
    client = login(getattr(cast, who))
    url = reverse("month:report_detail", args=[returned.pk])
    assert client.post(url, {"narrative": "Viết hộ", "difficulties": ""}).status_code == 403
    for step in ("compile", "submit"):
        response = client.post(reverse(f"month:report_{step}", args=[returned.pk]))
        assert response.status_code == 403, step
    returned.refresh_from_db()
    assert returned.status == MonthlyReport.Status.RETURNED and returned.narrative == ""


def test_the_report_page_hides_the_clubs_buttons_from_staff(cast, login, returned):
    url = reverse("month:report_detail", args=[returned.pk])
    staff_page = login(cast.commune).get(url).content.decode()
    assert 'id="submit-report"' not in staff_page and 'id="compile-report"' not in staff_page
    assert 'name="narrative"' not in staff_page
    leader_page = login(cast.leader).get(url).content.decode()
    assert 'id="submit-report"' in leader_page and 'name="narrative"' in leader_page


def test_the_leader_resubmits_and_the_commune_reviews(cast, login, returned):
    leader = login(cast.leader)
    leader.post(
        reverse("month:report_detail", args=[returned.pk]),
        {"narrative": "Đã họp đủ", "difficulties": "Thiếu máy đo"},
    )
    submit = reverse("month:report_submit", args=[returned.pk])
    assert leader.post(submit, CONFIRMED).status_code == 302
    returned.refresh_from_db()
    assert returned.status == MonthlyReport.Status.SUBMITTED
    assert returned.submitted_by == cast.leader
    commune = login(cast.commune)
    review = reverse("month:report_review", args=[returned.pk])
    assert commune.post(review, CONFIRMED).status_code == 302
    returned.refresh_from_db()
    assert returned.status == MonthlyReport.Status.REVIEWED


def test_outsiders_get_404_and_viewers_403(cast, login, returned):
    url = reverse("month:report_submit", args=[returned.pk])
    assert login(cast.leader2).post(url).status_code == 404
    other = login(cast.commune)
    other.force_login(
        type(cast.commune).objects.create(
            username="commune_a2", role=cast.commune.role, area=cast.commune_a2
        )
    )
    assert other.post(url).status_code == 404
    assert login(cast.viewer).post(url).status_code == 403


# --- a loan: requested by one board member, decided by another ------------------------------


def _requested_loan(cast, by):
    from tests.factories_funds import make_loan

    return make_loan(cast.club_a, principal=1_000_000, term=4, by=by, status="requested")


def test_the_requester_cannot_decide_when_another_board_member_has_an_account(cast, login):
    from accounts.models import Role, User
    from funds.models import Loan

    second = User.objects.create(username="treasurer", role=Role.CLUB_LEADER, club=cast.club_a)
    loan = _requested_loan(cast, cast.leader)
    url = reverse("funds:loan_decide", args=[loan.pk])
    response = login(cast.leader).post(url, {"decision": "approve", "date": "06/01/2025"})
    assert response.status_code == 200
    assert "Người đề nghị khoản vay" in response.content.decode()
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REQUESTED
    response = login(second).post(url, {"decision": "approve", "date": "06/01/2025"})
    assert response.status_code == 302
    loan.refresh_from_db()
    assert (loan.status, loan.created_by, loan.approved_by) == ("approved", cast.leader, second)


def test_a_club_with_one_account_decides_alone(cast, login):
    loan = _requested_loan(cast, cast.leader)
    response = login(cast.leader).post(
        reverse("funds:loan_decide", args=[loan.pk]), {"decision": "approve", "date": "06/01/2025"}
    )
    assert response.status_code == 302
