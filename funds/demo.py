"""Demo funds: opening balances, dues for recent months, 10–30 loans per club in every state.

Deterministic (``random.Random(club.code)``) and idempotent: a club whose funds already have
entries is skipped. Everything goes through the services, so balances equal their entries.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from clubs.models import Area, Club
from config.months import add_months
from funds import services
from funds.models import Fund, FundsError, LedgerEntry, Loan
from funds.services.loans import available_balance
from members.models import Member

PURPOSES = [
    ("Nuôi lợn", "Một con lợn nái giống"),
    ("Nuôi gà thả vườn", ""),
    ("Trồng rau", ""),
    ("Buôn bán nhỏ", ""),
    ("Nuôi thỏ", ""),
    ("Trồng chè", ""),
    ("Nuôi bò", "Một con bê giống"),
    ("Mua phân bón trồng ngô", ""),
]


def seed(out: TextIO) -> None:
    today = timezone.localdate()
    for club in Club.objects.order_by("pk"):
        services.funds_for_new_club(club)
    made = 0
    for club in Club.objects.order_by("code"):
        if LedgerEntry.objects.filter(fund__club=club).exists():
            continue
        _seed_club(club, random.Random(club.code), today)
        made += 1
    _seed_care_funds(today)
    out.write(f"Funds: demo books for {made} clubs.\n")


def _seed_club(club: Club, rng: random.Random, today: datetime.date) -> None:
    revolving = Fund.objects.get(club=club, kind=Fund.Kind.REVOLVING)
    operating = Fund.objects.get(club=club, kind=Fund.Kind.OPERATING)
    start = today.replace(day=1) - datetime.timedelta(days=400)
    start = start.replace(day=1)
    total = rng.randint(20, 130) * 1_000_000
    services.entry_record(
        fund=revolving, date=start, amount=total * 4 // 5, direction="in",
        category=LedgerEntry.Category.OPENING, by=None, payer="Số dư chuyển sang",
    )  # fmt: skip
    services.entry_record(
        fund=operating, date=start, amount=total - total * 4 // 5, direction="in",
        category=LedgerEntry.Category.OPENING, by=None, payer="Số dư chuyển sang",
    )  # fmt: skip
    if rng.random() < 0.6:
        services.entry_record(
            fund=revolving, date=start + datetime.timedelta(days=40), amount=rng.choice([10, 15, 20]) * 1_000_000,
            direction="in", category=LedgerEntry.Category.GRANT, by=None, payer="Dự án HelpAge",
        )  # fmt: skip
    members = list(Member.objects.filter(club=club, left_on__isnull=True).order_by("pk"))
    if not members:
        return
    _seed_dues(club, members, rng, today)
    _seed_spending(operating, rng, today)
    _seed_loans(club, revolving, members, rng, start, today)


def _meeting_day(club: Club, year: int, month: int, today: datetime.date) -> datetime.date:
    day = datetime.date(year, month, min(club.meeting_day or 15, 28))
    return min(day, today)


def _seed_dues(club: Club, members: list[Member], rng: random.Random, today: datetime.date) -> None:
    fee = rng.choice([10_000, 20_000, 30_000])
    for back in range(5, -1, -1):
        first = add_months(today.replace(day=1), -back)
        on = _meeting_day(club, first.year, first.month, today)
        share = 0.95 if back else 0.7  # this month's meeting: some have not paid yet
        payers = {m: fee for m in members if rng.random() < share}
        if payers:
            services.dues_record(
                club=club, year=first.year, month=first.month, amounts=payers, on=on, by=None
            )


def _seed_spending(fund: Fund, rng: random.Random, today: datetime.date) -> None:
    for back in (4, 2, 1):
        day = add_months(today, -back)
        category = rng.choice([LedgerEntry.Category.ACTIVITY, LedgerEntry.Category.HARDSHIP])
        amount = rng.choice([200_000, 300_000, 500_000])
        fund.refresh_from_db()
        if fund.balance >= amount:
            services.entry_record(
                fund=fund, date=day, amount=amount, direction="out", category=category, by=None,
                note="Thăm hỏi hội viên ốm" if category == LedgerEntry.Category.HARDSHIP else "Văn nghệ, thể thao",
            )  # fmt: skip


def _seed_loans(
    club: Club,
    fund: Fund,
    members: list[Member],
    rng: random.Random,
    start: datetime.date,
    today: datetime.date,
) -> None:
    count = rng.randint(10, 30)
    borrowers = rng.sample(members, min(count, len(members)))
    for i, borrower in enumerate(borrowers):
        purpose, in_kind = rng.choice(PURPOSES)
        principal = rng.choice([3, 5, 5, 7, 10, 10, 15]) * 1_000_000
        term = rng.choice([6, 9, 12, 12, 18])
        # the last few are fresh requests or approvals; the rest were paid out over the year
        pending = i - (len(borrowers) - 3)
        state = ["requested", "approved", "requested"][pending] if pending >= 0 else "disbursed"
        requested = start + datetime.timedelta(days=rng.randint(30, 330))
        fund.refresh_from_db()
        if state != "disbursed":
            requested = today - datetime.timedelta(days=rng.randint(1, 20))
            if available_balance(fund) < principal:
                # The fund is lent out: members put in more capital today, so that the
                # demo always has requests waiting for the board (whatever the day it runs).
                services.entry_record(
                    fund=fund, date=today, amount=principal - available_balance(fund),
                    direction="in", category="donation", by=None,
                    note="Thành viên góp thêm vốn quay vòng",
                )  # fmt: skip
                fund.refresh_from_db()
                requested = today
        try:
            loan = services.loan_request(
                fund=fund, borrower=borrower, principal=principal, purpose=purpose, in_kind=in_kind,
                term_months=term, monthly_rate=Decimal(rng.choice(["0.3", "0.5", "0.6"])),
                method=rng.choice([Loan.Method.EQUAL_PRINCIPAL, Loan.Method.EQUAL_PRINCIPAL, Loan.Method.BULLET]),
                by=None, requested_on=requested,
            )  # fmt: skip
        except FundsError:
            continue  # the fund is lent out: the request waits for money to come back
        if state == "requested":
            continue
        approved = min(requested + datetime.timedelta(days=rng.randint(1, 10)), today)
        services.loan_approve(loan=loan, by=None, on=approved, note="Họp ban chủ nhiệm")
        if state == "approved":
            continue
        disbursed = min(approved + datetime.timedelta(days=rng.randint(0, 7)), today)
        try:
            services.loan_disburse(loan=loan, by=None, on=disbursed)
        except FundsError:
            continue
        _repay_history(loan, rng, today)


def _repay_history(loan: Loan, rng: random.Random, today: datetime.date) -> None:
    """Good payers pay each installment on time; some pay late; a few stop paying."""
    behaviour = rng.random()
    stop_after = rng.randint(0, 2) if behaviour < 0.12 else None  # these become overdue
    for n, inst in enumerate(loan.installments.order_by("seq")):
        if inst.due_on > today or (stop_after is not None and n >= stop_after):
            break
        pay_on = inst.due_on
        if behaviour > 0.85:
            pay_on = min(inst.due_on + datetime.timedelta(days=rng.randint(5, 25)), today)
        services.loan_repay(loan=loan, amount=inst.unpaid, on=pay_on, by=None)
    loan.refresh_from_db()
    if loan.status == Loan.Status.ACTIVE and behaviour > 0.93 and stop_after is None:
        services.loan_payoff(loan=loan, on=today, by=None)


def _seed_care_funds(today: datetime.date) -> None:
    """The Lai Châu care fund and its 2024 plan, and one commune's care fund."""
    from funds.models import FundPlan

    province = Area.objects.filter(level=Area.Level.PROVINCE, code="12").first()
    if province is None or Fund.objects.filter(owner_area=province, kind=Fund.Kind.CARE).exists():
        return
    care = services.fund_create(
        kind=Fund.Kind.CARE,
        name="Quỹ chăm sóc và phát huy vai trò người cao tuổi tỉnh",
        owner_area=province,
    )
    for year, amount in ((2024, 182_000_000), (today.year, 64_000_000)):
        day = min(datetime.date(year, 6, 1), today)
        services.entry_record(
            fund=care, date=day, amount=amount, direction="in",
            category=LedgerEntry.Category.DONATION, by=None, payer="Vận động hội viên, nhà hảo tâm",
        )  # fmt: skip
    FundPlan.objects.get_or_create(
        fund=care,
        year=2024,
        defaults={"target": 250_000_000, "kind": Fund.Kind.CARE, "note": "Kế hoạch 2024"},
    )
    commune = (
        Club.objects.filter(commune__province=province).values_list("commune", flat=True).first()
    )
    if commune:
        services.fund_create(
            kind=Fund.Kind.CARE, name="Quỹ chăm sóc NCT xã", owner_area=Area.objects.get(pk=commune)
        )
