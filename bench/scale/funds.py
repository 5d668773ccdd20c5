"""The money: a club's two funds, its loans with their schedules and repayments, the ledger
entries behind all of it (vouchers numbered as ``funds.services.ledger.post`` does), and the
care funds of the associations."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bench.scale.common import Context
from bench.scale.members import Club, Person
from bench.scale.words import LOAN_PURPOSES

REVOLVING = ("revolving", "Quỹ quay vòng vốn")
OPERATING = ("operating", "Quỹ hoạt động")


@dataclass
class Entry:
    """A ledger entry being simulated; its id and voucher are given once the fund is sorted."""

    fund: int
    date: datetime.date
    amount: int
    direction: str
    category: str
    member: int | None = None
    payer: str = ""
    note: str = ""
    loan: int | None = None
    id: int = 0
    # (member, year, month) of the dues this entry receives.
    contribution: tuple[int, int, int] | None = None
    # The repayment this entry belongs to (written once the entries have ids).
    repayment: tuple[Any, ...] | None = None


@dataclass
class ClubFunds:
    revolving: int
    operating: int
    # The day the operating fund opens with its first balance and the revolving fund gets
    # its capital.
    opening_day: datetime.date
    opening_balance: int
    # What a member pays at a meeting.
    dues_amount: int
    entries: list[Entry] = field(default_factory=list)

    def names(self) -> dict[int, tuple[str, str]]:
        """Fund id -> (name, kind), as the monthly report lists them."""
        return {
            self.revolving: (REVOLVING[1], REVOLVING[0]),
            self.operating: (OPERATING[1], OPERATING[0]),
        }


def open_club_funds(ctx: Context, club: Club) -> ClubFunds:
    """The revolving (loan) fund and the operating fund, with the operating fund's opening
    balance."""
    rng, t = ctx.rng, ctx.t
    revolving, operating = t["fund"].new_id(), t["fund"].new_id()
    t["fund"].add(revolving, club.id, None, *REVOLVING)
    t["fund"].add(operating, club.id, None, *OPERATING)
    opening_day = max(club.founded, ctx.window_start - datetime.timedelta(days=365))
    opening_balance = rng.choice([2, 3, 5, 8, 10]) * 1_000_000
    return ClubFunds(
        revolving=revolving,
        operating=operating,
        opening_day=opening_day,
        opening_balance=opening_balance,
        dues_amount=rng.choice([5_000, 10_000, 10_000, 20_000]),
        entries=[Entry(operating, opening_day, opening_balance, "in", "opening")],
    )


def add_loans(
    ctx: Context, funds: ClubFunds, staying: list[Person]
) -> dict[tuple[int, int], dict[str, int]]:
    """Loans of the revolving fund; the fund's capital is granted first and covers them
    all, so its running balance never goes below zero. Returns, by (year, month), what was
    disbursed and repaid."""
    from funds.services.loans import build_schedule

    rng, t, today = ctx.rng, ctx.t, ctx.today
    fund_id, opening_day, entries = funds.revolving, funds.opening_day, funds.entries
    stats: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    borrowers = [p for p in staying if p.household_status in ("poor", "near_poor")] or staying
    k = rng.randint(4, 14)
    capital_entry = Entry(fund_id, opening_day, 0, "in", "grant", payer="Dự án HelpAge")
    entries.append(capital_entry)
    total = 0
    span = max(30, (today - opening_day).days - 10)
    for j in range(k):
        p = rng.choice(borrowers)
        loan_id = t["loan"].new_id()
        principal = rng.choice([3, 5, 5, 7, 8, 10, 10, 12, 15, 20]) * 1_000_000
        term = rng.choice([6, 6, 9, 12, 12, 12])
        rate = rng.choice(["0.300", "0.500", "0.500", "0.600", "0.800", "1.000"])
        method = "bullet" if rng.random() < 0.15 else "equal_principal"
        purpose, in_kind = rng.choice(LOAN_PURPOSES)
        if j >= k - 2 and rng.random() < 0.6:  # waiting for the board, or refused
            requested = today - datetime.timedelta(days=rng.randint(1, 40))
            state = rng.choice(["requested", "approved", "rejected"])
            t["loan"].add(
                loan_id, fund_id, p.id, principal, in_kind, purpose, rate, term, method,
                state, requested,
                requested + datetime.timedelta(days=2) if state != "requested" else None,
                "Ban chủ nhiệm đã họp xét" if state != "requested" else "",
                None, None,
            )  # fmt: skip
            continue
        disbursed = opening_day + datetime.timedelta(days=rng.randint(15, span))
        total += principal
        schedule = build_schedule(
            principal=principal,
            monthly_rate=Decimal(rate),
            term_months=term,
            method=method,
            start=disbursed,
        )
        entries.append(
            Entry(
                fund_id,
                disbursed,
                principal,
                "out",
                "loan_disbursement",
                p.id,
                p.name,
                in_kind or purpose,
                loan_id,
            )
        )
        stats[(disbursed.year, disbursed.month)]["disbursed"] += 1
        stats[(disbursed.year, disbursed.month)]["disbursed_amount"] += principal
        all_paid, closed = True, None
        behaviour = rng.random()  # most pay on time, a few late, a few stop paying
        for row in schedule:
            inst_id = t["installment"].new_id()
            paid_p = paid_i = 0
            pay_day = None
            if row["due_on"] <= today:
                if behaviour < 0.8:
                    pay_day = row["due_on"] - datetime.timedelta(days=rng.randint(0, 3))
                elif behaviour < 0.93:
                    pay_day = row["due_on"] + datetime.timedelta(days=rng.randint(5, 45))
                if pay_day is not None and pay_day > today:
                    pay_day = None
                if pay_day is not None and pay_day < disbursed:
                    pay_day = disbursed
            if pay_day is not None:
                paid_p, paid_i = row["principal"], row["interest"]
                repayment = t["repayment"].new_id()
                interest_entry = principal_entry = None
                if paid_i:
                    interest_entry = Entry(
                        fund_id, pay_day, paid_i, "in", "loan_interest", p.id, p.name, "", loan_id
                    )
                    entries.append(interest_entry)
                if paid_p:
                    principal_entry = Entry(
                        fund_id, pay_day, paid_p, "in", "loan_principal", p.id, p.name, "",
                        loan_id,
                    )  # fmt: skip
                    entries.append(principal_entry)
                # Written once the entries have ids (see write_ledger).
                carrier = principal_entry or interest_entry
                assert carrier is not None  # every installment has a part
                carrier.repayment = (
                    repayment, loan_id, pay_day, paid_p, paid_i, principal_entry,
                    interest_entry,
                )  # fmt: skip
                stats[(pay_day.year, pay_day.month)]["repaid_principal"] += paid_p
                stats[(pay_day.year, pay_day.month)]["repaid_interest"] += paid_i
                closed = max(closed or pay_day, pay_day)
            else:
                all_paid = False
            t["installment"].add(
                inst_id,
                loan_id,
                row["seq"],
                row["due_on"],
                row["principal"],
                row["interest"],
                paid_p,
                paid_i,
            )
        approved = disbursed - datetime.timedelta(days=rng.randint(1, 7))
        t["loan"].add(
            loan_id, fund_id, p.id, principal, in_kind, purpose, rate, term, method,
            "repaid" if all_paid else "active",
            approved - datetime.timedelta(days=rng.randint(1, 14)),
            approved, "Ban chủ nhiệm đã họp xét", disbursed, closed if all_paid else None,
        )  # fmt: skip
    capital_entry.amount = total + rng.choice([5, 10, 20]) * 1_000_000
    return stats


def write_ledger(ctx: Context, club_id: int, entries: list[Entry]) -> None:
    """Give the club's entries ids and vouchers in date order, then write them and the
    dues and repayments that point at them."""
    t = ctx.t
    entries.sort(key=lambda e: (e.fund, e.date, e.direction != "in"))
    seqs: dict[tuple[int, str, int], int] = defaultdict(int)
    balance: dict[int, int] = defaultdict(int)
    for e in entries:
        e.id = t["entry"].new_id()
        key = (e.fund, e.direction, e.date.year)
        seqs[key] += 1
        balance[e.fund] += e.amount if e.direction == "in" else -e.amount
        if balance[e.fund] < 0:  # the simulation must never allow this
            raise AssertionError(f"fund {e.fund} would go below zero on {e.date}")
        t["entry"].add(
            e.id,
            e.fund,
            e.date,
            e.amount,
            e.direction,
            e.category,
            e.date.year,
            seqs[key],
            _voucher(e.direction, e.date.year, seqs[key]),
            e.member,
            e.payer[:200],
            e.note[:300],
            e.loan,
        )
    for e in entries:
        if e.contribution:
            member, year, month = e.contribution
            t["contribution"].add(
                t["contribution"].new_id(), member, club_id, year, month, e.amount, e.id
            )
        if e.repayment:
            rid, loan_id, day, paid_p, paid_i, p_entry, i_entry = e.repayment
            t["repayment"].add(
                rid,
                loan_id,
                day,
                paid_p + paid_i,
                paid_p,
                paid_i,
                p_entry.id if p_entry else None,
                i_entry.id if i_entry else None,
            )


def add_area_funds(ctx: Context, communes: list[tuple[int, int, str]]) -> None:
    """The care fund of every province and of the communes that have clubs."""
    rng, t = ctx.rng, ctx.t
    used = set(ctx.board_people)
    provinces = sorted({c[1] for c in communes})
    owners = [(p, "Quỹ chăm sóc và phát huy vai trò NCT tỉnh") for p in provinces]
    owners += [(c, "Quỹ chăm sóc và phát huy vai trò NCT xã") for c in sorted(used)]
    for area_id, name in owners:
        fund_id = t["fund"].new_id()
        t["fund"].add(fund_id, None, area_id, "care", name)
        seq: dict[tuple[str, int], int] = defaultdict(int)
        balance = 0
        for year, month in ctx.yms:
            day = min(datetime.date(year, month, 15), ctx.today)
            for direction, category, amount, payer in (
                ("in", "donation", rng.choice([2, 5, 10]) * 1_000_000, "Doanh nghiệp địa phương"),
                ("out", "hardship", rng.choice([1, 2, 3]) * 1_000_000, "Hỗ trợ NCT khó khăn"),
            ):  # fmt: skip
                if direction == "out" and amount > balance:
                    continue
                balance += amount if direction == "in" else -amount
                key = (direction, year)
                seq[key] += 1
                t["entry"].add(
                    t["entry"].new_id(), fund_id, day, amount, direction, category, year,
                    seq[key], _voucher(direction, year, seq[key]), None, payer, "", None,
                )  # fmt: skip


def _voucher(direction: str, year: int, seq: int) -> str:
    """``PT-2026-0001`` for a receipt, ``PC-…`` for a payment."""
    prefix = "PT" if direction == "in" else "PC"
    return f"{prefix}-{year}-{seq:04d}"
