"""Writes to the register of older persons, their celebrations and the care-fund support paid
to them. Each service runs in one transaction and raises ``EldersError``.

Money leaves a care fund only through ``funds.services.entry_record`` (the balance check, the
month lock and the voucher number are the funds app's); the link from the payment to the
person stays here (``LongevityCelebration.entry``, ``CareSupport.entry``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts import privacy, scoping
from accounts.templatetags.ishc import thousands
from clubs.models import Area
from config.text import fold
from elders.models import (
    CareFundPlan,
    CareReceipt,
    CareSupport,
    LongevityCelebration,
    OlderPerson,
    OlderPersonMove,
    milestone_for,
)
from funds import services as funds_services
from funds.models import Fund, LedgerEntry
from members import services as members_services
from members.models import Member

if TYPE_CHECKING:
    from accounts.models import User

# The fields an older person and their club member record both hold: typed once, kept in step.
SHARED_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "birth_year",
    "phone",
    "village",
    "ethnicity",
    "household_status",
    "has_disability",
)
# Kept only with consent and a legal basis (``older_sensitive_needs_consent``).
SENSITIVE_FIELDS = ("ethnicity", "has_disability", "insurance_number", "insurance_expiry")
EDITABLE_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "birth_year",
    "village",
    "address",
    "phone",
    "is_association_member",
    "living",
    "household_status",
    "support",
    "died_on",
    *SENSITIVE_FIELDS,
)
# The oldest age the register accepts (a typing mistake beyond it).
MAX_AGE = 120
# A gift or a payment above these is a typing mistake (a President's gift at 100 is well below).
MAX_GIFT_VND = 10_000_000
MAX_SUPPORT_VND = 50_000_000
# A health-insurance card's expiry further ahead than this is a typing mistake.
MAX_CARD_YEARS = 10
EARLIEST_CARD_EXPIRY = datetime.date(2015, 1, 1)
# Today's cards print the 10-digit social-insurance number; older cards a 15-character code:
# 2 letters (group), 1 digit (benefit level), 2 digits (province), the 10 digits.
_CARD_NUMBER = re.compile(r"^(\d{10}|[A-Z]{2}\d{13})$")

MOVED_REASON = gettext_noop("Moved to another commune")
CONSENT_WITHDRAWN_REASON = gettext_noop("Consent withdrawn")
ANONYMISED_REASON = gettext_noop("Anonymised at the person's request")


class EldersError(ValidationError):
    """A rule of the register was broken; views show it next to the field."""


@dataclass(frozen=True)
class Consent:
    """Consent to keep sensitive data, with its legal basis, as recorded by staff."""

    on: datetime.date
    method: str
    basis: str = OlderPerson.LegalBasis.CONSENT


def today() -> datetime.date:
    return timezone.localdate()


def normalise_card(text: str | None) -> str:
    """A card number as printed, without spaces or dashes, letters in capitals."""
    return re.sub(r"[\s\-.]", "", text or "").upper()


def card_number_ok(text: str) -> bool:
    return bool(_CARD_NUMBER.match(text))


def has_sensitive_data(person: OlderPerson) -> bool:
    return bool(
        person.ethnicity
        or person.has_disability
        or person.insurance_number
        or person.insurance_expiry
    )


# --- Checks (also used by the forms and the import) ------------------------------------------


def check_person(values: dict[str, Any], *, day: datetime.date | None = None) -> dict[str, str]:
    """The problems of an older person's values, as {field: message} (empty when none)."""
    day = day or today()
    errors: dict[str, str] = {}
    birth_date = values.get("birth_date")
    birth_year = values.get("birth_year")
    if birth_date and birth_date > day:
        errors["birth_date"] = _("The date of birth cannot be in the future.")
    elif birth_date and birth_year and birth_date.year != birth_year:
        errors["birth_year"] = _("The year of birth does not match the date of birth.")
    year = birth_date.year if birth_date else birth_year
    if not year:
        errors.setdefault("birth_year", _("Enter the date of birth or at least the year."))
    elif "birth_date" not in errors:
        age = day.year - year
        if year > day.year:
            errors["birth_year"] = _("The year of birth cannot be in the future.")
        elif age < settings.ISHC_OLDER_AGE:
            errors["birth_year"] = _(
                "This person is %(age)s: the register holds people aged %(min)s and over."
            ) % {"age": age, "min": settings.ISHC_OLDER_AGE}
        elif (values.get("died_on") or day).year - year > MAX_AGE:
            # Counted to the death, for someone who died long ago.
            errors["birth_year"] = _(
                "This person would be %(age)s: check the year of birth (at most %(max)s years)."
            ) % {"age": (values.get("died_on") or day).year - year, "max": MAX_AGE}
    died_on = values.get("died_on")
    if died_on:
        if died_on > day:
            errors["died_on"] = _("The date of death cannot be in the future.")
        elif (birth_date and died_on < birth_date) or (year and died_on.year < year):
            errors["died_on"] = _("The date of death cannot be before the date of birth.")
    number = values.get("insurance_number") or ""
    if number and not card_number_ok(number):
        errors["insurance_number"] = _(
            "Enter the 10-digit social-insurance number printed on the card, or the older "
            "15-character code (2 letters and 13 digits, e.g. HT3010123456789)."
        )
    expiry = values.get("insurance_expiry")
    if expiry:
        latest = day.replace(year=day.year + MAX_CARD_YEARS, day=min(day.day, 28))
        if not EARLIEST_CARD_EXPIRY <= expiry <= latest:
            errors["insurance_expiry"] = _(
                "A card's expiry date lies between %(first)s and %(last)s: check the date."
            ) % {
                "first": EARLIEST_CARD_EXPIRY.strftime("%d/%m/%Y"),
                "last": latest.strftime("%d/%m/%Y"),
            }
        elif not number:
            errors["insurance_number"] = _("Enter the card number with its expiry date.")
    return errors


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise EldersError(errors)


