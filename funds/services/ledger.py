"""The ledger: posting entries, reversals, transfers, funds and plans."""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.templatetags.ishc import thousands
from funds.models import (
    Contribution,
    Fund,
    FundPlan,
    FundsError,
    LedgerEntry,
    Loan,
    constraint_error,
    constraint_fields,
)
from funds.services.owners import is_supervisor
from month.locking import assert_month_open

if TYPE_CHECKING:
    from accounts.models import User
    from clubs.models import Area, Club
    from members.models import Member

# Larger than any real club or association fund; refuses typing mistakes and overflow.
MAX_AMOUNT = 10**12

Cat = LedgerEntry.Category
Dir = LedgerEntry.Direction

# Which way each category may go when a user records an entry by hand.
CATEGORY_DIRECTIONS: dict[str, set[str]] = {
    Cat.OPENING: {Dir.IN},
    Cat.DONATION: {Dir.IN},
    Cat.GRANT: {Dir.IN},
    Cat.GOVERNMENT: {Dir.IN},
    Cat.HARDSHIP: {Dir.OUT},
    Cat.ACTIVITY: {Dir.OUT},
    Cat.OTHER: {Dir.IN, Dir.OUT},
}


P = ParamSpec("P")
R = TypeVar("R")


def atomic_write(func: Callable[P, R]) -> Callable[P, R]:
    """``transaction.atomic`` for a service, and a write the database refuses (a constraint
    reached past the checks, as a race can) answered with that constraint's message beside
    its field (``FundsError``), never a server error or Django's English."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except IntegrityError as exc:
            refusal = constraint_error(exc)
            if refusal is None:
                raise
            raise refusal from exc

    return wrapper


def today() -> datetime.date:
    return timezone.localdate()


def check_amount(amount: Any, field: str = "amount") -> int:
    """A whole, positive number of VND not above ``MAX_AMOUNT``."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise FundsError({field: _("Enter a whole number of dong.")})
    if amount <= 0:
        raise FundsError({field: _("The amount must be greater than zero.")})
    if amount > MAX_AMOUNT:
        raise FundsError({field: _("The amount is too large.")})
    return amount


def _check_date(day: datetime.date, club: Club | None) -> None:
    if day > today():
        raise FundsError({"date": _("The date cannot be in the future.")})
    # Entries dated in a month whose report was approved are refused (``MonthLocked``).
    assert_month_open(club, day, field="date")


def reserved(fund: Fund) -> int:
    """Principal of the fund's loans approved but not yet paid out: money already promised."""
    promised = Loan.objects.filter(fund=fund, status=Loan.Status.APPROVED)
    return promised.aggregate(s=Sum("principal"))["s"] or 0


def check_balance(fund: Fund, signed: int) -> None:
    """Refuse a movement that would take the fund below zero (the database refuses it too:
    ``fund_balance_not_negative``)."""
    if fund.balance + signed < 0:
        raise FundsError(
            {
                "amount": _("Not enough money in %(fund)s: the balance is %(balance)s ₫.")
                % {"fund": fund.name, "balance": thousands(fund.balance)}
            }
        )


def next_voucher(fund: Fund, direction: str, year: int) -> tuple[int, str]:
    """The next voucher of the fund for the year and direction: (sequence, number). Taken
    under the fund's row lock, so two entries never get the same one."""
    last = (
        LedgerEntry.objects.filter(fund=fund, direction=direction, voucher_year=year).aggregate(
            m=Max("voucher_seq")
        )["m"]
        or 0
    )
    seq = last + 1
    prefix = "PT" if direction == Dir.IN else "PC"
    return seq, f"{prefix}-{year}-{seq:04d}"


def lock_fund(fund_id: int) -> Fund:
    # Row lock on the fund: two treasurers (or two repayments) posting at once must queue, so
    # that each sees the other's entry in the balance check and in the next voucher number.
    return Fund.objects.select_for_update().get(pk=fund_id)


