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
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts import privacy, scoping
from accounts.privacy import HIGH_RISK, SENSITIVE, fields_of
from clubs.models import Club
from config.text import fold
from members.models import CareAssignment, Member
from members.signals import consent_withdrawn

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

# What consent governs (``accounts.privacy``: the member's sensitive and high-risk fields): a
# withdrawal erases them from the record and from every row of its history.
CONSENT_GOVERNED_FIELDS = tuple(sorted(fields_of("members.Member", SENSITIVE, HIGH_RISK)))
CONSENT_FIELDS = ("consent_on", "consent_method", "consent_recorded_by")

# The change reasons the history keeps (stored as written here, shown translated).
CONSENT_WITHDRAWN_REASON = gettext_noop("Consent withdrawn")
ANONYMISED_REASON = gettext_noop("Anonymised at the person's request")


def anonymised_name(pk: int) -> str:
    """The name an anonymised record carries: data, in Vietnamese like every name here."""
    return f"Đã ẩn danh #{pk}"


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
    if not privacy.may_see(by, privacy.SENSITIVE):
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


def _empty(name: str) -> Any:
    """The value a member's field has when nothing is known (None, False or "")."""
    field = Member._meta.get_field(name)
    if not isinstance(field, models.Field):  # the declaration lists only concrete fields
        raise TypeError(f"{name} is not a field of Member")
    if field.null:
        return None
    if field.has_default():
        return field.get_default()
    return ""


def _history_scrub(member: Member, values: dict[str, Any]) -> int:
    """Overwrite ``values`` in every history row of ``member``: erased data must not stay
    readable in "Change history" or in the admin's history. Returns the rows touched."""
    history = Member.history.model.objects.filter(id=member.pk)
    return history.update(**values)


@transaction.atomic
def consent_withdraw(*, member: Member, by: User) -> Member:
    """The member withdraws consent: what it governed is erased, not hidden.

    The sensitive and high-risk fields (``accounts.privacy``) are emptied in the record and in
    every row of its history, and ``signals.consent_withdrawn`` lets the apps above erase
    theirs in the same transaction (the month deletes the health readings). The history keeps
    that it happened: one new row with who, when and the reason ``CONSENT_WITHDRAWN_REASON``.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    blank = {name: _empty(name) for name in CONSENT_GOVERNED_FIELDS}
    for name, value in blank.items():
        setattr(member, name, value)
    member.consent_on = None
    member.consent_method = ""
    member.consent_recorded_by = None
    member._change_reason = CONSENT_WITHDRAWN_REASON
    _save(member, by=by)
    _history_scrub(member, blank)
    consent_withdrawn.send(sender=Member, member=member, by=by)
    return member


@transaction.atomic
def member_erase_personal(*, member: Member, by: User) -> Member:
    """Anonymises one record: the name becomes ``anonymised_name``, every other personal field
    (``accounts.privacy``: contact, sensitive, high-risk) and a written reason for leaving are
    emptied, in the record and in every row of its history; the consent is cleared from the
    record (the history keeps when it was given: evidence that the earlier processing was
    lawful, and without a name it points to nobody).

    The record itself stays, so attendance, dues, loans, care and the counts built on them keep
    pointing at it; sex and year of birth stay for the composition figures. The history gains
    one row with who, when and ``ANONYMISED_REASON``.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    name = anonymised_name(member.pk)
    values = {field: _empty(field) for field in fields_of("members.Member")}
    values["full_name"] = name
    values["search_name"] = fold(name)
    for field, value in values.items():
        setattr(member, field, value)
    if member.leave_reason != TRANSFER_REASON:
        member.leave_reason = ""
    for field in CONSENT_FIELDS:
        setattr(member, field, _empty(field))
    member._change_reason = ANONYMISED_REASON
    _save(member, by=by)
    _history_scrub(member, values)
    # A reason for leaving is written by people and may say who the person is; "transfer" is
    # a code and links the records of one person.
    Member.history.model.objects.filter(id=member.pk).exclude(leave_reason=TRANSFER_REASON).update(
        leave_reason=""
    )
    return member
