"""The period a dashboard shows (a month or a year) and the months of its history.

Months are ``ym`` integers (``config.months``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from config.months import label, months_between, shift, split, ym_of, ym_of_date
from month.schedule import report_deadline

# How far back summaries are kept, rebuilt and offered in the period picker.
HISTORY_MONTHS = 24


def current_ym(today: datetime.date | None = None) -> int:
    return ym_of_date(today or timezone.localdate())


def history_start(today: datetime.date | None = None) -> int:
    return shift(current_ym(today), -(HISTORY_MONTHS - 1))


@dataclass(frozen=True)
class Period:
    """A month (``month`` set) or a year (``month`` None) as chosen on a dashboard.

    Stocks (members, balances, loans) are read at ``stock_ym``: the month itself, or for a
    year its last month that has begun. Flows (meetings, visits, joins) add up ``months``.
    """

    year: int
    month: int | None
    today: datetime.date

    @classmethod
    def parse(cls, value: str | None, today: datetime.date | None = None) -> Period:
        """ "2024-05" -> May 2024, "2024" -> 2024; anything else (or a future or too old
        period) -> the current month."""
        today = today or timezone.localdate()
        value = (value or "").strip()
        try:
            if len(value) == 7 and value[4] == "-":
                year, month = int(value[:4]), int(value[5:])
                if 1 <= month <= 12:
                    ym = ym_of(year, month)
                    if history_start(today) <= ym <= current_ym(today):
                        return cls(year, month, today)
            elif len(value) == 4:
                year = int(value)
                if split(history_start(today))[0] <= year <= today.year:
                    return cls(year, None, today)
        except ValueError:
            pass
        return cls(today.year, today.month, today)

    @classmethod
    def last_complete(cls, today: datetime.date | None = None) -> Period:
        """The last month that has ended: what a dashboard opens on (the current month has
        barely started and reads mostly zeros; it is one click away)."""
        today = today or timezone.localdate()
        year, month = split(shift(current_ym(today), -1))
        return cls(year, month, today)

    @property
    def is_current(self) -> bool:
        """The period holds the current month, which is still going on."""
        return current_ym(self.today) in self.months

    @property
    def current_param(self) -> str:
        """The ``?period=`` of the current month."""
        year, month = split(current_ym(self.today))
        return f"{year:04d}-{month:02d}"

    @property
    def is_year(self) -> bool:
        return self.month is None

    @property
    def months(self) -> list[int]:
        if self.month is not None:
            return [ym_of(self.year, self.month)]
        end = min(ym_of(self.year, 12), current_ym(self.today))
        start = max(ym_of(self.year, 1), history_start(self.today))
        return months_between(start, end)

    @property
    def stock_ym(self) -> int:
        return self.months[-1]

    @property
    def year_months(self) -> list[int]:
        """The months of the period's year up to the stock month (for "founded this year")."""
        start = max(ym_of(self.year, 1), history_start(self.today))
        return months_between(start, self.stock_ym)

    @property
    def last_three(self) -> list[int]:
        """The stock month and the two before it, oldest first."""
        return [shift(self.stock_ym, -2), shift(self.stock_ym, -1), self.stock_ym]

    @property
    def due_months(self) -> list[int]:
        """Months of the period whose report deadline has passed."""
        return [ym for ym in self.months if report_deadline(*split(ym)) < self.today]

    @property
    def param(self) -> str:
        return f"{self.year:04d}" if self.month is None else f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return str(self.year) if self.month is None else f"{self.month:02d}/{self.year}"


def choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """Period picker options: the months of the history window (newest first), then years."""
    today = today or timezone.localdate()
    end = current_ym(today)
    months = list(reversed(months_between(history_start(today), end)))
    years = sorted({split(ym)[0] for ym in months}, reverse=True)
    in_progress = gettext("in progress")
    return [
        (
            f"{split(ym)[0]:04d}-{split(ym)[1]:02d}",
            f"{label(ym)} ({in_progress})" if ym == end else label(ym),
        )
        for ym in months
    ] + [(f"{y:04d}", str(y)) for y in years]