def _apply(person: OlderPerson, fields: dict[str, Any], *, by: User) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    if not privacy.may_see(by, privacy.SENSITIVE):
        fields = {k: v for k, v in fields.items() if k not in SENSITIVE_FIELDS}
    for name, value in fields.items():
        setattr(person, name, value)
    if person.insurance_number:
        person.insurance_number = normalise_card(person.insurance_number)
    if person.birth_date:
        person.birth_year = person.birth_date.year


def _record_consent(person: OlderPerson, consent: Consent | None, *, by: User) -> None:
    if consent is not None and person.consent_on is None:
        person.consent_on = consent.on
        person.consent_method = consent.method
        person.legal_basis = consent.basis
        person.consent_recorded_by = by
    if has_sensitive_data(person) and (person.consent_on is None or not person.legal_basis):
        raise EldersError(
            {
                "consent_given": _(
                    "Record the person's consent and its legal basis before saving ethnicity, "
                    "disability or the health-insurance card."
                )
            },
            code="consent",
        )


def _save(person: OlderPerson, *, by: User | None, reason: str = "") -> OlderPerson:
    person._history_user = by
    if reason:
        person._change_reason = reason
    _raise(
        check_person(
            {
                "birth_date": person.birth_date,
                "birth_year": person.birth_year,
                "died_on": person.died_on,
                "insurance_number": person.insurance_number,
                "insurance_expiry": person.insurance_expiry,
            }
        )
    )
    try:
        person.full_clean(exclude=["search_name", "member"])
    except ValidationError as exc:
        raise EldersError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
    person.save()
    return person


def require_staff(user: User) -> None:
    """The register is written by the association's staff (a club's leaders read it)."""
    if not (scoping.can_write(user) and scoping.is_staff_role(user)):
        raise PermissionDenied


def _check_commune(commune: Area, by: User, field: str = "commune") -> None:
    if commune.level != Area.Level.COMMUNE:
        raise EldersError({field: _("Choose a commune.")})
    if not scoping.areas_for(by).filter(pk=commune.pk).exists():
        raise EldersError({field: _("Choose a commune in your area.")})


# --- The register ----------------------------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    commune: Area,
    fields: dict[str, Any],
    consent: Consent | None = None,
    member: Member | None = None,
    by: User,
) -> OlderPerson:
    """Adds an older person to a commune's register (linked to a club member if given: the
    member's own fields are then taken from the member record)."""
    _check_commune(commune, by)
    person = OlderPerson(commune=commune)
    _apply(person, fields, by=by)
    if member is not None:
        _check_member(person, member)
        person.member = member
        _pull(person, member)
    _record_consent(person, consent, by=by)
    _save(person, by=by)
    if member is not None:
        push_to_member(person, by=by)
    return person


