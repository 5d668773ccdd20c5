"""Approved months are closed books (and the one other thing funds asks of month: the day of a
club's next meeting, ``next_meeting_day``).

Once the province approves a club's monthly report, the records the report was compiled from
(meetings, attendance, health checks, activities, home-care visits and, in the funds app,
ledger entries taken that month) may no longer change. Every write path asks here first:
services (the funds app's too), model ``clean()`` (and so the admin) and deletes. Provincial staff can reopen a
month (``month.services.report_reopen``), which is recorded.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from clubs.models import Club


def _club_id(club: Club | int | None) -> int | None:
    return club if isinstance(club, int) else getattr(club, "pk", None)


def is_month_locked(club: Club | int | None, day: datetime.date | None) -> bool:
    """Whether ``day`` falls in a month whose report for ``club`` (a Club or its id) is approved."""
    # Looked up through the app registry so the models can import this module without a loop.
    MonthlyReport = apps.get_model("month", "MonthlyReport")

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


class MonthLocked(ValidationError):
    """The refusal of a write into a locked month, whichever app's record it is.

    A ``ValidationError``, so forms, the admin and ``config.ui.errors_to_form`` show it like
    any other refusal.
    """


def assert_month_open(
    club: Club | int | None, day: datetime.date | None, *, field: str | None = None
) -> None:
    """Raise ``MonthLocked`` (on ``field`` if given) when ``day``'s month is locked for
    ``club`` (a Club, its id, or None for a record of no club, which is never locked)."""
    if day is not None and is_month_locked(club, day):
        error = ValidationError(locked_message(day), code="month_locked")
        raise MonthLocked({field: error} if field else error)


def next_meeting_day(club: Club | int | None, after: datetime.date) -> datetime.date | None:
    """The day of the club's next planned meeting on or after ``after``, as the meeting list
    shows it (a moved meeting on its new day, a cancelled one not at all); ``None`` when none
    is planned. The loans-due list (``funds.selectors.due_at_next_meeting``) asks here: the
    second function of the sanctioned funds -> month pair (docs/architecture.md)."""
    Meeting = apps.get_model("month", "Meeting")

    club_id = _club_id(club)
    if club_id is None:
        return None
    day: datetime.date | None = (
        Meeting.objects.filter(club_id=club_id, status=Meeting.Status.PLANNED, date__gte=after)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    return day
