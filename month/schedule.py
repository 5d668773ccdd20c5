"""Pure date logic for a club's meeting rule: which days the club meets.

A club meets on a fixed day of the month ("the 21st") or on the n-th weekday of the month
("the second Sunday", "the last Friday"), every month or every few months; and the day a
month's report is due. No database here: ``month.services.meetings_plan`` turns these dates
into planned meetings. Months themselves (stepping, bounds) are ``config.months``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from config.months import (
    day_in_month,
    days_in_month,
    month_number,
    months_between,
    shift,
    split,
    ym_of,
    ym_of_date,
)

DAY_OF_MONTH = "day_of_month"
NTH_WEEKDAY = "nth_weekday"


def nth_weekday(year: int, month: int, week: int, weekday: int) -> datetime.date:
    """The ``week``-th ``weekday`` (Monday = 0) of the month; ``week`` -1 is the last one.

    A fifth weekday that the month does not have falls back to the last one, so "the fifth
    Sunday" still gives one meeting every month.
    """
    if week == -1 or week >= 5:
        last = datetime.date(year, month, days_in_month(year, month))
        candidate = last - datetime.timedelta(days=(last.weekday() - weekday) % 7)
        if week == -1:
            return candidate
        first = datetime.date(year, month, 1)
        fifth = first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 28)
        return fifth if fifth.month == month else candidate
    if week < 1:
        raise ValueError("week must be 1–5 or -1")
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def meeting_dates(
    *,
    rule: str,
    start: datetime.date,
    end: datetime.date,
    day: int | None = None,
    week: int | None = None,
    weekday: int | None = None,
    every_months: int = 1,
    anchor: datetime.date | None = None,
) -> list[datetime.date]:
    """Every meeting day of the rule between ``start`` and ``end`` (both included).

    ``every_months`` > 1 counts months from ``anchor`` (the club's founding date, or January of
    year 1): a club meeting every 3 months from March meets in March, June, September, December.
    A rule with missing parts (no day, no weekday) gives no dates rather than guessing.
    """
    if start > end:
        return []
    every = max(int(every_months or 1), 1)
    anchor_number = month_number(anchor.year, anchor.month) if anchor else 0
    dates = []
    for ym in months_between(ym_of_date(start), ym_of_date(end)):
        year, month = split(ym)
        if (month_number(year, month) - anchor_number) % every:
            continue
        if rule == DAY_OF_MONTH:
            if not day:
                return []
            candidate = day_in_month(year, month, day)
        elif rule == NTH_WEEKDAY:
            if not week or weekday is None:
                return []
            candidate = nth_weekday(year, month, week, weekday)
        else:
            return []
        if start <= candidate <= end:
            dates.append(candidate)
    return dates


def club_meeting_dates(club, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """``meeting_dates`` for a ``clubs.Club`` (anything with its meeting-rule attributes)."""
    return meeting_dates(
        rule=club.meeting_rule,
        start=start,
        end=end,
        day=club.meeting_day,
        week=club.meeting_week,
        weekday=club.meeting_weekday,
        every_months=club.meeting_every_months,
        anchor=club.founded_on,
    )


def report_deadline(year: int, month: int) -> datetime.date:
    """The last day for a month's report: the ``ISHC_REPORT_DEADLINE_DAY``-th of the following
    month (its last day when shorter). A report submitted during that day is on time."""
    return day_in_month(*split(shift(ym_of(year, month), 1)), settings.ISHC_REPORT_DEADLINE_DAY)


def report_late_from(year: int, month: int) -> datetime.datetime:
    """The moment a month's report becomes late: the start of the day after the deadline."""
    day_after = report_deadline(year, month) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))
