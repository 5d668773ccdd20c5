"""Funds follow the club tree (the arrow stays funds → clubs): every new club gets its two
funds, and a club or an area that is renamed or moves carries its funds' copies of the holder
along (``funds.services.holders``), in the same transaction as the save."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from clubs.models import Area, Club


def _may_move(kwargs: dict[str, Any], holder_fields: set[str]) -> bool:
    """Whether the save may have changed what a fund copies (a save of other chosen columns,
    such as a club's status, cannot)."""
    update_fields = kwargs.get("update_fields")
    return update_fields is None or bool(holder_fields & set(update_fields))


@receiver(post_save, sender=Club, dispatch_uid="funds_for_new_club")
def create_club_funds(
    sender: type[Club], instance: Club, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        from funds.services import funds_for_new_club

        funds_for_new_club(instance)


@receiver(post_save, sender=Club, dispatch_uid="funds.holders_follow_club")
def holders_follow_club(
    sender: type[Club], instance: Club, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created or raw or not _may_move(kwargs, {"name", "commune"}):
        return  # a new club's funds are made (and filled) from the saved club
    from funds.services.holders import fund_holders_follow_club

    fund_holders_follow_club(club=instance)


@receiver(post_save, sender=Area, dispatch_uid="funds.holders_follow_area")
def holders_follow_area(
    sender: type[Area], instance: Area, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created or raw or not _may_move(kwargs, {"name", "level", "parent", "province"}):
        return  # a new area holds no fund yet
    from funds.services.holders import fund_holders_follow_area

    fund_holders_follow_area(area=instance)
