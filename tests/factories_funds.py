"""Helpers to put money in funds and make loans through the real services."""

import datetime
from decimal import Decimal

from funds import services
from funds.models import Fund, LedgerEntry, Loan
from tests.factories import MemberFactory

DAY = datetime.date(2025, 1, 10)


def revolving(club) -> Fund:
    return Fund.objects.get(club=club, kind=Fund.Kind.REVOLVING)


def operating(club) -> Fund:
    return Fund.objects.get(club=club, kind=Fund.Kind.OPERATING)


def deposit(fund: Fund, amount: int, *, by=None, day: datetime.date = DAY) -> LedgerEntry:
    return services.entry_record(
        fund=fund,
        date=day,
        amount=amount,
        direction=LedgerEntry.Direction.IN,
        category=LedgerEntry.Category.DONATION,
        by=by,
        payer="Nhà hảo tâm",
    )


def withdraw(fund: Fund, amount: int, *, by=None, day: datetime.date = DAY) -> LedgerEntry:
    return services.entry_record(
        fund=fund,
        date=day,
        amount=amount,
        direction=LedgerEntry.Direction.OUT,
        category=LedgerEntry.Category.ACTIVITY,
        by=by,
    )


def make_loan(
    club,
    *,
    principal: int = 10_000_000,
    term: int = 10,
    rate: str = "0.5",
    method: str = Loan.Method.EQUAL_PRINCIPAL,
    borrower=None,
    by=None,
    status: str = Loan.Status.ACTIVE,
    day: datetime.date = DAY,
) -> Loan:
    """A loan in the given state; the fund is topped up so it can be lent."""
    fund = revolving(club)
    if fund.balance < principal:
        deposit(fund, principal - fund.balance, by=by, day=day)
    loan = services.loan_request(
        fund=fund,
        borrower=borrower or MemberFactory(club=club),
        principal=principal,
        purpose="Nuôi lợn nái",
        term_months=term,
        monthly_rate=Decimal(rate),
        method=method,
        by=by,
        requested_on=day,
    )
    if status == Loan.Status.REQUESTED:
        return loan
    loan = services.loan_approve(loan=loan, by=by, on=day)
    if status == Loan.Status.APPROVED:
        return loan
    services.loan_disburse(loan=loan, by=by, on=day)
    loan.refresh_from_db()
    return loan