@transaction.atomic
def person_update(
    *, person: OlderPerson, fields: dict[str, Any], consent: Consent | None = None, by: User
) -> OlderPerson:
    """Changes an older person's details; for a club member the shared fields are written to
    the member record too (one change, both records, one transaction)."""
    person = OlderPerson.objects.select_for_update().get(pk=person.pk)
    _apply(person, fields, by=by)
    _record_consent(person, consent, by=by)
    _save(person, by=by)
    if person.member_id:
        push_to_member(person, by=by)
    return person


def _check_member(person: OlderPerson, member: Member) -> None:
    if member.club.commune_id != person.commune_id:
        raise EldersError({"member": _("Choose a member of a club in this commune.")})
    if OlderPerson.objects.filter(member=member).exclude(pk=person.pk).exists():
        raise EldersError({"member": _("This member is already on the register.")})


@transaction.atomic
def person_link(*, person: OlderPerson, member: Member, by: User) -> OlderPerson:
    """The older person is this club member: the member record's fields win for what both
    hold, and a consent recorded on either side is kept on both."""
    person = OlderPerson.objects.select_for_update().get(pk=person.pk)
    member = Member.objects.select_related("club").get(pk=member.pk)
    _check_member(person, member)
    if person.consent_on and member.consent_on is None:
        # The member record gets the consent the register holds, so nothing is lost.
        members_services.member_update(
            member=member,
            fields={},
            consent=members_services.Consent(
                on=person.consent_on, method=person.consent_method or Member.ConsentMethod.PAPER
            ),
            by=by,
        )
        member.refresh_from_db()
    person.member = member
    _pull(person, member)
    return _save(person, by=by)


def _pull(person: OlderPerson, member: Member) -> bool:
    """Copies the member's shared fields onto ``person``; True if anything changed."""
    changed = False
    values = {name: getattr(member, name) for name in SHARED_FIELDS}
    if member.consent_on is not None and person.consent_on is None:
        values.update(
            consent_on=member.consent_on,
            consent_method=member.consent_method,
            legal_basis=OlderPerson.LegalBasis.CONSENT,
            consent_recorded_by=member.consent_recorded_by,
        )
    if member.lives_alone:
        values["living"] = OlderPerson.Living.ALONE
    elif person.living == OlderPerson.Living.ALONE:
        values["living"] = ""
    for name, value in values.items():
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed = True
    return changed


def push_to_member(person: OlderPerson, *, by: User) -> None:
    """Writes the shared fields to the linked member record through the members' service."""
    member = Member.objects.get(pk=person.member_id or 0)
    fields = {name: getattr(person, name) for name in SHARED_FIELDS}
    fields["lives_alone"] = person.living == OlderPerson.Living.ALONE
    fields["has_health_insurance"] = person.insurance_valid_on(today())
    changed = {k: v for k, v in fields.items() if getattr(member, k) != v}
    consent = None
    if member.consent_on is None and person.consent_on is not None:
        consent = members_services.Consent(
            on=person.consent_on, method=person.consent_method or Member.ConsentMethod.PAPER
        )
    if not changed and consent is None:
        return
    try:
        members_services.member_update(member=member, fields=changed, consent=consent, by=by)
    except members_services.MembersError as exc:
        raise EldersError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc


def sync_from_member(member: Member) -> None:
    """A club member's record changed: the linked older person follows (called by
    ``elders.signals`` on every save of a member). A member without consent any more takes
    the person's sensitive data with it."""
    person = OlderPerson.objects.filter(member=member).first()
    if person is None:
        return
    changed = _pull(person, member)
    if member.consent_on is None and person.consent_on is not None:
        _erase_sensitive(person)
        changed = True
    if getattr(member, "_change_reason", "") == members_services.ANONYMISED_REASON:
        # The person asked to be forgotten: the register forgets them too.
        _erase_personal(person, name=member.full_name)
        changed = True
    if changed:
        person._history_user = getattr(member, "_history_user", None)
        person.save()


def _empty(name: str) -> Any:
    field = OlderPerson._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is not a field of OlderPerson")
    if field.null:
        return None
    if field.has_default():
        return field.get_default()
    return ""