def post(
    *,
    fund: Fund,
    date: datetime.date,
    amount: int,
    direction: str,
    category: str,
    by: User | None,
    member: Member | None = None,
    payer: str = "",
    note: str = "",
    reverses: LedgerEntry | None = None,
    transfer_group: uuid.UUID | None = None,
    loan: Any = None,
) -> LedgerEntry:
    """Append one entry to a fund that the caller has locked with ``lock_fund``."""
    check_amount(amount)
    signed = amount if direction == Dir.IN else -amount
    check_balance(fund, signed)
    year = date.year
    seq, number = next_voucher(fund, direction, year)
    entry = LedgerEntry(
        fund=fund,
        date=date,
        amount=amount,
        direction=direction,
        category=category,
        voucher_year=year,
        voucher_seq=seq,
        voucher_number=number,
        member=member,
        payer=payer[:200],
        note=note[:300],
        reverses=reverses,
        transfer_group=transfer_group,
        loan=loan,
        created_by=by if getattr(by, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        # A constraint of the entry's own, or else the one-to-one ``reverses``: a second
        # reversal of the same entry that lost the race.
        raise constraint_error(exc) or FundsError(
            _("This entry has already been reversed.")
        ) from exc
    fund.balance += signed
    fund.save(update_fields=["balance"])
    return entry


@atomic_write
def entry_record(
    *,
    fund: Fund,
    date: datetime.date,
    amount: int,
    direction: str,
    category: str,
    by: User | None,
    member: Member | None = None,
    payer: str = "",
    note: str = "",
) -> LedgerEntry:
    """Record an income or expense typed in by a treasurer."""
    check_amount(amount)
    allowed = CATEGORY_DIRECTIONS.get(category)
    if allowed is None:
        raise FundsError({"category": _("This category is recorded from its own page.")})
    if direction not in allowed:
        raise FundsError({"category": _("This category does not fit an entry of this direction.")})
    if member is not None and member.club_id != fund.club_id:
        raise FundsError({"member": _("The member is not in this fund's club.")})
    _check_date(date, fund.club)
    locked = lock_fund(fund.pk)
    entry = post(
        fund=locked,
        date=date,
        amount=amount,
        direction=direction,
        category=category,
        by=by,
        member=member,
        payer=payer,
        note=note,
    )
    fund.balance = locked.balance
    return entry


def entry_reverse_legs(entry: LedgerEntry, by: User | None = None) -> list[LedgerEntry]:
    """The entries reversing ``entry`` cancels (both legs of a transfer), or the refusal:
    a reversal, a loan's entry, an entry already reversed, a transfer reversed by someone
    who could not have approved it. Writes nothing."""
    if entry.reverses_id:
        raise FundsError(_("A reversing entry cannot itself be reversed."))
    if entry.loan_id:
        raise FundsError(
            _("Loan disbursements and repayments cannot be reversed from the cash book.")
        )
    legs = [entry]
    if entry.transfer_group:
        legs = list(
            LedgerEntry.objects.filter(transfer_group=entry.transfer_group)
            .select_related("fund")
            .order_by("pk")
        )
    if LedgerEntry.objects.filter(reverses__in=legs).exists():
        raise FundsError(_("This entry has already been reversed."))
    moved_out = [leg for leg in legs if leg.transfer_group and leg.direction == Dir.OUT]
    if by is not None and moved_out and not is_supervisor(by, moved_out[0].fund):
        # Undoing a transfer moves money between two owners again: it is the approver's act.
        raise FundsError(
            _("A transfer is reversed by the association that approves transfers out of %(fund)s.")
            % {"fund": moved_out[0].fund.name}
        )
    return legs


@atomic_write
def entry_reverse(
    *, entry: LedgerEntry, by: User | None, note: str = "", date: datetime.date | None = None
) -> list[LedgerEntry]:
    """Cancel an entry with an opposite one linked to it (both legs for a transfer)."""
    date = date or today()
    legs = entry_reverse_legs(entry, by=by)
    fund_ids = sorted({leg.fund_id for leg in legs})
    # Lock every fund involved, always in the same (pk) order so two transfers never deadlock.
    locked = {
        f.pk: f for f in Fund.objects.select_for_update().filter(pk__in=fund_ids).order_by("pk")
    }
    for leg in legs:
        _check_date(date, locked[leg.fund_id].club)
    if LedgerEntry.objects.filter(reverses__in=legs).exists():
        raise FundsError(_("This entry has already been reversed."))
    group = uuid.uuid4() if entry.transfer_group else None
    # Post inflows first so reversing a transfer never trips the balance check in between.
    reversals = []
    for leg in sorted(legs, key=lambda e: e.direction == Dir.IN):
        reversals.append(
            post(
                fund=locked[leg.fund_id],
                date=date,
                amount=leg.amount,
                direction=Dir.IN if leg.direction == Dir.OUT else Dir.OUT,
                category=leg.category,
                by=by,
                member=leg.member,
                payer=leg.payer,
                note=note or _("Reversal of %(voucher)s") % {"voucher": leg.voucher_number},
                reverses=leg,
                transfer_group=group,
            )
        )
    # Dues paid by mistake: the month shows as unpaid again.
    Contribution.objects.filter(entry__in=legs).delete()
    return reversals


@atomic_write
def fund_transfer(
    *,
    source: Fund,
    target: Fund,
    amount: int,
    date: datetime.date,
    by: User | None,
    note: str = "",
    group: uuid.UUID | None = None,
) -> tuple[LedgerEntry, LedgerEntry]:
    """Move money between two funds: both legs or neither. The ledger's own step: the app
    moves money only through an approved ``TransferRequest`` (``transfer_approve``).

    Never takes money promised to approved loans not yet paid out: the amount must fit in
    the source's balance less those loans (checked under the funds' row locks)."""
    check_amount(amount)
    if source.pk == target.pk:
        raise FundsError({"target": _("Choose a different fund to transfer to.")})
    _check_date(date, source.club)
    _check_date(date, target.club)
    # Same lock order as entry_reverse (by pk) to avoid deadlocks between opposite transfers.
    locked = {
        f.pk: f
        for f in Fund.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    promised = reserved(locked[source.pk])
    if promised and amount > locked[source.pk].balance - promised:
        raise FundsError(
            {
                "amount": _(
                    "Only %(available)s ₫ of %(fund)s can be moved: %(promised)s ₫ of its "
                    "balance is promised to approved loans not yet paid out."
                )
                % {
                    "available": thousands(max(locked[source.pk].balance - promised, 0)),
                    "fund": source.name,
                    "promised": thousands(promised),
                }
            }
        )
    group = group or uuid.uuid4()
    out = post(
        fund=locked[source.pk],
        date=date,
        amount=amount,
        direction=Dir.OUT,
        category=Cat.TRANSFER,
        by=by,
        payer=target.name,
        note=note,
        transfer_group=group,
    )
    into = post(
        fund=locked[target.pk],
        date=date,
        amount=amount,
        direction=Dir.IN,
        category=Cat.TRANSFER,
        by=by,
        payer=source.name,
        note=note,
        transfer_group=group,
    )
    return out, into


@atomic_write
def fund_create(
    *, kind: str, name: str, club: Club | None = None, owner_area: Area | None = None
) -> Fund:
    fund = Fund(kind=kind, name=name, club=club, owner_area=owner_area)
    try:
        fund.full_clean()
    except ValidationError as exc:
        raise constraint_fields(exc) from exc
    fund.save()
    return fund


def funds_for_new_club(club: Club) -> list[Fund]:
    """The two funds every club keeps (Decision 1336): income-generation and operating."""
    made = []
    for kind, name in (
        (Fund.Kind.REVOLVING, "Quỹ tăng thu nhập (quay vòng)"),
        (Fund.Kind.OPERATING, "Quỹ hoạt động"),
    ):
        fund, created = Fund.objects.get_or_create(club=club, kind=kind, defaults={"name": name})
        if created:
            made.append(fund)
    return made


@atomic_write
def plan_create(
    *,
    year: int,
    target: int,
    by: User | None,
    fund: Fund | None = None,
    area: Area | None = None,
    kind: str = Fund.Kind.CARE,
    note: str = "",
) -> FundPlan:
    check_amount(target, "target")
    if (fund is None) == (area is None):
        raise FundsError({"fund": _("Choose either a fund or an area.")})
    plan = FundPlan(
        fund=fund,
        area=area,
        kind=fund.kind if fund else kind,
        year=year,
        target=target,
        note=note,
        created_by=by,
    )
    try:
        plan.full_clean()
    except ValidationError as exc:
        raise constraint_fields(exc) from exc
    plan.save()
    return plan


def ledger_names_replace(*, member: Member, name: str) -> int:
    """Write ``name`` instead of the person's name on the entries of one member (dues, loan
    payments and receipts, anything linked to them): anonymisation. Returns the entries changed.

    Amounts, dates, categories, vouchers and links stay, so every balance and figure is the
    same. This is the one change an entry accepts after it is written: it goes around the
    append-only ``LedgerEntryQuerySet.update`` on purpose, and only for the name.
    """
    entries = LedgerEntry.objects.filter(Q(member=member) | Q(loan__borrower=member))
    with transaction.atomic():
        return QuerySet.update(entries.exclude(payer=name), payer=name)
