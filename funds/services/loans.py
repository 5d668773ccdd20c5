"""Loans from a club's revolving fund: request, approval, disbursement, schedule, repayment."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.templatetags.ishc import thousands
from config.months import add_months
from funds.models import (
    Fund,
    FundsError,
    Installment,
    LedgerEntry,
    Loan,
    Repayment,
    constraint_fields,
)
from funds.notices import loan_requested_notify
from funds.services.ledger import (
    _check_date,
    atomic_write,
    check_amount,
    lock_fund,
    post,
    reserved,
    today,
)

if TYPE_CHECKING:
    from members.models import Member

Cat = LedgerEntry.Category
Dir = LedgerEntry.Direction


class ScheduleRow(TypedDict):
    seq: int
    due_on: datetime.date
    principal: int
    interest: int


def month_interest(outstanding: int, monthly_rate: Decimal) -> int:
    """Interest for one month on ``outstanding``, rounded half-up to a whole dong."""
    value = Decimal(outstanding) * Decimal(monthly_rate) / Decimal(100)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def build_schedule(
    *, principal: int, monthly_rate: Decimal, term_months: int, method: str, start: datetime.date
) -> list[ScheduleRow]:
    """The repayment schedule; principal parts sum exactly to ``principal``.

    Equal principal: ``principal // term`` a month, the last month takes the remainder;
    interest each month on the principal still outstanding. Bullet: interest on the whole
    principal every month, principal in the last month.
    """
    if not 1 <= term_months <= 36:
        raise FundsError({"term_months": _("The term must be between 1 and 36 months.")})
    rows: list[ScheduleRow] = []
    outstanding = principal
    base = principal // term_months
    for seq in range(1, term_months + 1):
        last = seq == term_months
        if method == Loan.Method.BULLET:
            part = principal if last else 0
        else:
            part = outstanding if last else base
        rows.append(
            {
                "seq": seq,
                "due_on": add_months(start, seq),
                "principal": part,
                "interest": month_interest(outstanding, monthly_rate),
            }
        )
        outstanding -= part
    return rows


def available_balance(fund: Fund, exclude: Loan | None = None) -> int:
    """Balance minus loans approved but not yet paid out (money already promised)."""
    if exclude is None:
        return fund.balance - reserved(fund)
    committed = Loan.objects.filter(fund=fund, status=Loan.Status.APPROVED).exclude(pk=exclude.pk)
    return fund.balance - (committed.aggregate(s=Sum("principal"))["s"] or 0)


def _check_limits(*, fund: Fund, principal: int, loan: Loan | None = None) -> None:
    check_amount(principal, "principal")
    limit = settings.ISHC_MAX_LOAN_VND
    if principal > limit:
        raise FundsError(
            {"principal": _("A loan cannot be more than %(max)s ₫.") % {"max": thousands(limit)}}
        )
    available = available_balance(fund, exclude=loan)
    if principal > available:
        raise FundsError(
            {
                "principal": _("The fund has only %(available)s ₫ available to lend.")
                % {"available": thousands(max(available, 0))}
            }
        )


@atomic_write
def loan_request(
    *,
    fund: Fund,
    borrower: Member,
    principal: int,
    purpose: str,
    term_months: int,
    monthly_rate: Decimal,
    method: str,
    by: User | None,
    in_kind: str = "",
    requested_on: datetime.date | None = None,
) -> Loan:
    """A member asks the board for a loan from the club's revolving fund."""
    if fund.club_id is None or fund.club_id != borrower.club_id:
        raise FundsError({"fund": _("The fund must belong to the borrower's club.")})
    if fund.kind != Fund.Kind.REVOLVING:
        raise FundsError({"fund": _("Loans are made from the revolving fund.")})
    if borrower.left_on is not None:
        raise FundsError({"borrower": _("This person has left the club.")})
    _check_limits(fund=fund, principal=principal)
    loan = Loan(
        fund=fund,
        borrower=borrower,
        principal=principal,
        purpose=purpose,
        in_kind=in_kind,
        term_months=term_months,
        monthly_rate=monthly_rate,
        method=method,
        requested_on=requested_on or today(),
        created_by=by,
    )
    try:
        loan.full_clean()
    except ValidationError as exc:
        raise constraint_fields(exc) from exc
    loan.save()
    # The board decides: the club's other leaders are told (the bell, their SMS or e-mail).
    loan_requested_notify(loan=loan, by=by)
    return loan


TERMS = Loan.TERMS


