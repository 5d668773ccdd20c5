"""A requested loan's terms can be corrected by the club's board until the board decides: a
rate typed ten times too high is put right before money leaves, the old values stay in the
loan's history, and an unusual new rate or amount asks for confirmation (docs/funds.md)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from funds import services
from funds.models import FundsError, Loan
from tests.factories import UserFactory
from tests.factories_funds import DAY, deposit, make_loan, revolving
from tests.factories_month import vi

pytestmark = pytest.mark.django_db

TOO_LATE = "The board has decided on this loan: its terms can no longer be corrected."


def _terms(loan, **changes):
    data = {
        "principal": f"{loan.principal}",
        "in_kind": loan.in_kind,
        "purpose": loan.purpose,
        "monthly_rate": f"{loan.monthly_rate.normalize():f}".replace(".", ","),
        "term_months": str(loan.term_months),
        "method": loan.method,
        "requested_on": loan.requested_on.strftime("%d/%m/%Y"),
    }
    return {**data, **changes}


@pytest.fixture
def mistyped(cast):
    """A loan requested with 5 %/month where the board meant 0,5 (the "0,5" → "05" slip)."""
    deposit(revolving(cast.club_a), 10_000_000)
    return make_loan(
        cast.club_a, principal=2_000_000, rate="5", by=cast.leader, status=Loan.Status.REQUESTED
    )


def test_the_leader_corrects_the_rate_before_the_board_decides(cast, login, mistyped):
    client = login(cast.leader)
    url = reverse("funds:loan_terms", args=[mistyped.pk])
    form = client.get(url)
    assert form.status_code == 200 and 'value="2000000"' in form.content.decode().replace(".", "")
    response = client.post(url, _terms(mistyped, monthly_rate="0,5"))
    assert response.status_code == 302
    assert response["Location"] == reverse("funds:loan_decide", args=[mistyped.pk])
    mistyped.refresh_from_db()
    assert (mistyped.monthly_rate, mistyped.status) == (Decimal("0.5"), Loan.Status.REQUESTED)
    # The old value is kept, with who changed it and what.
    last, before = mistyped.history.order_by("-history_date", "-pk")[:2]
    assert (before.monthly_rate, last.monthly_rate) == (Decimal(5), Decimal("0.5"))
    assert last.history_user == cast.leader
    assert vi("monthly interest rate (%)") in last.history_change_reason
    # The board's page shows the terms, the correction and the way to correct them again.
    page = client.get(reverse("funds:loan_decide", args=[mistyped.pk])).content.decode()
    assert "2.000.000" in page and 'id="correct-terms"' in page
    assert 'id="term-changes"' in page and "5 → 0,5" in page
    detail = client.get(reverse("funds:loan_detail", args=[mistyped.pk])).content.decode()
    assert "5 → 0,5" in detail and url in detail


def test_every_term_can_be_corrected(cast, login, mistyped):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = login(cast.leader).post(
        reverse("funds:loan_terms", args=[mistyped.pk]),
        _terms(
            mistyped, principal="1.500.000", purpose="Mua bò giống", monthly_rate="0,7",
            term_months="18", method="bullet", in_kind="Một con bò",
            requested_on=yesterday.strftime("%d/%m/%Y"),
        ),
    )  # fmt: skip
    assert response.status_code == 302
    mistyped.refresh_from_db()
    assert (
        mistyped.principal, mistyped.purpose, mistyped.monthly_rate, mistyped.term_months,
        mistyped.method, mistyped.in_kind, mistyped.requested_on,
    ) == (1_500_000, "Mua bò giống", Decimal("0.7"), 18, "bullet", "Một con bò", yesterday)  # fmt: skip


@pytest.mark.parametrize("status", [Loan.Status.APPROVED, Loan.Status.REJECTED, "active"])
def test_once_the_board_has_decided_the_terms_stay(cast, login, status):
    deposit(revolving(cast.club_a), 10_000_000)
    loan = make_loan(cast.club_a, principal=2_000_000, rate="0.5", status=Loan.Status.REQUESTED)
    if status == Loan.Status.REJECTED:
        services.loan_reject(loan=loan, by=None, note="Chưa đủ điều kiện")
    elif status != Loan.Status.REQUESTED:
        services.loan_approve(loan=loan, by=None, on=DAY)
        if status == "active":
            services.loan_disburse(loan=loan, by=None, on=DAY)
    client = login(cast.leader)
    url = reverse("funds:loan_terms", args=[loan.pk])
    response = client.post(url, _terms(loan, monthly_rate="0,9"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("funds:loan_detail", args=[loan.pk])
    assert vi(TOO_LATE) in response.content.decode()
    assert client.get(url).status_code == 302
    loan.refresh_from_db()
    assert loan.monthly_rate == Decimal("0.5")
    assert url not in client.get(reverse("funds:loan_detail", args=[loan.pk])).content.decode()
    with pytest.raises(FundsError):
        services.loan_terms_correct(loan=loan, by=cast.leader, monthly_rate=Decimal("0.9"))


def test_a_decision_that_comes_first_wins_over_a_correction(cast, mistyped):
    """The form was drawn while the loan was requested; the board decided before it was
    sent: the service, under the loan's row lock, refuses."""
    services.loan_approve(loan=Loan.objects.get(pk=mistyped.pk), by=None, on=DAY)
    with pytest.raises(FundsError) as err:
        services.loan_terms_correct(loan=mistyped, by=cast.leader, monthly_rate=Decimal("0.5"))
    assert vi(TOO_LATE) in str(err.value.messages) or TOO_LATE in str(err.value.messages)
    assert Loan.objects.get(pk=mistyped.pk).monthly_rate == Decimal(5)


