"""Writes to clubs: founding, profile, status, management board. One transaction each."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clubs.models import BoardPosition, Club, ClubStatusChange

if TYPE_CHECKING:
    from accounts.models import User


class ClubsError(ValidationError):
    """A club rule was broken; views show it as a form error."""


def _clean(obj: Any, **kwargs: Any) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise ClubsError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc


def next_club_code(commune_code: str) -> str:
    """A free code "CLB-<commune code>-NN" for a new club of that commune."""
    prefix = f"CLB-{commune_code}-"
    taken = set(Club.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:02d}" in taken:
        n += 1
    return f"{prefix}{n:02d}"


@transaction.atomic
def club_create(*, club: Club, by: User) -> Club:
    """Records a newly founded club (the form has checked its fields)."""
    if not club.code:
        club.code = next_club_code(club.commune.code)
    club._history_user = by
    _clean(club, exclude=["search_name"])
    club.save()
    ClubStatusChange.objects.create(
        club=club,
        status=club.status,
        changed_on=club.founded_on or timezone.localdate(),
        reason=_("Club founded"),
        by=by,
    )
    return club


@transaction.atomic
def club_update(*, club: Club, by: User) -> Club:
    """Saves a club's changed profile; status changes go through ``club_change_status``."""
    club._history_user = by
    _clean(club, exclude=["search_name"])
    club.save()
    return club


@transaction.atomic
def club_change_status(
    *, club: Club, status: str, changed_on: datetime.date, reason: str, by: User
) -> ClubStatusChange:
    """Pauses, dissolves or reactivates a club, and records the change with its reason."""
    # Locked so that two staff members changing the status at once leave one clear record.
    club = Club.objects.select_for_update().get(pk=club.pk)
    if status not in Club.Status.values:
        raise ClubsError({"status": _("Choose a status.")})
    if status == club.status:
        raise ClubsError({"status": _("The club already has this status.")})
    if changed_on > timezone.localdate():
        raise ClubsError({"changed_on": _("The date cannot be in the future.")})
    if club.founded_on and changed_on < club.founded_on:
        raise ClubsError({"changed_on": _("The date cannot be before the club was founded.")})
    if status != Club.Status.ACTIVE and not reason.strip():
        raise ClubsError({"reason": _("Give the reason for pausing or dissolving the club.")})
    club.status = status
    club.status_changed_on = changed_on
    club.status_reason = reason.strip()
    club._history_user = by
    club.save(update_fields=["status", "status_changed_on", "status_reason", "updated_at"])
    return ClubStatusChange.objects.create(
        club=club, status=status, changed_on=changed_on, reason=reason.strip(), by=by
    )


@transaction.atomic
def board_add(
    *,
    club: Club,
    member: Any,
    position: str,
    start_on: datetime.date,
    end_on: datetime.date | None = None,
    by: User,
) -> BoardPosition:
    """Seats a current member of the club on the board for a term."""
    if member.club_id != club.pk:
        raise ClubsError({"member": _("Choose a member of this club.")})
    if member.left_on is not None:
        raise ClubsError({"member": _("This person is no longer a member of the club.")})
    if position != BoardPosition.Position.MEMBER and (
        BoardPosition.objects.select_for_update()
        .filter(club=club, position=position, end_on__isnull=True)
        .exists()
    ):
        raise ClubsError({"position": _("Someone holds this position now: end their term first.")})
    seat = BoardPosition(
        club=club, member=member, position=position, start_on=start_on, end_on=end_on
    )
    seat._history_user = by
    _clean(seat)
    seat.save()
    return seat


@transaction.atomic
def board_end(*, seat: BoardPosition, end_on: datetime.date, by: User) -> BoardPosition:
    """Ends a board member's term on a date."""
    seat = BoardPosition.objects.select_for_update().get(pk=seat.pk)
    if seat.end_on is not None:
        raise ClubsError(_("This term has already ended."))
    if end_on < seat.start_on:
        raise ClubsError({"end_on": _("The end of the term must be after its start.")})
    seat.end_on = end_on
    seat._history_user = by
    seat.save(update_fields=["end_on"])
    return seat
