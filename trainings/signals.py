"""Trainings follow the members' consent: a withdrawal erases the ethnicity written on the
member's training registrations (``members.signals.consent_withdrawn``, in its transaction)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from members.models import Member
from members.signals import consent_withdrawn
from trainings.services import participants_sensitive_erase


@receiver(consent_withdrawn, dispatch_uid="trainings.registrations_follow_consent")
def registrations_follow_consent(sender: type[Member], member: Member, **kwargs: Any) -> None:
    participants_sensitive_erase(member=member)
