"""Pure date logic for a club's meeting rule: which days the club meets.

A club meets on a fixed day of the month ("the 21st") or on the n-th weekday of the month
("the second Sunday", "the last Friday"), every month or every few months. No database here:
``clubs.services_month.meetings_plan`` turns these dates into planned meetings.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator

DAY_OF_MONTH = "day_of_month"
NTH_WEEKDAY = "nth_weekday"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a month."""
    return datetime.date(year, month, 1), datetime.date(
        year, month, calendar.monthrange(year, month)[1]
    )


def day_in_month(year: int, month: int, day: int) -> datetime.date:
    """The ``day``-th of the month; a club meeting on the 31st meets on the last day of shorter
    months (30 April, 28/29 February) rather than skipping them."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def nth_weekday(year: int, month: int, week: int, weekday: int) -> datetime.date:
    """The ``week``-th ``weekday`` (Monday = 0) of the month; ``week`` -1 is the last one.

    A fifth weekday that the month does not have falls back to the last one, so "the fifth
    Sunday" still gives one meeting every month.
    """
    last_day = calendar.monthrange(year, month)[1]
    if week == -1 or week >= 5:
        last = datetime.date(year, month, last_day)
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


def _months(start: datetime.date, end: datetime.date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        month += 1
        if month == 13:
            year, month = year + 1, 1


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
    anchor_index = (anchor.year * 12 + anchor.month - 1) if anchor else 0
    dates = []
    for year, month in _months(start, end):
        if (year * 12 + month - 1 - anchor_index) % every:
            continue
        if rule == DAY_OF_MONTH:
            if not day:
                return []
            candidate = day_in_month(year, month, day)
        elif rule == NTH_WEEKDAY:
            if week in (None, 0) or weekday is None:
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


def report_deadline(year: int, month: int, deadline_day: int) -> datetime.date:
    """The day a month's report is due: ``deadline_day`` of the following month."""
    next_first = add_months(datetime.date(year, month, 1), 1)
    return day_in_month(next_first.year, next_first.month, deadline_day)