def is_board_member(user: User | None, loan: Loan) -> bool:
    """A board member of the loan's club: an active club-leader account of that club."""
    return (
        user is not None
        and user.is_active
        and user.role == Role.CLUB_LEADER
        and loan.fund.club_id is not None
        and user.club_id == loan.fund.club_id
    )


@atomic_write
def loan_terms_correct(*, loan: Loan, by: User, reason: str = "", **terms: Any) -> Loan:
    """A board member corrects a requested loan's terms (a rate typed ten times too high, a
    wrong amount) before the board decides; once decided they stay as decided. The old
    values stay in the loan's history, with a line saying what changed."""
    unknown = set(terms) - set(TERMS)
    if unknown:
        raise TypeError(f"Not a loan term: {', '.join(sorted(unknown))}")
    locked = _lock_loan(loan)
    if not is_board_member(by, locked):
        raise FundsError(_("Only a board member of the club can correct a loan's terms."))
    if locked.status != Loan.Status.REQUESTED:
        raise FundsError(
            _("The board has decided on this loan: its terms can no longer be corrected.")
        )
    changed = []
    for name, value in terms.items():
        if value != getattr(locked, name):
            changed.append(str(getattr(Loan._meta.get_field(name), "verbose_name", name)))
            setattr(locked, name, value)
    if not changed:
        raise FundsError(_("Nothing was changed."))
    if locked.requested_on > today():
        raise FundsError({"requested_on": _("The date cannot be in the future.")})
    _check_limits(fund=locked.fund, principal=locked.principal, loan=locked)
    try:
        locked.full_clean()
    except ValidationError as exc:
        raise constraint_fields(exc) from exc
    # The history row keeps every old value (``selectors.loan_term_changes`` shows them); its
    # reason names what changed.
    note = _("Terms corrected: %(terms)s") % {"terms": ", ".join(changed)}
    if reason.strip():
        note = f"{note} ({reason.strip()})"
    locked._change_reason = note[:100]
    locked._history_user = by  # who corrected, also when called outside a request
    locked.save()
    for name in terms:
        setattr(loan, name, getattr(locked, name))
    return locked


def _lock_loan(loan: Loan) -> Loan:
    # Row lock on the loan: two repayments (or a repayment and a disbursement) recorded at the
    # same time must see each other's installment updates. Loans are locked before funds.
    return (
        Loan.objects.select_for_update(of=("self",))
        .select_related("fund__club", "borrower")
        .get(pk=loan.pk)
    )


def _check_decider(loan: Loan, by: User | None) -> None:
    """A loan is requested by one board member and decided by another (docs/funds.md): the
    one who asked may decide alone only when no other board member of the club has an
    account. ``created_by`` is who requested, ``approved_by`` who decided."""
    if by is None or loan.created_by_id != by.pk:
        return
    others = User.objects.filter(
        club=loan.fund.club_id, role=Role.CLUB_LEADER, is_active=True
    ).exclude(pk=by.pk)
    if loan.fund.club_id and others.exists():
        raise FundsError(
            _(
                "The board member who requested this loan cannot decide on it: another board member decides."
            )
        )


@atomic_write
def loan_approve(
    *, loan: Loan, by: User | None, on: datetime.date | None = None, note: str = ""
) -> Loan:
    """The board approves a requested loan."""
    locked = _lock_loan(loan)
    if locked.status != Loan.Status.REQUESTED:
        raise FundsError(_("Only a requested loan can be approved."))
    _check_decider(locked, by)
    _check_limits(fund=locked.fund, principal=locked.principal, loan=locked)
    locked.status = Loan.Status.APPROVED
    locked.approved_on = on or today()
    locked.approved_by = by
    locked.decision_note = note
    locked.save()
    return locked


@atomic_write
def loan_reject(
    *, loan: Loan, by: User | None, note: str = "", on: datetime.date | None = None
) -> Loan:
    locked = _lock_loan(loan)
    if locked.status not in (Loan.Status.REQUESTED, Loan.Status.APPROVED):
        raise FundsError(_("Only a loan not yet disbursed can be rejected."))
    _check_decider(locked, by)
    locked.status = Loan.Status.REJECTED
    locked.approved_on = on or today()
    locked.approved_by = by
    locked.decision_note = note
    locked.closed_on = locked.approved_on
    locked.save()
    return locked


