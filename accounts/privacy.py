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
from typing import TYPE_CHECKING

from accounts.models import Role

if TYPE_CHECKING:
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


def small_count(user: Viewer, count: int | None) -> int | None:
    """``count`` as ``user`` may see it: None (shown as "< 5") when a viewer would see a group
    small enough to point to individuals (1 to MIN_GROUP - 1 people)."""
    if count is None or may_see_people(user):
        return count
    return None if 0 < count < MIN_GROUP else count
