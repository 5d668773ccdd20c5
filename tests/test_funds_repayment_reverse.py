"""Correcting a repayment recorded by mistake: reversing receipts, installments as before."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from funds import services
from funds.models import FundsError, Installment, LedgerEntry, Loan, Repayment
from funds.selectors import fund_balance_sum, loan_position
from tests.factories_funds import DAY, make_loan, revolving

pytestmark = pytest.mark.django_db


def _state(loan: Loan) -> list[tuple[int, int, int]]:
    return list(
        Installment.objects.filter(loan=loan)
        .order_by("seq")
        .values_list("paid_principal", "paid_interest", "waived_interest")
    )


def test_reversing_the_latest_repayment_puts_everything_back(cast):
    loan = make_loan(cast.club_a, principal=6_000_000, term=6)
    fund = revolving(cast.club_a)
    first = services.loan_repay(
        loan=loan, amount=1_030_000, on=DAY + datetime.timedelta(days=31), by=None
    )
    before = (_state(loan), revolving(cast.club_a).balance)
    wrong = services.loan_repay(
        loan=loan, amount=3_000_000, on=DAY + datetime.timedelta(days=35), by=None
    )
    assert _state(loan) != before[0]

    reversals = services.repayment_reverse(
        repayment=wrong, by=cast.leader, note="Nhập nhầm số tiền"
    )

    assert _state(loan) == before[0]
    fund.refresh_from_db()
    assert fund.balance == before[1] == fund_balance_sum(fund)
    assert not Repayment.objects.filter(pk=wrong.pk).exists()
    assert Repayment.objects.filter(pk=first.pk).exists()
    # each receipt is cancelled by a payment linked to it, with the reason and who did it
    assert {r.reverses_id for r in reversals} == {wrong.principal_entry_id, wrong.interest_entry_id}
    assert all(r.direction == "out" and r.note == "Nhập nhầm số tiền" for r in reversals)
    assert all(r.created_by == cast.leader and r.loan_id == loan.pk for r in reversals)
    assert sum(r.amount for r in reversals) == 3_000_000
    position = loan_position(Loan.objects.get(pk=loan.pk), DAY + datetime.timedelta(days=40))
    assert position.paid == 1_030_000


def test_a_loan_closed_by_the_mistake_is_open_again(cast):
    loan = make_loan(cast.club_a, principal=2_000_000, term=2)
    payoff = services.loan_payoff(loan=loan, on=DAY + datetime.timedelta(days=3), by=None)
    assert Loan.objects.get(pk=loan.pk).status == Loan.Status.REPAID
    services.repayment_reverse(repayment=payoff, by=None, note="Chưa trả thật")
    loan.refresh_from_db()
    assert (loan.status, loan.closed_on) == (Loan.Status.ACTIVE, None)
    assert _state(loan) == [(0, 0, 0), (0, 0, 0)]


def test_reversing_one_by_one_walks_back_through_every_state(cast):
    """Installments after each reversal are exactly what they were before that repayment,
    interest-first allocation and an early payoff's waived interest included."""
    loan = make_loan(cast.club_a, principal=5_000_000, term=5, rate="0.6")
    states, repayments = [_state(loan)], []
    for days, amount in ((20, 700_000), (45, 1_234_567), (70, 333_333)):
        repayments.append(
            services.loan_repay(
                loan=loan, amount=amount, on=DAY + datetime.timedelta(days=days), by=None
            )
        )
        states.append(_state(loan))
    repayments.append(
        services.loan_payoff(loan=loan, on=DAY + datetime.timedelta(days=80), by=None)
    )
    assert any(w for _p, _i, w in _state(loan))  # the payoff waived later interest
    for rep in reversed(repayments):
        services.repayment_reverse(repayment=rep, by=None, note="Sai")
        assert _state(loan) == states.pop()
    assert _state(loan) == [(0, 0, 0)] * 5
    fund = revolving(cast.club_a)
    assert fund.balance == fund_balance_sum(fund)