@atomic_write
def loan_disburse(*, loan: Loan, by: User | None, on: datetime.date | None = None) -> LedgerEntry:
    """Pay out an approved loan (a ledger outflow) and write its schedule."""
    on = on or today()
    locked = _lock_loan(loan)
    if locked.status != Loan.Status.APPROVED:
        raise FundsError(_("Only an approved loan can be disbursed."))
    if locked.approved_on and on < locked.approved_on:
        raise FundsError({"date": _("A loan cannot be disbursed before it was approved.")})
    _check_date(on, locked.fund.club)
    if locked.principal > settings.ISHC_MAX_LOAN_VND:
        raise FundsError(
            _("A loan cannot be more than %(max)s ₫.")
            % {"max": thousands(settings.ISHC_MAX_LOAN_VND)}
        )
    fund = lock_fund(locked.fund_id)
    entry = post(
        fund=fund,
        date=on,
        amount=locked.principal,
        direction=Dir.OUT,
        category=Cat.LOAN_DISBURSEMENT,
        by=by,
        member=locked.borrower,
        payer=locked.borrower.full_name,
        note=locked.in_kind or locked.purpose,
        loan=locked,
    )
    Installment.objects.bulk_create(
        Installment(loan=locked, **row)
        for row in build_schedule(
            principal=locked.principal,
            monthly_rate=locked.monthly_rate,
            term_months=locked.term_months,
            method=locked.method,
            start=on,
        )
    )
    locked.status = Loan.Status.ACTIVE
    locked.disbursed_on = on
    locked.save()
    loan.status, loan.disbursed_on = locked.status, on
    return entry


def allocate(installments: list[Installment], amount: int) -> tuple[int, int]:
    """Apply ``amount``: oldest installment first, its interest before its principal."""
    remaining = amount
    principal = interest = 0
    for inst in installments:
        if remaining == 0:
            break
        owe = inst.interest - inst.waived_interest - inst.paid_interest
        pay = min(owe, remaining)
        inst.paid_interest += pay
        interest += pay
        remaining -= pay
        owe = inst.principal - inst.paid_principal
        pay = min(owe, remaining)
        inst.paid_principal += pay
        principal += pay
        remaining -= pay
    if remaining:
        raise FundsError({"amount": _("The repayment is more than what is owed.")})
    return principal, interest


def _payoff(installments: list[Installment], on: datetime.date) -> tuple[int, dict[int, int]]:
    """(amount to settle the loan on ``on``, interest waived per installment id).

    Everything due up to ``on`` plus the current month's interest is paid; interest of the
    months after that is waived.
    """
    total = 0
    waive: dict[int, int] = {}
    current_seen = False
    for inst in installments:
        if inst.due_on <= on or not current_seen:
            if inst.due_on > on:
                current_seen = True
            total += inst.unpaid
        else:
            owe_interest = inst.interest - inst.waived_interest - inst.paid_interest
            waive[inst.pk] = owe_interest
            total += inst.unpaid - owe_interest
    return total, waive


def payoff_amount(loan: Loan, on: datetime.date) -> int:
    return _payoff(list(loan.installments.order_by("seq")), on)[0]


def _repay(
    *, loan: Loan, amount: int, on: datetime.date, by: User | None, note: str, early: bool
) -> Repayment:
    check_amount(amount)
    locked = _lock_loan(loan)
    if locked.status != Loan.Status.ACTIVE:
        raise FundsError(_("Only a disbursed loan that is not repaid can take repayments."))
    if locked.disbursed_on and on < locked.disbursed_on:
        raise FundsError({"date": _("The date is before the loan was disbursed.")})
    _check_date(on, locked.fund.club)
    installments = list(locked.installments.order_by("seq"))
    if early:
        amount, waive = _payoff(installments, on)
        for inst in installments:
            inst.waived_interest += waive.get(inst.pk, 0)
    owed = sum(i.unpaid for i in installments)
    if amount > owed:
        raise FundsError(
            {
                "amount": _("The repayment is more than what is owed (%(owed)s ₫).")
                % {"owed": thousands(owed)}
            }
        )
    principal, interest = allocate(installments, amount)
    fund = lock_fund(locked.fund_id)
    common: dict[str, Any] = {
        "fund": fund,
        "date": on,
        "direction": Dir.IN,
        "by": by,
        "member": locked.borrower,
        "payer": locked.borrower.full_name,
        "loan": locked,
    }
    interest_entry = principal_entry = None
    if interest:
        interest_entry = post(amount=interest, category=Cat.LOAN_INTEREST, note=note, **common)
    if principal:
        principal_entry = post(amount=principal, category=Cat.LOAN_PRINCIPAL, note=note, **common)
    Installment.objects.bulk_update(
        installments, ["paid_principal", "paid_interest", "waived_interest"]
    )
    repayment = Repayment.objects.create(
        loan=locked,
        date=on,
        amount=amount,
        principal=principal,
        interest=interest,
        early=early,
        principal_entry=principal_entry,
        interest_entry=interest_entry,
        note=note,
        created_by=by,
    )
    if all(i.unpaid == 0 for i in installments):
        locked.status = Loan.Status.REPAID
        locked.closed_on = on
        locked.save()
        loan.status = locked.status
    return repayment


