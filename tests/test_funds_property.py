"""Property-based: whatever happens, balances equal the sum of entries and never go negative."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funds import services
from funds.models import Fund, FundsError, LedgerEntry, Loan
from funds.selectors import fund_balance_sum
from funds.services.loans import build_schedule
from tests.factories import MemberFactory
from tests.factories_funds import DAY, operating, revolving

pytestmark = pytest.mark.django_db

amounts = st.integers(min_value=1, max_value=5_000_000)
ops = st.lists(
    st.one_of(
        st.tuples(st.just("in"), st.integers(0, 2), amounts),
        st.tuples(st.just("out"), st.integers(0, 2), amounts),
        st.tuples(st.just("reverse"), st.integers(0, 1000), st.just(0)),
        st.tuples(st.just("transfer"), st.integers(0, 2), amounts),
        st.tuples(st.just("loan"), st.integers(1, 12), amounts),
        st.tuples(st.just("repay"), st.integers(0, 1000), amounts),
        st.tuples(st.just("payoff"), st.integers(0, 1000), st.just(0)),
    ),
    max_size=25,
)


class Rollback(Exception):
    pass


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=ops)
def test_balances_always_equal_the_sum_of_entries(cast, steps):
    try:
        with transaction.atomic():
            _run(cast, steps)
            raise Rollback
    except Rollback:
        pass


def _run(cast, steps):
    funds = [operating(cast.club_a), revolving(cast.club_a), operating(cast.club_a2)]
    member = MemberFactory(club=cast.club_a)
    day = DAY
    for kind, n, amount in steps:
        try:
            if kind in ("in", "out"):
                services.entry_record(
                    fund=funds[n], date=day, amount=amount, direction=kind,
                    category=LedgerEntry.Category.OTHER, by=None,
                )  # fmt: skip
            elif kind == "reverse":
                entries = list(LedgerEntry.objects.order_by("pk"))
                if entries:
                    services.entry_reverse(entry=entries[n % len(entries)], by=None, date=day)
            elif kind == "transfer":
                services.fund_transfer(
                    source=funds[n], target=funds[(n + 1) % 3], amount=amount, date=day, by=None
                )
            elif kind == "loan":
                loan = services.loan_request(
                    fund=funds[1], borrower=member, principal=amount, purpose="x", term_months=n,
                    monthly_rate=Decimal("0.7"), method="equal_principal" if n % 2 else "bullet",
                    by=None, requested_on=day,
                )  # fmt: skip
                services.loan_approve(loan=loan, by=None, on=day)
                services.loan_disburse(loan=loan, by=None, on=day)
                assert sum(i.principal for i in loan.installments.all()) == loan.principal
            else:
                loans = list(Loan.objects.filter(status=Loan.Status.ACTIVE).order_by("pk"))
                if loans:
                    loan = loans[n % len(loans)]
                    if kind == "repay":
                        services.loan_repay(loan=loan, amount=amount, on=day, by=None)
                    else:
                        services.loan_payoff(loan=loan, on=day, by=None)
        except FundsError:
            pass
        for fund in Fund.objects.filter(pk__in=[f.pk for f in funds]):
            assert fund.balance == fund_balance_sum(fund)
            assert fund.balance >= 0
    for loan in Loan.objects.prefetch_related("installments", "repayments"):
        insts = list(loan.installments.all())
        assert sum(i.paid_principal for i in insts) == sum(
            r.principal for r in loan.repayments.all()
        )
        assert sum(i.paid_interest for i in insts) == sum(r.interest for r in loan.repayments.all())


@settings(max_examples=300, deadline=None)
@given(
    principal=st.integers(min_value=1, max_value=10**12),
    term=st.integers(min_value=1, max_value=36),
    rate=st.decimals(min_value=0, max_value=5, places=3),
    method=st.sampled_from(["equal_principal", "bullet"]),
)
def test_schedule_sums_exactly_to_the_principal(principal, term, rate, method):
    rows = build_schedule(
        principal=principal, monthly_rate=rate, term_months=term, method=method,
        start=datetime.date(2024, 1, 31),
    )  # fmt: skip
    assert len(rows) == term
    assert sum(r["principal"] for r in rows) == principal
    assert all(r["principal"] >= 0 and r["interest"] >= 0 for r in rows)
    dates = [r["due_on"] for r in rows]
    assert dates == sorted(dates) and len(set(dates)) == term