def _erase_personal(person: OlderPerson, *, name: str) -> None:
    """Every personal field of ``person`` emptied (the name becomes ``name``), in the record
    and in every row of its history; sex and year of birth stay for the figures."""
    values = {field: _empty(field) for field in privacy.fields_of("elders.OlderPerson")}
    values["full_name"] = name
    values["search_name"] = fold(name)
    for field, value in values.items():
        setattr(person, field, value)
    for field in ("consent_on", "consent_method", "legal_basis", "consent_recorded_by"):
        setattr(person, field, _empty(field))
    person._change_reason = ANONYMISED_REASON
    OlderPerson.history.model.objects.filter(id=person.pk).update(**values)


def _erase_sensitive(person: OlderPerson) -> None:
    blank = {
        "ethnicity": "",
        "has_disability": False,
        "insurance_number": "",
        "insurance_expiry": None,
    }
    for name, value in blank.items():
        setattr(person, name, value)
    person.consent_on = None
    person.consent_method = ""
    person.legal_basis = ""
    person.consent_recorded_by = None
    person._change_reason = CONSENT_WITHDRAWN_REASON
    OlderPerson.history.model.objects.filter(id=person.pk).update(**blank)


@transaction.atomic
def consent_withdraw(*, person: OlderPerson, by: User) -> OlderPerson:
    """The person withdraws consent: the sensitive fields are erased from the record and its
    history (and from the member record, when linked)."""
    person = OlderPerson.objects.select_for_update().get(pk=person.pk)
    if person.member_id:
        members_services.consent_withdraw(member=Member.objects.get(pk=person.member_id), by=by)
        person.refresh_from_db()
    _erase_sensitive(person)
    person._history_user = by
    person.save()
    OlderPerson.history.model.objects.filter(id=person.pk).update(
        ethnicity="", has_disability=False, insurance_number="", insurance_expiry=None
    )
    return person


@transaction.atomic
def person_move(
    *, person: OlderPerson, to_commune: Area, on: datetime.date, reason: str, by: User
) -> OlderPersonMove:
    """The person moves to another commune: the record goes with them, with its history,
    celebrations and support; the move is recorded. A link to a club member of the old
    commune is ended (the member record stays with its club)."""
    person = OlderPerson.objects.select_for_update().get(pk=person.pk)
    _check_commune(to_commune, by, "to_commune")
    if to_commune.pk == person.commune_id:
        raise EldersError({"to_commune": _("The person already lives in this commune.")})
    if on > today():
        raise EldersError({"on": _("The date cannot be in the future.")})
    move = OlderPersonMove.objects.create(
        person=person,
        from_commune_id=person.commune_id,
        to_commune=to_commune,
        moved_on=on,
        reason=reason.strip()[:200],
        by=by,
    )
    person.commune = to_commune
    person.member = None
    _save(person, by=by, reason=MOVED_REASON)
    return move


# --- Care funds: celebrations and support -----------------------------------------------------


def care_funds_for(person: OlderPerson, user: User) -> Any:
    """The care funds that may pay a person, in the user's scope: the association's of their
    commune or province, or a care fund kept by a club of their commune."""
    commune = person.commune
    return (
        scoping.for_user(Fund, user)
        .filter(kind=Fund.Kind.CARE)
        .filter(
            Q(owner_area_id__in=[commune.pk, commune.province_id]) | Q(club__commune_id=commune.pk)
        )
        .order_by("name", "pk")
    )


def _pay(
    *,
    person: OlderPerson,
    fund: Fund,
    amount: int,
    date: datetime.date,
    category: str,
    note: str,
    by: User,
) -> LedgerEntry:
    if not care_funds_for(person, by).filter(pk=fund.pk).exists():
        raise EldersError({"fund": _("Choose a care fund of the person's commune or province.")})
    try:
        return funds_services.entry_record(
            fund=fund,
            date=date,
            amount=amount,
            direction=LedgerEntry.Direction.OUT,
            category=category,
            by=by,
            payer=person.full_name,
            note=note,
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"fund": exc.messages}
        # The funds' "date" and "amount" are this form's too; the rest is about the fund.
        raise EldersError(
            {k if k in ("date", "amount") else "fund": v for k, v in errors.items()}
        ) from exc


def _check_alive(person: OlderPerson, day: datetime.date, field: str) -> None:
    if person.died_on and person.died_on < day:
        raise EldersError(
            {
                field: _("%(name)s died on %(day)s, before this date.")
                % {"name": person.full_name, "day": person.died_on.strftime("%d/%m/%Y")}
            }
        )


