"""Transfers between funds: requested by the source fund's owner, approved by its supervisor.

Who owns a fund and who supervises the owner (docs/funds.md, "Transfers"):

| fund of | requested by (owner) | decided by (supervisor) |
|---|---|---|
| a club | a board member of the club (club leader) | staff of the club's commune, of its province, or an administrator |
| a commune (or a former district) | staff of that commune | staff of its province, or an administrator |
| a province | staff of that province | an administrator |

Whoever asked never decides. Money moves only on approval, through ``fund_transfer`` (both
entries or neither, under the funds' row locks, refused in a locked month and when it would
take money promised to approved loans).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.templatetags.ishc import thousands
from funds.models import Fund, FundsError, TransferRequest
from funds.services.ledger import (
    _check_date,
    atomic_write,
    check_amount,
    fund_transfer,
    reserved,
    today,
)
from funds.services.owners import is_owner, is_supervisor

if TYPE_CHECKING:
    from accounts.models import User

State = TransferRequest.State


def available(fund: Fund) -> int:
    """What can leave the fund: its balance less the loans approved and not yet paid out."""
    return fund.balance - reserved(fund)


@atomic_write
def transfer_request(
    *, source: Fund, target: Fund, amount: int, reason: str, by: User
) -> TransferRequest:
    """The source fund's owner asks to move ``amount`` to ``target``; nothing moves yet."""
    check_amount(amount)
    if not is_owner(by, source):
        raise FundsError(_("Only the fund's owner can request a transfer out of it."))
    # A fund chosen as its own target is refused by ``transfer_different_funds`` (its message
    # beside the target, through ``atomic_write``).
    if not (reason or "").strip():
        raise FundsError({"reason": _("Say what the money is for.")})
    free = available(source)
    if amount > free:
        raise FundsError({"amount": _unavailable(source, free)})
    return TransferRequest.objects.create(
        source=source, target=target, amount=amount, reason=reason.strip()[:300], requested_by=by
    )


def _unavailable(fund: Fund, free: int) -> str:
    promised = reserved(fund)
    if promised:
        return _(
            "Only %(available)s ₫ of %(fund)s can be moved: %(promised)s ₫ of its balance is "
            "promised to approved loans not yet paid out."
        ) % {
            "available": thousands(max(free, 0)),
            "fund": fund.name,
            "promised": thousands(promised),
        }
    return _("Not enough money in %(fund)s: the balance is %(balance)s ₫.") % {
        "fund": fund.name,
        "balance": thousands(fund.balance),
    }


def _lock(request: TransferRequest) -> TransferRequest:
    return (
        TransferRequest.objects.select_for_update(of=("self",))
        .select_related("source__club", "source__owner_area", "target")
        .get(pk=request.pk)
    )


def check_approval(request: TransferRequest, by: User) -> None:
    """Refuse, before anything is asked or written, an approval that cannot be made: the
    request decided already, the wrong person, not enough money free of promised loans."""
    _check_decider(request, by)
    free = available(Fund.objects.get(pk=request.source_id))
    if request.amount > free:
        raise FundsError(_unavailable(request.source, free))


def _check_decider(request: TransferRequest, by: User) -> None:
    if request.state != State.REQUESTED:
        raise FundsError(_("This request has already been decided or withdrawn."))
    if request.requested_by_id == by.pk:
        raise FundsError(
            {"decision": _("The one who requested a transfer cannot approve or reject it.")}
        )
    if not is_supervisor(by, request.source):
        raise FundsError(
            _("A transfer out of this fund is decided by the association above its owner.")
        )


def _decided(request: TransferRequest, state: str, by: User, note: str) -> None:
    request.state = state
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = note.strip()[:300]


@atomic_write
def transfer_approve(
    *, request: TransferRequest, by: User, on: datetime.date | None = None, note: str = ""
) -> TransferRequest:
    """The supervisor approves: the two entries are written now, dated ``on`` (today by
    default), or nothing is (a locked month, not enough money free of promised loans)."""
    on = on or today()
    locked = _lock(request)
    _check_decider(locked, by)
    if on < timezone.localtime(locked.requested_at).date():
        raise FundsError({"date": _("The transfer cannot be dated before it was requested.")})
    _check_date(on, locked.source.club)
    out, _into = fund_transfer(
        source=locked.source,
        target=locked.target,
        amount=locked.amount,
        date=on,
        by=by,
        note=locked.reason,
    )
    _decided(locked, State.APPROVED, by, note)
    locked.moved_on = on
    locked.transfer_group = out.transfer_group
    locked.save()
    _copy(locked, request)
    return locked


@atomic_write
def transfer_reject(*, request: TransferRequest, by: User, note: str) -> TransferRequest:
    """The supervisor refuses, saying why; nothing moves."""
    if not (note or "").strip():
        raise FundsError({"note": _("Say why the transfer is rejected.")})
    locked = _lock(request)
    _check_decider(locked, by)
    _decided(locked, State.REJECTED, by, note)
    locked.save()
    _copy(locked, request)
    return locked


@atomic_write
def transfer_cancel(*, request: TransferRequest, by: User, note: str = "") -> TransferRequest:
    """The owner withdraws a request not yet decided."""
    locked = _lock(request)
    if locked.state != State.REQUESTED:
        raise FundsError(_("This request has already been decided or withdrawn."))
    if not is_owner(by, locked.source):
        raise FundsError(_("Only the fund's owner can withdraw this request."))
    _decided(locked, State.CANCELLED, by, note)
    locked.save()
    _copy(locked, request)
    return locked


def _copy(locked: TransferRequest, request: TransferRequest) -> None:
    for name in (
        "state",
        "decided_by",
        "decided_at",
        "decision_note",
        "moved_on",
        "transfer_group",
    ):
        setattr(request, name, getattr(locked, name))