@atomic_write
def loan_repay(
    *, loan: Loan, amount: int, by: User | None, on: datetime.date | None = None, note: str = ""
) -> Repayment:
    """A borrower pays back (usually at the monthly meeting)."""
    return _repay(loan=loan, amount=amount, on=on or today(), by=by, note=note, early=False)


@atomic_write
def loan_payoff(
    *, loan: Loan, by: User | None, on: datetime.date | None = None, note: str = ""
) -> Repayment:
    """Early repayment: settle the whole loan; interest after the current month is waived."""
    return _repay(loan=loan, amount=1, on=on or today(), by=by, note=note, early=True)


def repayment_reverse_check(repayment: Repayment) -> None:
    """Refuse to reverse a repayment that is not its loan's latest. Writes nothing."""
    latest = Repayment.objects.filter(loan_id=repayment.loan_id).order_by("-pk").first()
    if latest is None or latest.pk != repayment.pk:
        raise FundsError(
            _("Only the loan's latest repayment can be reversed: reverse the later ones first.")
        )


@atomic_write
def repayment_reverse(
    *, repayment: Repayment, by: User | None, note: str, on: datetime.date | None = None
) -> list[LedgerEntry]:
    """Correct a repayment recorded by mistake (a wrong amount, the wrong borrower).

    Append-only, like every correction: its receipts are cancelled by payments linked to them
    (dated ``on``, today by default, with the reason), the repayment leaves the loan, and the
    installments go back to what the earlier repayments had paid (they are applied again, in
    the order they were recorded). Only a loan's latest repayment can be reversed, and not in
    a month whose report is approved; a loan it had closed is open again.
    """
    on = on or today()
    if not (note or "").strip():
        raise FundsError({"note": _("Say why the repayment is reversed.")})
    loan = _lock_loan(repayment.loan)
    repayment_reverse_check(repayment)
    club = loan.fund.club
    _check_date(repayment.date, club)
    _check_date(on, club)
    fund = lock_fund(loan.fund_id)
    reversals = [
        post(
            fund=fund,
            date=on,
            amount=entry.amount,
            direction=Dir.OUT,
            category=entry.category,
            by=by,
            member=entry.member,
            payer=entry.payer,
            note=note,
            reverses=entry,
            loan=loan,
        )
        for entry in (repayment.principal_entry, repayment.interest_entry)
        if entry is not None
    ]
    installments = list(loan.installments.order_by("seq"))
    for inst in installments:
        inst.paid_principal = inst.paid_interest = inst.waived_interest = 0
    for earlier in loan.repayments.exclude(pk=repayment.pk).order_by("pk"):
        if earlier.early:
            _amount, waive = _payoff(installments, earlier.date)
            for inst in installments:
                inst.waived_interest += waive.get(inst.pk, 0)
        allocate(installments, earlier.amount)
    Installment.objects.bulk_update(
        installments, ["paid_principal", "paid_interest", "waived_interest"]
    )
    repayment.delete()
    if loan.status == Loan.Status.REPAID:
        loan.status = Loan.Status.ACTIVE
        loan.closed_on = None
        loan.save()
    return reversals


@atomic_write
def loan_write_off(
    *, loan: Loan, by: User | None, reason: str, on: datetime.date | None = None
) -> Loan:
    """The board gives up on what a borrower still owes (death, a borrower who left for good).

    No money moves — it left the fund when the loan was paid out — so the ledger is
    untouched; from ``on`` the loan leaves the portfolio (outstanding, PAR30, borrowers) and
    takes no more repayments. Who and when are in the loan's history, why in
    ``write_off_reason``.
    """
    on = on or today()
    if not (reason or "").strip():
        raise FundsError({"reason": _("Say why the loan is written off.")})
    locked = _lock_loan(loan)
    if locked.status != Loan.Status.ACTIVE:
        raise FundsError(_("Only a disbursed loan that is not repaid can be written off."))
    if locked.disbursed_on and on < locked.disbursed_on:
        raise FundsError({"date": _("The date is before the loan was disbursed.")})
    _check_date(on, locked.fund.club)
    locked.status = Loan.Status.WRITTEN_OFF
    locked.closed_on = on
    locked.write_off_reason = reason.strip()[:300]
    locked._change_reason = reason.strip()[:100]  # shown in the loan's history
    locked.save()
    loan.status, loan.closed_on = locked.status, locked.closed_on
    return locked