@transaction.atomic
def celebration_record(
    *,
    person: OlderPerson,
    year: int,
    occasion: str,
    held_on: datetime.date,
    given_by: str,
    gift: str = "",
    gift_value: int = 0,
    fund: Fund | None = None,
    by: User,
) -> LongevityCelebration:
    """Records a longevity celebration held for ``person`` in ``year``; with a ``fund`` the
    gift's value is paid from that care fund in the same transaction (refused when the fund
    lacks the money or the month is locked)."""
    person = OlderPerson.objects.select_for_update().select_related("commune").get(pk=person.pk)
    milestone = milestone_for(person.age_in(year))
    if milestone is None:
        raise EldersError(
            {
                "year": _(
                    "%(name)s is %(age)s in %(year)s: longevity is celebrated at 70, 75, 80, 85, "
                    "90, 95 and from 100."
                )
                % {"name": person.full_name, "age": person.age_in(year), "year": year}
            }
        )
    if held_on > today():
        raise EldersError({"held_on": _("The date cannot be in the future.")})
    if held_on.year not in (year, year - 1, year + 1):
        raise EldersError({"held_on": _("The date must fall in the celebration's year.")})
    _check_alive(person, held_on, "held_on")
    if isinstance(gift_value, bool) or not 0 <= gift_value <= MAX_GIFT_VND:
        raise EldersError(
            {
                "gift_value": _("A gift is worth at most %(max)s ₫: check the amount.")
                % {"max": thousands(MAX_GIFT_VND)}
            }
        )
    if LongevityCelebration.objects.filter(person=person, year=year).exists():
        raise EldersError({"year": _("A celebration is already recorded for this year.")})
    entry = None
    if fund is not None:
        if not gift_value:
            raise EldersError({"gift_value": _("Enter the gift's value to pay it from the fund.")})
        entry = _pay(
            person=person,
            fund=fund,
            amount=gift_value,
            date=held_on,
            category=LedgerEntry.Category.ACTIVITY,
            # The name is the entry's payee (hidden from viewers); the note says what for.
            note=_("Longevity celebration %(age)s") % {"age": milestone},
            by=by,
        )
    celebration = LongevityCelebration(
        person=person,
        year=year,
        milestone=milestone,
        occasion=occasion,
        held_on=held_on,
        given_by=given_by,
        gift=gift.strip()[:200],
        gift_value=gift_value,
        entry=entry,
        created_by=by,
    )
    celebration._history_user = by
    try:
        celebration.full_clean()
    except ValidationError as exc:
        raise EldersError(exc.message_dict) from exc
    celebration.save()
    return celebration


@transaction.atomic
def support_pay(
    *,
    person: OlderPerson,
    fund: Fund,
    amount: int,
    date: datetime.date,
    purpose: str,
    note: str = "",
    by: User,
) -> CareSupport:
    """Pays support to a named older person from a care fund: one ledger outflow and the
    record of its purpose, together or not at all."""
    person = OlderPerson.objects.select_related("commune").get(pk=person.pk)
    if purpose not in CareSupport.Purpose.values:
        raise EldersError({"purpose": _("Choose a purpose.")})
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise EldersError({"amount": _("The amount must be greater than zero.")})
    if amount > MAX_SUPPORT_VND:
        raise EldersError(
            {
                "amount": _("Support to one person is at most %(max)s ₫: check the amount.")
                % {"max": thousands(MAX_SUPPORT_VND)}
            }
        )
    # Funeral support is paid after the death; anything else only to the living.
    if purpose != CareSupport.Purpose.FUNERAL:
        _check_alive(person, date, "date")
    label = CareSupport.Purpose(purpose).label
    entry = _pay(
        person=person,
        fund=fund,
        amount=amount,
        date=date,
        category=LedgerEntry.Category.HARDSHIP,
        # The name is the entry's payee (hidden from viewers); the note says what for.
        note=str(label) + (f" – {note.strip()}" if note.strip() else ""),
        by=by,
    )
    support = CareSupport(person=person, entry=entry, purpose=purpose, created_by=by)
    support._history_user = by
    support.save()
    return support


