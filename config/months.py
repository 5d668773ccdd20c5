"""The calendar of months every app counts in.

A month is written two ways: ``(year, month)`` where a model stores it (``MonthlyReport``,
``Contribution``) and ``ym`` = ``year * 100 + month`` (202405) where summaries key their rows
and sort by it. This module converts between the two, steps months forward and back, and
gives a month's first and last day. Pure date logic: no database, no settings.
"""

from __future__ import annotations

import calendar
import datetime


def ym_of(year: int, month: int) -> int:
    """(2024, 5) -> 202405."""
    return year * 100 + month


def split(ym: int) -> tuple[int, int]:
    """202405 -> (2024, 5)."""
    return divmod(ym, 100)


def ym_of_date(day: datetime.date) -> int:
    return ym_of(day.year, day.month)


def month_number(year: int, month: int) -> int:
    """Months since January of year 0: two months' difference is the number of months between."""
    return year * 12 + month - 1


def shift(ym: int, months: int) -> int:
    """The month ``months`` later (earlier when negative): shift(202411, 3) -> 202502."""
    year, month = divmod(month_number(*split(ym)) + months, 12)
    return ym_of(year, month + 1)


def months_between(start: int, end: int) -> list[int]:
    """Every ym from ``start`` to ``end`` inclusive (empty if start > end)."""
    out = []
    ym = start
    while ym <= end:
        out.append(ym)
        ym = shift(ym, 1)
    return out


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def day_in_month(year: int, month: int, day: int) -> datetime.date:
    """The ``day``-th of the month, or its last day when the month is shorter (31 -> 30 April,
    28/29 February)."""
    return datetime.date(year, month, min(day, days_in_month(year, month)))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    year, month = divmod(month_number(day.year, day.month) + months, 12)
    return day_in_month(year, month + 1, day.day)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of a month."""
    return datetime.date(year, month, 1), datetime.date(year, month, days_in_month(year, month))


def first_day(ym: int) -> datetime.date:
    return month_bounds(*split(ym))[0]


def last_day(ym: int) -> datetime.date:
    return month_bounds(*split(ym))[1]


def label(ym: int) -> str:
    """202405 -> "05/2024"."""
    year, month = split(ym)
    return f"{month:02d}/{year}"
