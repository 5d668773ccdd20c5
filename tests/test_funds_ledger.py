"""The ledger: vouchers, balances, reversals, transfers, immutability, month lock."""

import datetime

import pytest
from django.db import connection

from funds import services
from funds.models import Fund, FundsError, LedgerEntry
from funds.selectors import fund_balance_sum, month_figures
from tests.factories import ClubFactory, MemberFactory
from tests.factories_funds import DAY, deposit, operating, revolving, withdraw

pytestmark = pytest.mark.django_db

IN, OUT = LedgerEntry.Direction.IN, LedgerEntry.Direction.OUT


def test_a_new_club_gets_its_two_funds():
    club = ClubFactory()
    kinds = set(Fund.objects.filter(club=club).values_list("kind", flat=True))
    assert kinds == {Fund.Kind.REVOLVING, Fund.Kind.OPERATING}


def test_fund_needs_exactly_one_owner(cast):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.create(
            kind=Fund.Kind.CARE, name="x", club=cast.club_a, owner_area=cast.commune_a1
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.create(kind=Fund.Kind.CARE, name="x")


def test_voucher_numbers_per_fund_year_and_direction(cast):
    fund = operating(cast.club_a)
    a = deposit(fund, 100_000)
    b = deposit(fund, 200_000)
    c = withdraw(fund, 50_000)
    d = (
        deposit(fund, 1_000, day=datetime.date(2026, 1, 2))
        if datetime.date.today() >= datetime.date(2026, 1, 2)
        else None
    )
    other = deposit(operating(cast.club_b), 5_000)
    assert [a.voucher_number, b.voucher_number, c.voucher_number] == [
        "PT-2025-0001",
        "PT-2025-0002",
        "PC-2025-0001",
    ]
    if d:
        assert d.voucher_number == "PT-2026-0001"
    assert other.voucher_number == "PT-2025-0001"


def test_balance_is_the_sum_and_an_overdraft_is_refused(cast):
    fund = operating(cast.club_a)
    deposit(fund, 300_000)
    withdraw(fund, 100_000)
    with pytest.raises(FundsError) as err:
        withdraw(fund, 200_001)
    assert "amount" in err.value.message_dict
    fund.refresh_from_db()
    assert fund.balance == fund_balance_sum(fund) == 200_000
    assert LedgerEntry.objects.filter(fund=fund).count() == 2


@pytest.mark.parametrize("amount", [0, -5, 10**12 + 1, 1.5, "100", True])
def test_bad_amounts_are_refused(cast, amount):
    fund = operating(cast.club_a)
    with pytest.raises(FundsError):
        deposit(fund, amount)
    assert not LedgerEntry.objects.exists()


def test_future_date_and_wrong_category_direction_refused(cast):
    fund = operating(cast.club_a)
    with pytest.raises(FundsError):
        deposit(fund, 1000, day=datetime.date.today() + datetime.timedelta(days=1))
    with pytest.raises(FundsError):
        services.entry_record(
            fund=fund, date=DAY, amount=1000, direction=OUT,
            category=LedgerEntry.Category.DONATION, by=None,
        )  # fmt: skip
    with pytest.raises(FundsError):
        services.entry_record(
            fund=fund, date=DAY, amount=1000, direction=IN,
            category=LedgerEntry.Category.LOAN_INTEREST, by=None,
        )  # fmt: skip


def test_member_of_another_club_refused(cast):
    with pytest.raises(FundsError) as err:
        services.entry_record(
            fund=operating(cast.club_a), date=DAY, amount=1000, direction=IN,
            category=LedgerEntry.Category.DONATION, by=None, member=MemberFactory(club=cast.club_b),
        )  # fmt: skip
    assert "member" in err.value.message_dict


def test_reversal_once_and_never_of_a_reversal(cast):
    fund = operating(cast.club_a)
    entry = deposit(fund, 500_000)
    (rev,) = services.entry_reverse(entry=entry, by=cast.leader, note="Ghi nhầm")
    assert rev.reverses == entry and rev.direction == OUT and rev.amount == 500_000
    assert rev.voucher_number.startswith("PC-")
    fund.refresh_from_db()
    assert fund.balance == 0 == fund_balance_sum(fund)
    with pytest.raises(FundsError):
        services.entry_reverse(entry=entry, by=cast.leader)
    with pytest.raises(FundsError):
        services.entry_reverse(entry=rev, by=cast.leader)
    assert LedgerEntry.objects.count() == 2


def test_reversing_an_income_already_spent_is_refused(cast):
    fund = operating(cast.club_a)
    entry = deposit(fund, 500_000)
    withdraw(fund, 400_000)
    with pytest.raises(FundsError):
        services.entry_reverse(entry=entry, by=cast.leader)


def test_transfer_is_atomic_and_reversible_as_a_whole(cast):
    src, dst = operating(cast.club_a), revolving(cast.club_a)
    deposit(src, 1_000_000)
    out, into = services.fund_transfer(source=src, target=dst, amount=400_000, date=DAY, by=None)
    assert out.transfer_group == into.transfer_group
    src.refresh_from_db()
    dst.refresh_from_db()
    assert (src.balance, dst.balance) == (600_000, 400_000)
    with pytest.raises(FundsError):
        services.fund_transfer(source=src, target=dst, amount=600_001, date=DAY, by=None)
    src.refresh_from_db()
    dst.refresh_from_db()
    assert (src.balance, dst.balance) == (600_000, 400_000)
    assert LedgerEntry.objects.count() == 3
    services.entry_reverse(entry=into, by=None)
    src.refresh_from_db()
    dst.refresh_from_db()
    assert (src.balance, dst.balance) == (1_000_000, 0)
    assert fund_balance_sum(src) == 1_000_000 and fund_balance_sum(dst) == 0


def test_transfer_to_itself_refused(cast):
    src = operating(cast.club_a)
    deposit(src, 1_000)
    with pytest.raises(FundsError):
        services.fund_transfer(source=src, target=src, amount=10, date=DAY, by=None)


def test_entries_are_immutable_through_every_path(cast):
    entry = deposit(operating(cast.club_a), 1_000)
    entry.amount = 2_000
    with pytest.raises(FundsError):
        entry.save()
    with pytest.raises(FundsError):
        entry.delete()
    with pytest.raises(FundsError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=5)
    with pytest.raises(FundsError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(FundsError):
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == 1_000


def test_locked_month_refuses_writes(cast, monkeypatch):
    from month import locking

    monkeypatch.setattr(locking, "is_month_locked", lambda club, day: day.month == 1)
    with pytest.raises(locking.MonthLocked) as err:
        deposit(operating(cast.club_a), 1_000, day=datetime.date(2025, 1, 5))
    assert "date" in err.value.message_dict
    deposit(operating(cast.club_a), 1_000, day=datetime.date(2025, 2, 5))


def test_dues_once_a_month_and_unpaid_list(cast):
    from funds.selectors import dues_grid, unpaid_members

    a, b = MemberFactory(club=cast.club_a), MemberFactory(club=cast.club_a)
    services.dues_record(club=cast.club_a, year=2025, month=1, amounts={a: 20_000}, on=DAY, by=None)
    with pytest.raises(FundsError):
        services.dues_record(
            club=cast.club_a, year=2025, month=1, amounts={a: 20_000, b: 20_000}, on=DAY, by=None
        )
    assert list(unpaid_members(club=cast.club_a, year=2025, month=1)) == [b]
    grid = dues_grid(club=cast.club_a, year=2025, members=[a, b])
    assert grid[0]["months"][0] == 20_000 and grid[1]["months"][0] is None
    assert operating(cast.club_a).balance == 20_000


def test_month_figures(cast):
    fund = operating(cast.club_a)
    deposit(fund, 700_000, day=datetime.date(2025, 1, 3))
    withdraw(fund, 200_000, day=datetime.date(2025, 1, 20))
    deposit(fund, 50_000, day=datetime.date(2025, 2, 1))
    figures = month_figures(cast.club_a, 2025, 1)
    row = next(f for f in figures["funds"] if f["fund_id"] == fund.pk)
    assert (row["income"], row["expense"], row["closing_balance"]) == (700_000, 200_000, 500_000)
    assert figures["loans_disbursed_count"] == 0 and figures["par30"] is None


def test_no_raw_sql_path_left_for_update(cast):
    # The cached balance column equals the SQL sum for every fund after a mix of operations.
    deposit(operating(cast.club_a), 10)
    for fund in Fund.objects.all():
        assert fund.balance == fund_balance_sum(fund)
    assert connection.vendor in {"sqlite", "postgresql"}
