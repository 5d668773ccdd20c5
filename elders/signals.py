"""How the register follows the member register (which may not import it).

A club member who is an older person is one person with two records: when the member record
is saved (edited, anonymised, consent withdrawn), the linked older person takes its shared
fields (``services.sync_from_member``); when a member moves to another club of the same
commune, the link follows the new record.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from members.models import Member


@receiver(post_save, sender=Member, dispatch_uid="elders_member_saved")
def member_saved(
    sender: type[Member], instance: Member, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    from elders.models import OlderPerson
    from elders.services import sync_from_member

    if raw:
        return
    if created and instance.previous_record_id:
        # A transfer: the old record is closed, the new one carries the person on.
        person = OlderPerson.objects.filter(member_id=instance.previous_record_id).first()
        if person is not None:
            same_commune = instance.club.commune_id == person.commune_id
            person.member = instance if same_commune else None
            person._history_user = getattr(instance, "_history_user", None)
            person.save(update_fields=["member", "updated_at"])
    sync_from_member(instance)
