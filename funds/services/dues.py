"""Monthly dues taken at the meeting, paid into the club's operating fund."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from funds.models import Contribution, Fund, FundsError, LedgerEntry
from funds.services.ledger import _check_date, atomic_write, check_amount, lock_fund, post

if TYPE_CHECKING:
    from accounts.models import User
    from clubs.models import Club
    from members.models import Member


def check_month(month: int) -> None:
    """A month of the year (the database refuses others too: ``contribution_month_range``)."""
    if not 1 <= month <= 12:
        raise FundsError({"month": _("Choose a month between 1 and 12.")})


@atomic_write
def dues_record(
    *,
    club: Club,
    year: int,
    month: int,
    amounts: dict[Member, int],
    on: datetime.date,
    by: User | None,
) -> list[Contribution]:
    """Record the dues of several members for one month (one receipt each), all or none."""
    check_month(month)
    _check_date(on, club)
    for member, amount in amounts.items():
        if member.club_id != club.pk:
            raise FundsError(_("%(name)s is not a member of this club.") % {"name": member})
        check_amount(amount)
    fund = Fund.objects.filter(club=club, kind=Fund.Kind.OPERATING).first()
    if fund is None:
        raise FundsError(_("This club has no operating fund."))
    already = set(
        Contribution.objects.filter(member__in=list(amounts), year=year, month=month).values_list(
            "member__full_name", flat=True
        )
    )
    if already:
        raise FundsError(
            _("Already paid for %(month)s: %(names)s.")
            % {"month": f"{month:02d}/{year}", "names": ", ".join(sorted(already))}
        )
    locked = lock_fund(fund.pk)
    # The same month recorded twice at the same time: the second is refused by the unique
    # ``contribution_once_a_month`` (``atomic_write`` gives its message).
    return _post_all(locked, club, year, month, amounts, on, by)


def _post_all(
    locked: Fund,
    club: Club,
    year: int,
    month: int,
    amounts: dict[Member, int],
    on: datetime.date,
    by: User | None,
) -> list[Contribution]:
    rows = []
    for member, amount in amounts.items():
        entry = post(
            fund=locked,
            date=on,
            amount=amount,
            direction=LedgerEntry.Direction.IN,
            category=LedgerEntry.Category.DUES,
            by=by,
            member=member,
            payer=member.full_name,
            note=_("Dues %(month)s") % {"month": f"{month:02d}/{year}"},
        )
        rows.append(
            Contribution.objects.create(
                member=member, club=club, year=year, month=month, amount=amount, entry=entry
            )
        )
    return rows
