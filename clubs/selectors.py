"""Reads of clubs: the list with its filters, the board, the status history.

Composition counts are of members: they come through the member register that the members
app installs (``clubs.membership``), so that clubs never imports members.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import F, QuerySet

from accounts import scoping
from clubs.membership import member_register
from clubs.models import BoardPosition, Club, ClubStatusChange
from config.choices import readable
from config.collation import by_name
from config.pagination import SortKey

if TYPE_CHECKING:
    from accounts.models import User


# The club list's order, which its keyset pages follow: the club's name in Vietnamese order,
# then its id (two clubs may share a name). Served by the indexes of
# clubs/migrations/0012_club_list_keyset_indexes.py: (province, name, id) for provincial
# staff, (commune, name, id) for a commune's, (name, id) for admins. Sorted by commune name
# first, every page of a province sorted all its clubs (the name is on another table).
CLUB_LIST_KEYS = (SortKey("name", collated=True), SortKey("id"))


def club_list(
    *, viewer: User, term: str = "", filters: dict[str, Any] | None = None
) -> QuerySet[Club]:
    """The viewer's clubs, searched and filtered in SQL, in ``CLUB_LIST_KEYS`` order.

    ``filters["target"]`` is the register's targets when the caller already has them.
    """
    register = member_register()
    filters = filters or {}
    qs = scoping.clubs_for(viewer).select_related("commune")
    if term:
        qs = qs.filter(search_name__contains=term)
    if filters.get("commune"):
        qs = qs.filter(commune=filters["commune"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("targets") in ("met", "missed"):
        # Filtering by the targets needs every club's counts; otherwise they are counted for
        # the page only (``with_counts``).
        target = filters.get("target") or register.target()
        qs = register.filter_targets(
            register.annotate(qs), target=target, meets=filters["targets"] == "met"
        )
    return qs.order_by(*by_name("name"), "pk")


def with_counts(clubs: Iterable[Club]) -> list[Club]:
    """The clubs of one page, in the same order, with their composition counts: one query
    over the page's ids. Counted in the list's own query, PostgreSQL ran the count
    subqueries for every club of a province before sorting and cutting the page (loops=1,000
    for 25 rows shown)."""
    ids = [club.pk for club in clubs]
    counted = member_register().annotate(Club.objects.filter(pk__in=ids).select_related("commune"))
    by_pk = {club.pk: club for club in counted}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def board(*, club: Club) -> list[BoardPosition]:
    """The board, current terms first (one query)."""
    return list(
        BoardPosition.objects.filter(club=club)
        .select_related("member")
        .order_by(F("end_on").desc(nulls_first=True), "position", "-start_on")
    )


def status_history(*, club: Club) -> list[ClubStatusChange]:
    return list(
        ClubStatusChange.objects.filter(club=club)
        .select_related("by")
        .order_by("-changed_on", "-at")
    )


def person_board(*, member_id: int) -> dict[str, list[dict[str, Any]]]:
    """The board seats one member record held (data-subject requests: a copy of their data)."""
    seats = BoardPosition.objects.filter(member_id=member_id).select_related("club")
    return {
        "board_positions": [
            {"club": seat.club.name, **readable(seat, ("position", "start_on", "end_on"))}
            for seat in seats.order_by("start_on", "pk")
        ]
    }
