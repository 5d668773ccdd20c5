"""Writing a loan off: the board gives up on what is owed; the loan leaves the portfolio."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from config.months import ym_of_date
from funds import services
from funds.models import FundsError, LedgerEntry, Loan
from funds.selectors import club_portfolio
from reports import periods, summary
from reports.models import ClubMonthSummary
from tests.factories_funds import make_loan

pytestmark = pytest.mark.django_db


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def test_a_written_off_loan_leaves_the_portfolio_from_that_day(cast):
    loan = make_loan(cast.club_a, principal=4_000_000, term=4, day=_days_ago(70))
    entries = LedgerEntry.objects.count()
    services.loan_write_off(loan=loan, by=cast.leader, reason="Người vay đã mất", on=_days_ago(5))

    loan.refresh_from_db()
    assert (loan.status, loan.closed_on) == (Loan.Status.WRITTEN_OFF, _days_ago(5))
    assert loan.write_off_reason == "Người vay đã mất"
    assert loan.history.first().history_change_reason == "Người vay đã mất"
    assert LedgerEntry.objects.count() == entries  # no money moves
    assert club_portfolio(club=cast.club_a, as_of=_days_ago(10)).outstanding == 4_000_000
    after = club_portfolio(club=cast.club_a, as_of=timezone.localdate())
    assert (after.outstanding, after.at_risk, after.loans) == (0, 0, 0)
    with pytest.raises(FundsError):
        services.loan_repay(loan=loan, amount=100_000, by=None)


def test_dashboards_agree_with_the_loan_book(cast):
    loan = make_loan(cast.club_a, principal=4_000_000, term=4, day=_days_ago(70))
    services.loan_write_off(loan=loan, by=None, reason="Chuyển đi nơi khác", on=_days_ago(1))
    summary.rebuild(months=4)
    rows = {r.ym: r for r in ClubMonthSummary.objects.filter(club=cast.club_a).order_by("ym")}
    disbursed = rows[ym_of_date(_days_ago(70))]
    assert disbursed.loans_outstanding == 4_000_000 and disbursed.loans_disbursed == 1
    now = rows[periods.current_ym()]
    assert now.loans_outstanding == 0 and now.borrowers == 0
    assert now.loans_outstanding == club_portfolio(club=cast.club_a).outstanding


def test_only_an_active_loan_with_a_reason_and_a_sensible_date(cast):
    loan = make_loan(cast.club_a, principal=2_000_000, term=2, day=_days_ago(30))
    with pytest.raises(FundsError) as err:
        services.loan_write_off(loan=loan, by=None, reason=" ")
    assert "reason" in err.value.message_dict
    with pytest.raises(FundsError) as err:
        services.loan_write_off(loan=loan, by=None, reason="x", on=_days_ago(40))
    assert "date" in err.value.message_dict
    with pytest.raises(FundsError) as err:
        services.loan_write_off(loan=loan, by=None, reason="x", on=_days_ago(-3))
    assert "date" in err.value.message_dict
    requested = make_loan(cast.club_a, principal=1_000_000, status=Loan.Status.REQUESTED)
    with pytest.raises(FundsError):
        services.loan_write_off(loan=requested, by=None, reason="x")
    assert Loan.objects.get(pk=loan.pk).status == Loan.Status.ACTIVE


def test_the_board_writes_off_from_the_loan_page(cast, login):
    loan = make_loan(cast.club_a, principal=2_000_000, term=2, day=_days_ago(30))
    client = login(cast.leader)
    url = reverse("funds:loan_write_off", args=[loan.pk])
    assert url in client.get(reverse("funds:loan_detail", args=[loan.pk])).content.decode()
    refused = client.post(url, {"date": _days_ago(1).strftime("%d/%m/%Y"), "reason": ""})
    assert refused.status_code == 200 and Loan.objects.get(pk=loan.pk).status == "active"
    response = client.post(
        url,
        {"date": _days_ago(1).strftime("%d/%m/%Y"), "reason": "Mất khả năng trả", "confirmed": "1"},
    )
    assert response.status_code == 302
    page = client.get(reverse("funds:loan_detail", args=[loan.pk])).content.decode()
    assert "Mất khả năng trả" in page and url not in page


def test_outsiders_and_viewers_cannot_write_off(cast, login):
    loan = make_loan(cast.club_a, principal=2_000_000, term=2, day=_days_ago(30))
    url = reverse("funds:loan_write_off", args=[loan.pk])
    data = {"date": _days_ago(1).strftime("%d/%m/%Y"), "reason": "x"}
    assert login(cast.leader2).post(url, data).status_code == 404
    assert login(cast.viewer).post(url, data).status_code == 403
    assert Loan.objects.get(pk=loan.pk).status == Loan.Status.ACTIVE
