"""Blood-pressure and weight readings: what is plausible, what is high, what is very high.

The one place these numbers live: forms, services, the record sheet, the monthly report's
figures and the dashboards' summaries all read them from here. So does the rule that a reading
is kept only for a member who consented to health data (``consent_refusal``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

# Plausible ranges for readings taken at a meeting; anything outside is a typing mistake.
SYSTOLIC_RANGE = (60, 260)
DIASTOLIC_RANGE = (30, 160)
WEIGHT_RANGE = (20, 200)
# "High" (hypertension screening threshold) and "unusual" (check again / refer) readings.
HIGH_SYSTOLIC, HIGH_DIASTOLIC = 140, 90
UNUSUAL_SYSTOLIC, UNUSUAL_DIASTOLIC = 180, 110


def reading_errors(
    systolic: int | None, diastolic: int | None, weight: Decimal | float | None
) -> dict[str, str]:
    """Field -> message for an implausible reading (empty when the reading is plausible)."""
    errors: dict[str, str] = {}
    if (systolic is None) != (diastolic is None):
        field = "diastolic" if diastolic is None else "systolic"
        errors[field] = gettext("Enter both blood-pressure numbers (systolic and diastolic).")
    if systolic is not None and not SYSTOLIC_RANGE[0] <= systolic <= SYSTOLIC_RANGE[1]:
        errors["systolic"] = gettext(
            "Systolic pressure must be between %(low)s and %(high)s mmHg."
        ) % {"low": SYSTOLIC_RANGE[0], "high": SYSTOLIC_RANGE[1]}
    if diastolic is not None and not DIASTOLIC_RANGE[0] <= diastolic <= DIASTOLIC_RANGE[1]:
        errors["diastolic"] = gettext(
            "Diastolic pressure must be between %(low)s and %(high)s mmHg."
        ) % {"low": DIASTOLIC_RANGE[0], "high": DIASTOLIC_RANGE[1]}
    if (
        systolic is not None
        and diastolic is not None
        and "diastolic" not in errors
        and "systolic" not in errors
        and diastolic >= systolic
    ):
        errors["diastolic"] = gettext("Diastolic pressure must be lower than systolic pressure.")
    if weight is not None and not WEIGHT_RANGE[0] <= weight <= WEIGHT_RANGE[1]:
        errors["weight"] = gettext("Weight must be between %(low)s and %(high)s kg.") % {
            "low": WEIGHT_RANGE[0],
            "high": WEIGHT_RANGE[1],
        }
    return errors


def has_health_consent(member: Any) -> bool:
    """Whether readings of ``member`` may be kept: health data are sensitive (Decree 356/2025)
    and need the member's recorded consent; a withdrawal deletes the readings."""
    return member.consent_on is not None


def consent_refusal() -> str:
    """Why a reading of a member without consent is refused (beside the field, in words)."""
    return gettext(
        "This member has not agreed to their health data being kept: readings cannot be "
        "recorded. Record the consent on the member's page first."
    )


def is_high(systolic: int | None, diastolic: int | None) -> bool:
    return bool(
        (systolic and systolic >= HIGH_SYSTOLIC) or (diastolic and diastolic >= HIGH_DIASTOLIC)
    )


def is_unusual(systolic: int | None, diastolic: int | None) -> bool:
    return bool(
        (systolic and systolic >= UNUSUAL_SYSTOLIC)
        or (diastolic and diastolic >= UNUSUAL_DIASTOLIC)
    )


# Members whose reading is high, as a filter on HealthCheck rows (SQL aggregates use it).
HIGH_Q = Q(systolic__gte=HIGH_SYSTOLIC) | Q(diastolic__gte=HIGH_DIASTOLIC)
