"""Approved months are closed books.

Once the province approves a club's monthly report, the records the report was compiled from
(meetings, attendance, health checks, activities, home-care visits and, in the funds app,
ledger entries taken that month) may no longer change. Every write path asks here first:
services, model ``clean()`` (and so the admin) and deletes. Provincial staff can reopen a
month (``clubs.services_month.report_reopen``), which is recorded.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _club_id(club: Any) -> int | None:
    return club if isinstance(club, int) else getattr(club, "pk", None)


def is_month_locked(club: Any, day: datetime.date) -> bool:
    """Whether ``day`` falls in a month whose report for ``club`` (a Club or its id) is approved."""
    from clubs.models_month import MonthlyReport

    club_id = _club_id(club)
    if club_id is None or day is None:
        return False
    return MonthlyReport.objects.filter(
        club_id=club_id,
        year=day.year,
        month=day.month,
        status=MonthlyReport.Status.APPROVED,
    ).exists()


def locked_message(day: datetime.date) -> str:
    return _(
        "The report for %(month)s/%(year)s has been approved, so that month is locked: its "
        "records can no longer be changed. Ask provincial staff to reopen it."
    ) % {"month": f"{day.month:02d}", "year": day.year}


def assert_month_open(club: Any, day: datetime.date, *, field: str | None = None) -> None:
    """Raise a ValidationError (on ``field`` if given) when ``day``'s month is locked."""
    if is_month_locked(club, day):
        message = locked_message(day)
        raise ValidationError({field: message} if field else message, code="month_locked")
