"""Loans: limits, schedules, repayments (interest first, oldest first), payoff, PAR30."""

import datetime
from decimal import Decimal

import pytest

from config.months import add_months
from funds import services
from funds.models import FundsError, Loan
from funds.selectors import (
    club_portfolio,
    due_at_next_meeting,
    loan_position,
    member_loans,
    month_figures,
)
from funds.services.loans import build_schedule
from tests.factories import MemberFactory
from tests.factories_funds import DAY, deposit, make_loan, operating, revolving

pytestmark = pytest.mark.django_db


def test_equal_principal_schedule_last_installment_absorbs_rounding():
    rows = build_schedule(
        principal=10_000_001, monthly_rate=Decimal("0.5"), term_months=3,
        method=Loan.Method.EQUAL_PRINCIPAL, start=datetime.date(2025, 1, 31),
    )  # fmt: skip
    assert [r["principal"] for r in rows] == [3_333_333, 3_333_333, 3_333_335]
    assert [r["interest"] for r in rows] == [50_000, 33_333, 16_667]
    assert [r["due_on"] for r in rows] == [
        datetime.date(2025, 2, 28), datetime.date(2025, 3, 31), datetime.date(2025, 4, 30),
    ]  # fmt: skip


def test_bullet_schedule():
    rows = build_schedule(
        principal=5_000_000, monthly_rate=Decimal("0.8"), term_months=6,
        method=Loan.Method.BULLET, start=DAY,
    )  # fmt: skip
    assert [r["principal"] for r in rows] == [0] * 5 + [5_000_000]
    assert {r["interest"] for r in rows} == {40_000}


def test_add_months_clamps():
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2024, 11, 15), 3) == datetime.date(2025, 2, 15)


def test_lifecycle_and_history(cast):
    loan = make_loan(cast.club_a, principal=6_000_000, term=6, by=cast.leader)
    assert loan.status == Loan.Status.ACTIVE
    assert loan.installments.count() == 6
    fund = revolving(cast.club_a)
    assert fund.balance == 0
    assert loan.entries.get().voucher_number.startswith("PC-")
    # interest first, then principal, oldest installment first
    rep = services.loan_repay(loan=loan, amount=1_030_000 + 25_000, on=DAY, by=cast.leader)
    assert (rep.interest, rep.principal) == (30_000 + 25_000, 1_000_000)
    first, second = loan.installments.order_by("seq")[:2]
    assert (first.paid_interest, first.paid_principal) == (30_000, 1_000_000)
    assert (second.paid_interest, second.paid_principal) == (25_000, 0)
    fund.refresh_from_db()
    assert fund.balance == 1_055_000
    assert loan.history.count() >= 3  # requested, approved, disbursed


def test_repayment_more_than_owed_refused(cast):
    loan = make_loan(cast.club_a, principal=1_000_000, term=2)
    owed = sum(i.unpaid for i in loan.installments.all())
    with pytest.raises(FundsError) as err:
        services.loan_repay(loan=loan, amount=owed + 1, on=DAY, by=None)
    assert "amount" in err.value.message_dict
    assert not loan.repayments.exists()
    services.loan_repay(loan=loan, amount=owed, on=DAY, by=None)
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REPAID
    with pytest.raises(FundsError):
        services.loan_repay(loan=loan, amount=1, on=DAY, by=None)


def test_early_repayment_waives_later_interest(cast):
    loan = make_loan(cast.club_a, principal=3_000_000, term=3, rate="1")
    rep = services.loan_payoff(loan=loan, on=DAY + datetime.timedelta(days=5), by=None)
    # all principal + the current month's interest (30,000); months 2–3 interest waived
    assert (rep.principal, rep.interest) == (3_000_000, 30_000)
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REPAID


