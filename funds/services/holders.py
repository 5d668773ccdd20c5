"""The fund's copies of its holder (``Fund.club_owned``, ``holder_name``, ``province``,
``commune``), brought up to date when a club or an area changes.

The fund list filters and sorts on those copies with one index (docs/performance.md, "Keyset
pages"); a stale copy would put a fund in the wrong place or, after a move, in the wrong
province's list. ``Fund.save`` fills them for a new fund; ``funds.signals`` calls the two
``*_follow_*`` functions after every save of a club or an area (``clubs`` cannot call
``funds``: the arrow points the other way), in the same transaction. Each is one UPDATE that
touches only the funds whose copy differs.
"""

from __future__ import annotations

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from clubs.models import Area, Club
from funds.models import Fund, holder_values


def _differs(club_owned: int, name: str, province_id: int | None, commune_id: int | None) -> Q:
    return (
        ~Q(club_owned=club_owned)
        | ~Q(holder_name=name)
        | ~Q(province_id=province_id)
        | ~Q(commune_id=commune_id)
    )


def fund_holders_follow_club(*, club: Club) -> int:
    """A club renamed or moved to another commune: its funds follow. Returns how many."""
    values = holder_values(club, None)
    return (
        Fund.objects.filter(club=club)
        .filter(_differs(*values))
        .update(
            club_owned=values[0],
            holder_name=values[1],
            province_id=values[2],
            commune_id=values[3],
        )
    )


def fund_holders_follow_area(*, area: Area) -> int:
    """An area renamed, or a commune moved to another province: the association's own funds
    follow, and so do the funds of the commune's clubs (whose ``Club.province`` the area's
    save has just changed with an UPDATE, which sends no signal). Returns how many."""
    values = holder_values(None, area)
    changed = (
        Fund.objects.filter(owner_area=area)
        .filter(_differs(*values))
        .update(
            club_owned=values[0],
            holder_name=values[1],
            province_id=values[2],
            commune_id=values[3],
        )
    )
    if area.level == Area.Level.COMMUNE:
        changed += (
            Fund.objects.filter(club__commune=area)
            .exclude(province_id=area.province_id)
            .update(province_id=area.province_id)
        )
    return changed


def fund_holders_refill(funds: QuerySet[Fund] | None = None) -> int:
    """Every fund's copies from its holder, in four set-based UPDATEs (clubs', provinces', communes', former districts') (for data written
    around ``Fund.save``, such as the generator's bulk COPY). Returns how many rows were
    written."""
    funds = Fund.objects.all() if funds is None else funds
    club = Club.objects.filter(pk=OuterRef("club_id"))
    area = Area.objects.filter(pk=OuterRef("owner_area_id"))
    written = funds.filter(club__isnull=False).update(
        club_owned=1,
        holder_name=Subquery(club.values("name")[:1]),
        province_id=Subquery(club.values("province_id")[:1]),
        commune_id=Subquery(club.values("commune_id")[:1]),
    )
    area_funds = funds.filter(club__isnull=True, owner_area__isnull=False)
    name, province = area.values("name")[:1], area.values("province_id")[:1]
    written += area_funds.filter(owner_area__level=Area.Level.PROVINCE).update(
        club_owned=0, holder_name=Subquery(name), province_id=F("owner_area_id"), commune_id=None
    )
    written += area_funds.filter(owner_area__level=Area.Level.COMMUNE).update(
        club_owned=0,
        holder_name=Subquery(name),
        province_id=Subquery(province),
        commune_id=F("owner_area_id"),
    )
    written += area_funds.exclude(
        owner_area__level__in=[Area.Level.PROVINCE, Area.Level.COMMUNE]
    ).update(
        club_owned=0, holder_name=Subquery(name), province_id=Subquery(province), commune_id=None
    )
    return written