def test_only_the_latest_repayment_and_with_a_reason(cast):
    loan = make_loan(cast.club_a, principal=6_000_000, term=6)
    first = services.loan_repay(
        loan=loan, amount=1_000_000, on=DAY + datetime.timedelta(days=30), by=None
    )
    services.loan_repay(loan=loan, amount=1_000_000, on=DAY + datetime.timedelta(days=60), by=None)
    entries = LedgerEntry.objects.count()
    with pytest.raises(FundsError):
        services.repayment_reverse(repayment=first, by=None, note="Sai")
    latest = Repayment.objects.filter(loan=loan).order_by("-pk").first()
    with pytest.raises(FundsError) as err:
        services.repayment_reverse(repayment=latest, by=None, note="  ")
    assert "note" in err.value.message_dict
    assert (
        LedgerEntry.objects.count() == entries and Repayment.objects.filter(loan=loan).count() == 2
    )


def test_a_repayment_in_an_approved_month_stays(cast, monkeypatch):
    from month import locking

    loan = make_loan(cast.club_a, principal=6_000_000, term=6)
    rep = services.loan_repay(
        loan=loan, amount=1_000_000, on=DAY + datetime.timedelta(days=30), by=None
    )
    monkeypatch.setattr(locking, "is_month_locked", lambda club, day: day.month == rep.date.month)
    with pytest.raises(locking.MonthLocked):
        services.repayment_reverse(repayment=rep, by=None, note="Sai")
    assert Repayment.objects.filter(pk=rep.pk).exists()


def test_money_already_lent_again_cannot_be_taken_back(cast):
    loan = make_loan(cast.club_a, principal=2_000_000, term=2)
    rep = services.loan_repay(
        loan=loan, amount=1_000_000, on=DAY + datetime.timedelta(days=5), by=None
    )
    fund = revolving(cast.club_a)
    make_loan(cast.club_a, principal=fund.balance, term=2)  # lends out everything there is
    with pytest.raises(FundsError) as err:
        services.repayment_reverse(repayment=rep, by=None, note="Sai")
    assert "amount" in err.value.message_dict
    assert Repayment.objects.filter(pk=rep.pk).exists()


# --- the page ------------------------------------------------------------------------------


def test_the_leader_reverses_from_the_loan_page(cast, login):
    loan = make_loan(cast.club_a, principal=6_000_000, term=6)
    services.loan_repay(loan=loan, amount=1_000_000, on=DAY + datetime.timedelta(days=30), by=None)
    rep = services.loan_repay(
        loan=loan, amount=2_000_000, on=DAY + datetime.timedelta(days=31), by=None
    )
    client = login(cast.leader)
    page = client.get(reverse("funds:loan_detail", args=[loan.pk])).content.decode()
    url = reverse("funds:repayment_reverse", args=[rep.pk])
    assert url in page
    assert client.get(url).status_code == 200
    empty = client.post(url, {"note": ""})
    assert empty.status_code == 200 and Repayment.objects.filter(pk=rep.pk).exists()
    asked = client.post(url, {"note": "Nhập nhầm"})  # the confirmation page, nothing done
    assert asked.status_code == 200 and 'name="confirmed" value="1"' in asked.content.decode()
    assert Repayment.objects.filter(pk=rep.pk).exists()
    response = client.post(url, {"note": "Nhập nhầm", "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "funds:loan_detail", args=[loan.pk]
    )
    assert not Repayment.objects.filter(pk=rep.pk).exists()
    assert client.post(url, {"note": "Lần nữa", "confirmed": "1"}).status_code == 404


def test_outsiders_and_viewers_cannot_reverse(cast, login):
    loan = make_loan(cast.club_a, principal=6_000_000, term=6)
    rep = services.loan_repay(
        loan=loan, amount=1_000_000, on=DAY + datetime.timedelta(days=30), by=None
    )
    url = reverse("funds:repayment_reverse", args=[rep.pk])
    assert login(cast.leader2).post(url, {"note": "x"}).status_code == 404
    assert login(cast.viewer).post(url, {"note": "x"}).status_code == 403
    assert login(cast.commune).get(url).status_code == 200  # the club's commune staff may
    assert Repayment.objects.filter(pk=rep.pk).exists()