def test_limits(cast, settings):
    settings.ISHC_MAX_LOAN_VND = 50_000_000
    fund = revolving(cast.club_a)
    deposit(fund, 60_000_000)
    member = MemberFactory(club=cast.club_a)
    kwargs = dict(
        purpose="x", term_months=12, monthly_rate=Decimal("0.5"), method="equal_principal", by=None
    )
    with pytest.raises(FundsError) as err:
        services.loan_request(fund=fund, borrower=member, principal=50_000_001, **kwargs)
    assert "principal" in err.value.message_dict
    # another club's fund
    with pytest.raises(FundsError) as err:
        services.loan_request(
            fund=revolving(cast.club_b), borrower=member, principal=1_000, **kwargs
        )
    assert "fund" in err.value.message_dict
    # the operating fund does not lend
    with pytest.raises(FundsError):
        services.loan_request(
            fund=operating(cast.club_a), borrower=member, principal=1_000, **kwargs
        )
    # approved-but-unpaid loans reduce what is available
    a = services.loan_request(fund=fund, borrower=member, principal=40_000_000, **kwargs)
    services.loan_approve(loan=a, by=None, on=DAY)
    with pytest.raises(FundsError):
        services.loan_request(fund=fund, borrower=member, principal=20_000_001, **kwargs)
    for bad in (0, -1, 10**13):
        with pytest.raises(FundsError):
            services.loan_request(fund=fund, borrower=member, principal=bad, **kwargs)
    with pytest.raises(FundsError):
        services.loan_request(
            fund=fund, borrower=member, principal=1000, **{**kwargs, "term_months": 37}
        )
    assert Loan.objects.count() == 1


def test_disbursement_refused_when_the_fund_was_spent(cast):
    loan = make_loan(cast.club_a, principal=2_000_000, status=Loan.Status.APPROVED)
    services.entry_record(
        fund=revolving(cast.club_a), date=DAY, amount=500_000, direction="out",
        category="other", by=None,
    )  # fmt: skip
    with pytest.raises(FundsError):
        services.loan_disburse(loan=loan, by=None, on=DAY)
    loan.refresh_from_db()
    assert loan.status == Loan.Status.APPROVED and not loan.installments.exists()


def test_loan_entries_cannot_be_reversed_from_the_cash_book(cast):
    loan = make_loan(cast.club_a)
    with pytest.raises(FundsError):
        services.entry_reverse(entry=loan.entries.get(), by=None)


def test_overdue_par30_and_repayment_rate(cast):
    day = datetime.date(2025, 1, 1)
    late = make_loan(cast.club_a, principal=1_200_000, term=12, rate="0", day=day)
    good = make_loan(cast.club_a, principal=1_200_000, term=12, rate="0", day=day)
    services.loan_repay(loan=good, amount=300_000, on=datetime.date(2025, 4, 1), by=None)
    as_of = datetime.date(2025, 4, 15)
    late = Loan.objects.prefetch_related("installments", "repayments").get(pk=late.pk)
    pos = loan_position(late, as_of)
    assert pos.days_overdue == (as_of - datetime.date(2025, 2, 1)).days
    assert pos.arrears == 300_000 and pos.outstanding == 1_200_000
    book = club_portfolio(club=cast.club_a, as_of=as_of)
    assert book.outstanding == 2_100_000
    assert book.at_risk == 1_200_000
    assert book.par30 == Decimal("57.1")
    assert book.repayment_rate == Decimal("50.0")
    figures = month_figures(cast.club_a, 2025, 4)
    assert figures["repaid_principal"] == 300_000
    assert figures["outstanding_principal"] == 2_100_000
    assert figures["par30"] == Decimal("57.1")
    jan = month_figures(cast.club_a, 2025, 1)
    assert (jan["loans_disbursed_count"], jan["loans_disbursed_amount"]) == (2, 2_400_000)


def test_due_at_next_meeting(cast):
    make_loan(cast.club_a, principal=1_000_000, term=10, rate="0", day=datetime.date(2025, 1, 21))
    meeting, rows = due_at_next_meeting(
        club=cast.club_a, viewer=cast.leader, today=datetime.date(2025, 3, 5)
    )
    assert meeting == datetime.date(2025, 3, 21)
    assert [r["due"] for r in rows] == [200_000]


