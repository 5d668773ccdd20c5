"""Every new club gets its two funds (the arrow stays funds → clubs)."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from clubs.models import Club


@receiver(post_save, sender=Club, dispatch_uid="funds_for_new_club")
def create_club_funds(
    sender: type[Club], instance: Club, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        from funds.services import funds_for_new_club

        funds_for_new_club(instance)
