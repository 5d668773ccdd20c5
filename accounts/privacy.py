"""Personal data: the one declaration of which fields are personal, and who may see them.

Every page, export, import preview, chart, admin view and API asks here; nothing else decides
whether a personal field is shown. The law behind it: the Personal Data Protection Law
91/2025/QH15 and Decree 356/2025/NĐ-CP (from 1 January 2026). ``docs/privacy.md`` says the
same in prose, in Vietnamese and English.

Categories, from least to most guarded:

- **identity**: who a person is (name, village). Shown to the people who work with them: the
  club's leaders and association staff of the area. Viewers never see named people.
- **contact**: how to reach or pin down a person (phone, e-mail, full date of birth).
- **sensitive** (Decree 356/2025): ethnicity, health (readings, disability, care needs,
  health insurance).
- **high_risk**: what can harm a person if it leaks: household poverty status, living alone,
  loans and repayments, care received.

Roles: the club's leaders and association staff of the area (admin, provincial, commune) see
every category of the people in their scope; a viewer (read-only) sees none: aggregates only,
and an aggregate of fewer than ``MIN_GROUP`` people is suppressed for them.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy

from accounts.models import Role

if TYPE_CHECKING:
    from collections.abc import Sized

    from django.db import models
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from accounts.scoping import Viewer


class Category(StrEnum):
    IDENTITY = "identity"
    CONTACT = "contact"
    SENSITIVE = "sensitive"
    HIGH_RISK = "high_risk"


IDENTITY, CONTACT, SENSITIVE, HIGH_RISK = (
    Category.IDENTITY,
    Category.CONTACT,
    Category.SENSITIVE,
    Category.HIGH_RISK,
)

# Model label -> field -> category. A field that is not listed is not personal (or is a count).
PERSONAL_FIELDS: dict[str, dict[str, Category]] = {
    "members.Member": {
        "full_name": IDENTITY,
        "search_name": IDENTITY,
        "village": IDENTITY,
        "phone": CONTACT,
        "email": CONTACT,
        "birth_date": CONTACT,
        "ethnicity": SENSITIVE,
        "ethnicity_note": SENSITIVE,
        "has_disability": SENSITIVE,
        "needs_care": SENSITIVE,
        "has_health_insurance": SENSITIVE,
        "household_status": HIGH_RISK,
        "lives_alone": HIGH_RISK,
    },
    "members.CareAssignment": {"volunteer": IDENTITY, "recipient": HIGH_RISK},
    "month.HealthCheck": {
        "member": IDENTITY,
        "systolic": SENSITIVE,
        "diastolic": SENSITIVE,
        "weight": SENSITIVE,
    },
    "month.HomeCareVisit": {
        "volunteer": IDENTITY,
        "recipient": HIGH_RISK,
        "services": HIGH_RISK,
        "note": HIGH_RISK,
    },
    "month.Attendance": {"member": IDENTITY},
    "funds.Loan": {
        "borrower": HIGH_RISK,
        "principal": HIGH_RISK,
        "purpose": HIGH_RISK,
        "monthly_rate": HIGH_RISK,
    },
    "funds.Repayment": {"amount": HIGH_RISK, "principal": HIGH_RISK, "interest": HIGH_RISK},
    "funds.Contribution": {"member": IDENTITY},
    "funds.LedgerEntry": {"member": IDENTITY, "payer": IDENTITY},
    "trainings.Participant": {
        "full_name": IDENTITY,
        "search_name": IDENTITY,
        "phone": CONTACT,
        "ethnicity": SENSITIVE,
    },
    # An upload of the member list keeps its parsed rows (every column of the sheet) and the
    # problems found in them (which name the rows) until it is committed.
    "members.ImportJob": {"rows": HIGH_RISK, "problems": IDENTITY},
    "month.Reminder": {"member": IDENTITY, "address": CONTACT, "text": IDENTITY},
    # A campaign's gifts name the older people who received them (often in hardship); a
    # commendation names the person honoured; a donor may be a private person.
    "campaigns.CampaignGift": {
        "member": IDENTITY,
        "older_person": IDENTITY,
        "person_name": IDENTITY,
        "village": IDENTITY,
    },
    "campaigns.CampaignReceipt": {"donor": IDENTITY},
    "elders.CareReceipt": {"donor": IDENTITY},
    "campaigns.Commendation": {"member": IDENTITY, "person_name": IDENTITY},
    # An association's committee: who sits on it, and how to reach them.
    "association.CommitteeMember": {
        "full_name": IDENTITY,
        "search_name": IDENTITY,
        "member": IDENTITY,
        "phone": CONTACT,
        "birth_year": CONTACT,
    },
    "association.Branch": {"leader_name": IDENTITY},
    "association.FoundingStep": {"responsible": IDENTITY},
    "elders.OlderPerson": {
        "full_name": IDENTITY,
        "search_name": IDENTITY,
        "village": IDENTITY,
        "address": CONTACT,
        "phone": CONTACT,
        "birth_date": CONTACT,
        "ethnicity": SENSITIVE,
        "has_disability": SENSITIVE,
        "insurance_number": SENSITIVE,
        "insurance_expiry": SENSITIVE,
        "household_status": HIGH_RISK,
        "living": HIGH_RISK,
        "support": HIGH_RISK,
    },
    "elders.CareSupport": {"person": IDENTITY, "purpose": HIGH_RISK},
    "elders.LongevityCelebration": {"person": IDENTITY},
    "elders.OlderPersonImport": {"rows": HIGH_RISK, "problems": IDENTITY},
}

# Aggregates over fewer people than this are suppressed for viewers: a "2" beside a small
# group can point to the individuals.
MIN_GROUP = 5

_EVERY_CATEGORY = frozenset(Category)
_PEOPLE_ROLES = frozenset({Role.ADMIN, Role.PROVINCE, Role.COMMUNE, Role.CLUB_LEADER})


def _role(user: Viewer) -> str | None:
    from accounts.scoping import effective_role

    return effective_role(user)


def categories_for(user: Viewer) -> frozenset[Category]:
    """The categories of personal data ``user`` may see of the people in their scope."""
    return _EVERY_CATEGORY if _role(user) in _PEOPLE_ROLES else frozenset()


def may_see(user: Viewer, category: Category) -> bool:
    return category in categories_for(user)


def may_see_people(user: Viewer) -> bool:
    """Whether ``user`` may see named people at all (viewers see aggregates only)."""
    return may_see(user, IDENTITY)


def fields_of(model_label: str, *categories: Category) -> frozenset[str]:
    """The fields of a model in the given categories (all personal fields when none given)."""
    wanted = set(categories) or set(Category)
    return frozenset(
        name for name, cat in PERSONAL_FIELDS.get(model_label, {}).items() if cat in wanted
    )


def hidden_fields(user: Viewer, model_label: str) -> frozenset[str]:
    """The personal fields of ``model_label`` that ``user`` may not see."""
    allowed = categories_for(user)
    return frozenset(
        name for name, cat in PERSONAL_FIELDS.get(model_label, {}).items() if cat not in allowed
    )


def about_people(model: type[models.Model]) -> bool:
    """Whether a row of ``model`` is about a named person: the declaration lists fields of it,
    or one of its foreign keys points at a model it lists (a board seat, a repayment's loan)."""
    if model._meta.label in PERSONAL_FIELDS:
        return True
    return any(
        field.is_relation
        and (field.many_to_one or field.one_to_one)
        and field.related_model is not None
        and not isinstance(field.related_model, str)
        and field.related_model._meta.label in PERSONAL_FIELDS
        for field in model._meta.fields
    )


def hidden_model_fields(user: Viewer, model: type[models.Model]) -> frozenset[str]:
    """``hidden_fields`` of ``model``, and for a user who may not see named people also its
    relations to them: a foreign key or many-to-many to a model the declaration lists shows
    that person's name (an activity's participants)."""
    hidden = hidden_fields(user, model._meta.label)
    if may_see_people(user):
        return hidden
    return hidden | frozenset(
        field.name
        for field in model._meta.get_fields()
        if field.concrete
        and field.is_relation
        and field.related_model is not None
        and not isinstance(field.related_model, str)
        and field.related_model._meta.label in PERSONAL_FIELDS
    )


def small_count(user: Viewer, count: int | None) -> int | None:
    """``count`` as ``user`` may see it: None (shown as "< 5") when a viewer would see a group
    small enough to point to individuals (1 to MIN_GROUP - 1 people)."""
    if count is None or may_see_people(user):
        return count
    return None if 0 < count < MIN_GROUP else count


# --- The declaration applied: pages, files and figures -------------------------------------

# What a user who sees aggregates only reads on a page of named people (403).
PEOPLE_ONLY_MESSAGE = gettext_lazy(
    "This page shows people by name. Your role sees figures only (counts, never names): "
    "the club's leaders and the association staff of the area see the people."
)


def require_people(user: Viewer, *categories: Category) -> None:
    """A page, file or list of named people (showing ``categories`` of them besides who they
    are): 403 with ``PEOPLE_ONLY_MESSAGE`` for a user who may not see them. Call it after the
    object was fetched through the door, so that an outsider still gets 404."""
    allowed = categories_for(user)
    if IDENTITY not in allowed or not allowed.issuperset(categories):
        raise PermissionDenied(PEOPLE_ONLY_MESSAGE)


def below_group(count: int | None) -> bool:
    """A group of 1 to ``MIN_GROUP`` - 1 people: small enough to point to individuals."""
    return count is not None and 0 < count < MIN_GROUP


class Suppressed:
    """A count a user may not see because the group is too small: it reads "< 5" on a page
    and in a file, is no number (arithmetic on it fails loudly) and is truthy."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"< {MIN_GROUP}"

    def __repr__(self) -> str:
        return "SUPPRESSED"


SUPPRESSED = Suppressed()


def shown_count(user: Viewer, count: int | Suppressed | None) -> int | Suppressed | None:
    """``small_count`` ready to show: the count, or ``SUPPRESSED`` where it is hidden (a
    count already suppressed stays so)."""
    if isinstance(count, Suppressed):
        return count
    shown = small_count(user, count)
    return SUPPRESSED if shown is None and count is not None else shown


def group_count(count: int | None, *, sees_everyone: bool) -> int | Suppressed | None:
    """A count of people grouped by a sensitive field (participants by ethnicity) on a page
    that also names some of them: shown whole only to those who see every person behind it,
    suppressed below ``MIN_GROUP`` for anyone else (a leader who sees their own club's
    people, a viewer)."""
    return SUPPRESSED if not sees_everyone and below_group(count) else count


def fold_small_groups(
    rows: list[dict[str, Any]], *, key: str, other: Any, sees_everyone: bool
) -> list[dict[str, Any]]:
    """Counts of people by a sensitive field (``rows`` of {key: group, "n": count}) as a page
    may show them: whole to those who see every person behind them; for anyone else the
    groups of fewer than ``MIN_GROUP`` are folded into one row labelled ``other`` (their sum,
    itself suppressed when small), so that no small group is even named."""
    if sees_everyone:
        return rows
    kept = [r for r in rows if not below_group(r["n"])]
    small = sum(r["n"] for r in rows if below_group(r["n"]))
    if small:
        kept.append({key: other, "n": group_count(small, sees_everyone=False), "folded": True})
    return kept


def people_q(user: Viewer, *club_paths: str) -> Q:
    """The people of a list ``user`` may see by name, for a list whose rows are people
    reachable from an event or an area (a training's participants), each hanging off a club
    by one of ``club_paths`` ("member__club", "user__club"): association staff (and admins)
    see everyone in the list, a club's leader the people of their own club, a viewer nobody.
    """
    from accounts import scoping

    if not may_see_people(user):
        return scoping.NOTHING
    if scoping.is_staff_role(user):
        return Q()
    club_id = getattr(user, "club_id", None)
    if not club_id or not club_paths:
        return scoping.NOTHING
    q = Q()
    for path in club_paths:
        q |= Q(**{f"{path}_id": club_id})
    return q


def sees_everyone(user: Viewer) -> bool:
    """Whether ``people_q`` lets ``user`` see every person of such a list."""
    from accounts import scoping

    return may_see_people(user) and scoping.is_staff_role(user)


class PageAccess:
    """The declaration as a template reads it; the context processor puts one in every page
    as ``privacy``:

    - ``{% if privacy.people %}``: named people at all (``contact``, ``sensitive``,
      ``high_risk`` likewise for the other categories);
    - ``{% if privacy.show.member.phone %}``: one declared field (model name in lower case,
      then the field); a field the declaration does not list reads as hidden;
    - ``{{ n|people_count:privacy }}``: a count of people, "< 5" where it is suppressed.
    """

    def __init__(self, user: Viewer) -> None:
        self.user = user

    @cached_property
    def categories(self) -> frozenset[Category]:
        return categories_for(self.user)

    @property
    def people(self) -> bool:
        return IDENTITY in self.categories

    @property
    def contact(self) -> bool:
        return CONTACT in self.categories

    @property
    def sensitive(self) -> bool:
        return SENSITIVE in self.categories

    @property
    def high_risk(self) -> bool:
        return HIGH_RISK in self.categories

    @cached_property
    def show(self) -> dict[str, dict[str, bool]]:
        allowed = self.categories
        return {
            label.rsplit(".", 1)[1].lower(): {name: cat in allowed for name, cat in fields.items()}
            for label, fields in PERSONAL_FIELDS.items()
        }

    def count(self, count: int | Suppressed | None) -> int | Suppressed | None:
        return shown_count(self.user, count)


# --- The access log ------------------------------------------------------------------------
# A page or file that shows sensitive or high-risk fields of named people notes what it shows;
# ``accounts.access_log.AccessLogMiddleware`` writes the request's notes with one INSERT once
# the response is ready (docs/privacy.md, "Access log").

PAGE = "page"
DOWNLOAD = "download"
# The request attribute that collects the notes of one request.
ACCESS_NOTES = "ishc_access_notes"


class AccessNote(NamedTuple):
    subject: models.Model | QuerySet[Any] | str
    category: Category
    kind: str
    people: int | Sized | None  # ``count`` of note_access


def note_access(
    request: HttpRequest,
    subject: models.Model | QuerySet[Any] | str,
    category: Category,
    *,
    kind: str = PAGE,
    count: int | Sized | None = None,
) -> None:
    """Note that this request shows ``category`` fields of named people. No query here: the
    middleware writes every note of the request in one INSERT after the response, if the
    response is a success (2xx) and the user may see ``category`` at all.

    - ``subject``: whose data. The person (a member, a training participant), or for a list
      the club, meeting, training event or area it belongs to: the row is scoped through it
      (the staff of its province read it). A queryset or a model label ("members.Member")
      for a list with no such owner: only admins read those rows.
    - ``category``: the most guarded group of fields shown (``SENSITIVE``, ``HIGH_RISK``).
    - ``kind``: ``PAGE`` or ``DOWNLOAD``.
    - ``count``: how many people are shown: a number, or the page, list or queryset shown,
      counted after the response from what the page already fetched. A person's own page
      counts 1 without it; a list that shows nobody writes no row.
    """
    notes: list[AccessNote] = request.__dict__.setdefault(ACCESS_NOTES, [])
    notes.append(AccessNote(subject, Category(category), kind, count))