def test_the_loans_due_list_follows_a_moved_meeting(cast):
    """club_a meets on the 21st; its March meeting is moved. The list names the meeting's new
    day and what will be due by then, and counts days overdue as the loan list does."""
    from month.services import meeting_move
    from tests.factories_month import MeetingFactory

    today = datetime.date(2025, 3, 5)
    loan = make_loan(
        cast.club_a, principal=1_000_000, term=10, rate="0", day=datetime.date(2025, 1, 21)
    )
    march = MeetingFactory(
        club=cast.club_a, date=datetime.date(2025, 3, 21), planned_on=datetime.date(2025, 3, 21)
    )
    meeting, rows = due_at_next_meeting(club=cast.club_a, viewer=cast.leader, today=today)
    assert (meeting, [r["due"] for r in rows]) == (datetime.date(2025, 3, 21), [200_000])
    # Earlier, before the March installment falls due: only February's is due by then.
    meeting_move(
        meeting=march, date=datetime.date(2025, 3, 12), starts_at=None, place="Nhà bà Lò",
        reason="Trùng lịch họp xã", by=cast.leader, today=today,
    )  # fmt: skip
    meeting, rows = due_at_next_meeting(club=cast.club_a, viewer=cast.leader, today=today)
    assert (meeting, [r["due"] for r in rows]) == (datetime.date(2025, 3, 12), [100_000])
    assert rows[0]["position"].days_overdue == loan_position(loan, today).days_overdue == 12
    # Later, past the April installment: three are due by then.
    march.refresh_from_db()
    meeting_move(
        meeting=march, date=datetime.date(2025, 4, 22), starts_at=None, place="",
        reason="Mùa vụ", by=cast.leader, today=today,
    )  # fmt: skip
    meeting, rows = due_at_next_meeting(club=cast.club_a, viewer=cast.leader, today=today)
    assert (meeting, [r["due"] for r in rows]) == (datetime.date(2025, 4, 22), [300_000])
    assert rows[0]["position"].days_overdue == loan_position(loan, today).days_overdue == 12


def test_a_cancelled_meeting_is_not_the_next_one(cast):
    from month.services import meeting_cancel
    from tests.factories_month import MeetingFactory

    today = datetime.date(2025, 3, 5)
    march = MeetingFactory(club=cast.club_a, date=datetime.date(2025, 3, 21))
    MeetingFactory(club=cast.club_a, date=datetime.date(2025, 4, 21))
    meeting_cancel(meeting=march, reason="Mưa lũ", by=cast.leader)
    meeting, _rows = due_at_next_meeting(club=cast.club_a, viewer=cast.leader, today=today)
    assert meeting == datetime.date(2025, 4, 21)


def test_the_loans_due_page_names_the_moved_meeting_and_agrees_with_the_loan_list(cast, login):
    from django.urls import reverse
    from django.utils import timezone

    from month.services import meeting_move
    from tests.factories_month import MeetingFactory

    today = timezone.localdate()
    loan = make_loan(cast.club_a, principal=1_000_000, term=10, rate="0", day=add_months(today, -3))
    ahead = today + datetime.timedelta(days=10)
    planned = MeetingFactory(club=cast.club_a, date=ahead, planned_on=ahead)
    moved_to = today + datetime.timedelta(days=4)
    meeting_move(
        meeting=planned, date=moved_to, starts_at=None, place="", reason="Dời lịch",
        by=cast.leader,
    )  # fmt: skip
    client = login(cast.leader)
    due = client.get(reverse("funds:loans_due", args=[cast.club_a.pk]))
    assert due.context["meeting"] == moved_to
    assert moved_to.strftime("%d/%m/%Y") in due.content.decode()
    listed = client.get(reverse("funds:loan_list", args=[cast.club_a.pk]))
    (row,) = due.context["rows"]
    (position,) = listed.context["rows"]
    assert position.loan == loan == row["loan"]
    assert row["position"].days_overdue == position.days_overdue > 0


def test_member_loans_hidden_from_viewers(cast):
    member = MemberFactory(club=cast.club_a)
    make_loan(cast.club_a, borrower=member)
    assert len(member_loans(member, cast.leader)) == 1
    assert member_loans(member, cast.viewer) == []
    assert member_loans(member, cast.leader2) == []