@transaction.atomic
def support_pay_list(
    *,
    persons: list[OlderPerson],
    fund: Fund,
    amount: int,
    date: datetime.date,
    purpose: str,
    note: str = "",
    by: User,
) -> list[CareSupport]:
    """Pays the same support to every person of a list (Tết gifts to a beneficiary list): one
    ledger entry a person, all in one transaction, or nothing."""
    if not persons:
        raise EldersError({"persons": _("Nobody on the list.")})
    if len(persons) > settings.ISHC_MAX_BENEFICIARIES:
        raise EldersError(
            {
                "persons": _("A list holds at most %(max)s people: narrow it down.")
                % {"max": thousands(settings.ISHC_MAX_BENEFICIARIES)}
            }
        )
    seen: set[int] = set()
    for person in persons:
        if person.pk in seen:
            raise EldersError(
                {"persons": _("%(name)s is twice on the list.") % {"name": person.full_name}}
            )
        seen.add(person.pk)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise EldersError({"amount": _("The amount must be greater than zero.")})
    total = amount * len(persons)
    # Locked for the whole list: another payment from the fund waits until this one is done.
    locked = Fund.objects.select_for_update().get(pk=fund.pk)
    if total > locked.balance:
        raise EldersError(
            {
                "amount": _(
                    "The list needs %(total)s ₫ but %(fund)s holds %(balance)s ₫: nothing was paid."
                )
                % {
                    "total": thousands(total),
                    "fund": locked.name,
                    "balance": thousands(locked.balance),
                }
            }
        )
    return [
        support_pay(
            person=person,
            fund=locked,
            amount=amount,
            date=date,
            purpose=purpose,
            note=note,
            by=by,
        )
        for person in persons
    ]


# --- Receipts into a care fund ---------------------------------------------------------------

# A receipt's ledger category by its source.
RECEIPT_CATEGORY = {
    CareReceipt.Source.MEMBERS: LedgerEntry.Category.DONATION,
    CareReceipt.Source.BUSINESSES: LedgerEntry.Category.DONATION,
    CareReceipt.Source.INDIVIDUALS: LedgerEntry.Category.DONATION,
    CareReceipt.Source.BUDGET: LedgerEntry.Category.GOVERNMENT,
    CareReceipt.Source.OTHER: LedgerEntry.Category.OTHER,
}


@transaction.atomic
def receipt_record(
    *,
    fund: Fund,
    date: datetime.date,
    amount: int,
    source: str,
    donor: str,
    note: str = "",
    by: User,
) -> CareReceipt:
    """Money received into an association's care fund: one ledger inflow (through the funds
    services: the month lock and the voucher number) and its source and donor, together or
    not at all."""
    require_staff(by)
    if fund.kind != Fund.Kind.CARE or fund.owner_area_id is None:
        raise EldersError({"fund": _("Choose an association's care fund.")})
    if not scoping.for_user(Fund, by).filter(pk=fund.pk).exists():
        raise EldersError({"fund": _("Choose a care fund in your area.")})
    if source not in CareReceipt.Source.values:
        raise EldersError({"source": _("Choose where the money came from.")})
    donor = donor.strip()
    if not donor:
        raise EldersError({"donor": _("Say who gave the money.")})
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise EldersError({"amount": _("The amount must be greater than zero.")})
    try:
        entry = funds_services.entry_record(
            fund=fund,
            date=date,
            amount=amount,
            direction=LedgerEntry.Direction.IN,
            category=RECEIPT_CATEGORY[CareReceipt.Source(source)],
            by=by,
            payer=donor[:200],
            note=note.strip(),
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"fund": exc.messages}
        raise EldersError(
            {k if k in ("date", "amount", "note") else "fund": v for k, v in errors.items()}
        ) from exc
    receipt = CareReceipt(
        entry=entry, area_id=fund.owner_area_id, source=source, donor=donor[:200], created_by=by
    )
    receipt.save()
    return receipt


# --- Care-fund plans -------------------------------------------------------------------------


@transaction.atomic
def plan_save(*, plan: CareFundPlan, by: User) -> CareFundPlan:
    """Creates or updates a commune's (or the province association's own) care-fund plan for a
    year. The figures are checked by the model (not negative, at most ``MAX_PLAN_VND``, one
    plan per association and year)."""
    require_staff(by)
    area = Area.objects.filter(pk=plan.area_id).first()
    if area is None or area.level not in (Area.Level.COMMUNE, Area.Level.PROVINCE):
        raise EldersError({"area": _("Choose a commune or a province.")})
    if not scoping.areas_for(by).filter(pk=area.pk).exists():
        raise EldersError({"area": _("Choose a commune in your area.")})
    plan.updated_by = by
    plan._history_user = by
    try:
        plan.full_clean()
    except ValidationError as exc:
        raise EldersError(exc.message_dict) from exc
    plan.save()
    return plan
