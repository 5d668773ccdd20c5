"""Reads of clubs: the list with its filters, the board, the status history.

Composition figures come from ``members.selectors`` (the counts are of members); the club
pages show them, so these functions import it when called.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet

from accounts import scoping
from clubs.models import BoardPosition, Club, ClubStatusChange


def club_list(
    *, viewer: Any, term: str = "", filters: dict[str, Any] | None = None
) -> QuerySet[Club]:
    """The viewer's clubs with their composition counts, searched and filtered in SQL."""
    from members.models import CompositionTarget
    from members.selectors import filter_compliance, with_composition

    filters = filters or {}
    qs = scoping.clubs_for(viewer).select_related("commune")
    if term:
        qs = qs.filter(search_name__contains=term)
    if filters.get("commune"):
        qs = qs.filter(commune=filters["commune"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    qs = with_composition(qs)
    if filters.get("targets") in ("met", "missed"):
        target = filters.get("target") or CompositionTarget.current()
        qs = filter_compliance(qs, target=target, meets=filters["targets"] == "met")
    return qs.order_by("commune__name", "name", "pk")


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