def test_only_the_clubs_board_corrects(cast, login, mistyped):
    url = reverse("funds:loan_terms", args=[mistyped.pk])
    data = _terms(mistyped, monthly_rate="0,5")
    for who in ("commune", "province", "admin"):
        assert login(getattr(cast, who)).post(url, data).status_code == 403, who
    assert login(cast.viewer).post(url, data).status_code == 403
    assert login(cast.leader2).post(url, data).status_code == 404
    # Another board member of the same club may.
    treasurer = UserFactory(username="treasurer", role=Role.CLUB_LEADER, club=cast.club_a)
    assert login(treasurer).post(url, data).status_code == 302
    mistyped.refresh_from_db()
    assert mistyped.monthly_rate == Decimal("0.5")
    # Staff see the decision page without the offer to correct.
    page = login(cast.commune).get(reverse("funds:loan_decide", args=[mistyped.pk]))
    assert 'id="correct-terms"' not in page.content.decode()


def test_an_unusual_corrected_rate_asks_for_confirmation(cast, login, mistyped):
    services.loan_terms_correct(loan=mistyped, by=cast.leader, monthly_rate=Decimal("0.5"))
    client = login(cast.leader)
    url = reverse("funds:loan_terms", args=[mistyped.pk])
    response = client.post(url, _terms(mistyped, monthly_rate="4"))
    assert response.status_code == 200
    assert "Tôi xác nhận" in response.content.decode()
    assert response.context["form"].errors["confirm_unusual"]
    assert Loan.objects.get(pk=mistyped.pk).monthly_rate == Decimal("0.5")
    response = client.post(url, _terms(mistyped, monthly_rate="4", confirm_unusual="on"))
    assert response.status_code == 302
    assert Loan.objects.get(pk=mistyped.pk).monthly_rate == Decimal(4)


def test_an_amount_far_above_the_clubs_loans_asks_for_confirmation(cast, login):
    deposit(revolving(cast.club_a), 20_000_000)
    make_loan(cast.club_a, principal=1_000_000)
    loan = make_loan(cast.club_a, principal=1_000_000, status=Loan.Status.REQUESTED)
    client = login(cast.leader)
    url = reverse("funds:loan_terms", args=[loan.pk])
    response = client.post(url, _terms(loan, principal="5.000.000"))
    assert response.status_code == 200 and "gấp đôi" in response.content.decode()
    assert Loan.objects.get(pk=loan.pk).principal == 1_000_000
    response = client.post(url, _terms(loan, principal="5.000.000", confirm_unusual="on"))
    assert response.status_code == 302
    assert Loan.objects.get(pk=loan.pk).principal == 5_000_000


def test_an_unusual_rate_left_as_it_was_is_not_asked_again(cast, login, mistyped):
    """5 %/month was confirmed when the loan was requested; correcting the purpose alone
    does not ask about it again."""
    response = login(cast.leader).post(
        reverse("funds:loan_terms", args=[mistyped.pk]), _terms(mistyped, purpose="Mua giống")
    )
    assert response.status_code == 302
    assert Loan.objects.get(pk=mistyped.pk).purpose == "Mua giống"


def test_a_correction_is_held_to_the_same_limits(cast, login, mistyped, settings):
    client = login(cast.leader)
    url = reverse("funds:loan_terms", args=[mistyped.pk])
    # more than the fund can lend (10.000.000 ₫ in it)
    response = client.post(url, _terms(mistyped, principal="12.000.000", confirm_unusual="on"))
    assert response.status_code == 200 and response.context["form"].errors["principal"]
    for field, value in [("term_months", "37"), ("monthly_rate", "-1"), ("principal", "0")]:
        response = client.post(url, _terms(mistyped, **{field: value}))
        assert response.status_code == 200 and response.context["form"].errors[field], field
    future = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    response = client.post(url, _terms(mistyped, requested_on=future))
    assert response.status_code == 200 and response.context["form"].errors["requested_on"]
    assert Loan.objects.get(pk=mistyped.pk).principal == 2_000_000
