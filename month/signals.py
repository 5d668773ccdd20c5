"""The month follows the club tree and the members' consent.

Monthly reports carry their club's province; a member's health readings go when the member
withdraws consent (``members.signals.consent_withdrawn``).

``MonthlyReport.province`` is a copy of the club's province (the province's report inbox reads
one index). ``clubs`` knows nothing of reports, so when a club moves to another commune, or a
commune to another province, these receivers bring the reports along in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from clubs.models import Area, Club
from members.models import Member
from members.signals import consent_withdrawn
from month.models import MonthlyReport
from month.services import readings_erase


@receiver(post_save, sender=Club, dispatch_uid="month.reports_follow_club")
def reports_follow_club(sender: type[Club], instance: Club, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    MonthlyReport.objects.filter(club=instance).exclude(province_id=instance.province_id).update(
        province_id=instance.province_id
    )


@receiver(post_save, sender=Area, dispatch_uid="month.reports_follow_commune")
def reports_follow_commune(sender: type[Area], instance: Area, **kwargs: Any) -> None:
    if instance.level != Area.Level.COMMUNE or kwargs.get("raw"):
        return
    MonthlyReport.objects.filter(club__commune=instance).exclude(
        province_id=instance.province_id
    ).update(province_id=instance.province_id)


@receiver(consent_withdrawn, dispatch_uid="month.readings_follow_consent")
def readings_follow_consent(sender: type[Member], member: Member, **kwargs: Any) -> None:
    """Consent withdrawn: the member's health readings are deleted in the same transaction
    (``members.services.consent_withdraw`` sends this inside it)."""
    readings_erase(member=member)
