"""Writes to the member register. Each service runs in one transaction and raises MembersError.

Sensitive fields (ethnicity, disability, care needs, household status) are saved only when the
member's consent is recorded; the database refuses them otherwise (``member_sensitive_needs_
consent``), and these services say so in words first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import scoping
from clubs.models import Club
from members.models import CareAssignment, Member

if TYPE_CHECKING:
    from accounts.models import User

SENSITIVE_FIELDS = (
    "ethnicity",
    "ethnicity_note",
    "household_status",
    "has_disability",
    "needs_care",
)

# Fields a form may set through member_create / member_update (never club, consent or dates
# of leaving: those have their own services).
EDITABLE_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "birth_year",
    "phone",
    "email",
    "village",
    "lives_alone",
    "has_health_insurance",
    "is_volunteer",
    "joined_on",
    "preferred_channel",
    "reminders_opt_out",
    *SENSITIVE_FIELDS,
)

TRANSFER_REASON = "transfer"


class MembersError(ValidationError):
    """A member-register rule was broken; views show it as a form error."""


@dataclass(frozen=True)
class Consent:
    """Consent to process sensitive data, as recorded by a leader or staff member."""

    on: datetime.date
    method: str


def has_sensitive_data(member: Member) -> bool:
    return bool(
        member.ethnicity
        or member.ethnicity_note
        or member.household_status
        or member.has_disability
        or member.needs_care
    )


def _apply(member: Member, fields: dict[str, Any], *, by: User) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    if not scoping.can_see_sensitive(by):
        # A role that cannot see sensitive fields cannot change them either.
        fields = {k: v for k, v in fields.items() if k not in SENSITIVE_FIELDS}
    for name, value in fields.items():
        setattr(member, name, value)
    if member.birth_date:
        member.birth_year = member.birth_date.year


def _record_consent(member: Member, consent: Consent | None, *, by: User) -> None:
    if consent is not None and member.consent_on is None:
        member.consent_on = consent.on
        member.consent_method = consent.method
        member.consent_recorded_by = by
    if has_sensitive_data(member) and member.consent_on is None:
        raise MembersError(
            _(
                "Record the member's consent before saving ethnicity, disability, care needs "
                "or household status."
            ),
            code="consent",
        )


def _save(member: Member, *, by: User) -> Member:
    member._history_user = by  # who, for django-simple-history (also outside a request)
    try:
        member.full_clean(exclude=["search_name"])
    except ValidationError as exc:
        raise MembersError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        ) from exc
    member.save()
    return member


@transaction.atomic
def member_create(
    *, club: Club, fields: dict[str, Any], consent: Consent | None = None, by: User
) -> Member:
    """Adds a member to a club's register."""
    if club.status == Club.Status.DISSOLVED:
        raise MembersError(_("This club has been dissolved: members cannot be added."))
    member = Member(club=club)
    _apply(member, fields, by=by)
    _record_consent(member, consent, by=by)
    return _save(member, by=by)


@transaction.atomic
def member_update(
    *, member: Member, fields: dict[str, Any], consent: Consent | None = None, by: User
) -> Member:
    """Changes a member's details (the history keeps who changed what, and when)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _apply(member, fields, by=by)
    _record_consent(member, consent, by=by)
    return _save(member, by=by)


@transaction.atomic
def member_leave(*, member: Member, left_on: datetime.date, reason: str, by: User) -> Member:
    """Closes a member's record: the record stays, with the date and the reason."""
    # Locked so that a transfer and a leave cannot both close the same record.
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.left_on is not None:
        raise MembersError(_("This member has already left the club."))
    if left_on < member.joined_on:
        raise MembersError({"left_on": _("The date of leaving must be after the date of joining.")})
    if left_on > timezone.localdate():
        raise MembersError({"left_on": _("The date of leaving cannot be in the future.")})
    member.left_on = left_on
    member.leave_reason = reason.strip()
    _save(member, by=by)
    # A member who leaves neither gives nor receives care any more.
    CareAssignment.objects.filter(volunteer=member, end_on__isnull=True).update(end_on=left_on)
    CareAssignment.objects.filter(recipient=member, end_on__isnull=True).update(end_on=left_on)
    return member


COPIED_ON_TRANSFER = (
    "full_name",
    "sex",
    "birth_date",
    "birth_year",
    "ethnicity",
    "ethnicity_note",
    "phone",
    "email",
    "household_status",
    "has_disability",
    "lives_alone",
    "has_health_insurance",
    "needs_care",
    "is_volunteer",
    "consent_on",
    "consent_method",
    "consent_recorded_by",
    "preferred_channel",
    "reminders_opt_out",
)


@transaction.atomic
def member_transfer(*, member: Member, to_club: Club, on: datetime.date, by: User) -> Member:
    """Moves a member to another club, keeping history: the old record is closed with the
    reason "transfer", a new record in the target club points back to it.

    The target club must be in the user's scope (checked here too, not only in the form).
    """
    if not scoping.clubs_for(by).filter(pk=to_club.pk).exists():
        raise MembersError({"to_club": _("Choose a club in your area.")})
    if to_club.pk == member.club_id:
        raise MembersError({"to_club": _("The member is already in this club.")})
    if to_club.status == Club.Status.DISSOLVED:
        raise MembersError({"to_club": _("This club has been dissolved: members cannot be added.")})
    old = member_leave(member=member, left_on=on, reason=TRANSFER_REASON, by=by)
    new = Member(club=to_club, previous_record=old, joined_on=on, village=to_club.village)
    for name in COPIED_ON_TRANSFER:
        setattr(new, name, getattr(old, name))
    return _save(new, by=by)


@transaction.atomic
def care_assign(
    *, volunteer: Member, recipient: Member, start_on: datetime.date, by: User
) -> CareAssignment:
    """A volunteer starts caring for a member of the same club."""
    if volunteer.club_id != recipient.club_id:
        raise MembersError(_("The volunteer and the recipient must be in the same club."))
    if volunteer.pk == recipient.pk:
        raise MembersError(_("A volunteer cannot be their own care recipient."))
    if not volunteer.is_volunteer:
        raise MembersError({"volunteer": _("This member is not a home-care volunteer.")})
    if volunteer.left_on or recipient.left_on:
        raise MembersError(_("Both people must be current members of the club."))
    if CareAssignment.objects.filter(
        volunteer=volunteer, recipient=recipient, end_on__isnull=True
    ).exists():
        raise MembersError(_("This volunteer already cares for this member."))
    assignment = CareAssignment(
        volunteer=volunteer, recipient=recipient, start_on=start_on, created_by=by
    )
    assignment._history_user = by
    try:
        assignment.full_clean()
    except ValidationError as exc:
        raise MembersError(exc.messages) from exc
    assignment.save()
    return assignment


@transaction.atomic
def care_end(*, assignment: CareAssignment, end_on: datetime.date, by: User) -> CareAssignment:
    assignment = CareAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.end_on is not None:
        raise MembersError(_("This care assignment has already ended."))
    if end_on < assignment.start_on:
        raise MembersError({"end_on": _("The end date must be on or after the start date.")})
    assignment.end_on = end_on
    assignment._history_user = by
    assignment.save(update_fields=["end_on"])
    return assignment


@transaction.atomic
def consent_withdraw(*, member: Member, by: User) -> Member:
    """The member withdraws consent: sensitive fields are emptied in the same save."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    member.ethnicity = ""
    member.ethnicity_note = ""
    member.household_status = ""
    member.has_disability = False
    member.needs_care = False
    member.consent_on = None
    member.consent_method = ""
    member.consent_recorded_by = None
    return _save(member, by=by)
