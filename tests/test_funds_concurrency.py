"""Twenty writers at once on PostgreSQL: row locks keep every dong and never overdraw."""

import threading

import pytest
from django.db import connection, connections

from funds import services
from funds.models import FundsError, Loan
from funds.selectors import fund_balance_sum
from tests.factories_funds import DAY, deposit, make_loan, operating, revolving

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

N = 20


def _race(work):
    """Run ``work(i)`` in N threads released together; return (successes, refusals)."""
    barrier = threading.Barrier(N)
    results: list[str] = []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            try:
                work(i)
                outcome = "ok"
            except FundsError:
                outcome = "refused"
            with lock:
                results.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results.count("ok"), results.count("refused")


def test_withdrawals_never_overdraw(cast):
    assert connection.vendor == "postgresql"
    fund = operating(cast.club_a)
    deposit(fund, 1_000_000)
    ok, refused = _race(lambda i: services.entry_record(
        fund=operating(cast.club_a), date=DAY, amount=100_000, direction="out",
        category="activity", by=None,
    ))  # fmt: skip
    fund.refresh_from_db()
    assert (ok, refused) == (10, 10)
    assert fund.balance == 0 == fund_balance_sum(fund)
    numbers = list(fund.entries.filter(direction="out").values_list("voucher_number", flat=True))
    assert len(set(numbers)) == 10


def test_repayments_lose_nothing(cast):
    loan = make_loan(cast.club_a, principal=2_000_000, term=4, rate="1")
    owed = sum(i.unpaid for i in loan.installments.all())
    ok, refused = _race(
        lambda i: services.loan_repay(
            loan=Loan.objects.get(pk=loan.pk), amount=10_000, on=DAY, by=None
        )
    )
    assert (ok, refused) == (N, 0)
    loan.refresh_from_db()
    insts = list(loan.installments.all())
    assert (
        sum(i.paid_total for i in insts)
        == N * 10_000
        == sum(r.amount for r in loan.repayments.all())
    )
    assert sum(i.unpaid for i in insts) == owed - N * 10_000
    fund = revolving(cast.club_a)
    assert fund.balance == fund_balance_sum(fund) == N * 10_000


def test_transfers_both_ways_do_not_deadlock_or_lose_money(cast):
    a, b = operating(cast.club_a), revolving(cast.club_a)
    deposit(a, 500_000)
    deposit(b, 500_000)

    def work(i):
        src, dst = (a, b) if i % 2 else (b, a)
        services.fund_transfer(source=src, target=dst, amount=60_000, date=DAY, by=None)

    _race(work)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.balance + b.balance == 1_000_000
    assert a.balance == fund_balance_sum(a) >= 0 and b.balance == fund_balance_sum(b) >= 0
