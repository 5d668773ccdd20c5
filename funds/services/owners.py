"""Who speaks for a fund's owner, and who supervises the owner (docs/funds.md, "Transfers")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.models import Role

if TYPE_CHECKING:
    from accounts.models import User
    from funds.models import Fund


def _role(user: User | None) -> str | None:
    if user is None or not user.is_active:
        return None
    return Role.ADMIN if user.is_superuser or user.role == Role.ADMIN else user.role


def is_owner(user: User | None, fund: Fund) -> bool:
    """Whether ``user`` speaks for the fund's owner: a board member of the club for a club's
    fund, staff of the area for an association's fund."""
    role = _role(user)
    if user is None or role is None:
        return False
    if fund.club_id is not None:
        return role == Role.CLUB_LEADER and user.club_id == fund.club_id
    return role in (Role.COMMUNE, Role.PROVINCE) and user.area_id == fund.owner_area_id


def is_supervisor(user: User | None, fund: Fund) -> bool:
    """Whether ``user`` supervises the fund's owner: the association above a club (its
    commune, its province), the province above a commune, an administrator above all."""
    role = _role(user)
    if user is None or role is None:
        return False
    if role == Role.ADMIN:
        return True
    club = fund.club
    if club is not None:
        return (role == Role.COMMUNE and user.area_id == club.commune_id) or (
            role == Role.PROVINCE and user.area_id == club.province_id
        )
    area = fund.owner_area
    if area is None:
        return False
    # A province's own fund answers to the administrators only.
    return (
        role == Role.PROVINCE and area.province_id is not None and user.area_id == area.province_id
    )
