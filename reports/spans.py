"""The months a report upward covers (``Span``), read like a dashboard period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from config.months import month_bounds, months_between, shift, split, ym_of
from month.schedule import report_deadline

Values = dict[str, dict[str, Any]]  # section -> row -> value


@dataclass(frozen=True)
class Span:
    """A run of months (a half-year or a year) read like a dashboard period."""

    start_ym: int
    end_ym: int
    today: datetime.date

    @property
    def months(self) -> list[int]:
        return months_between(self.start_ym, self.end_ym)

    @property
    def stock_ym(self) -> int:
        return self.end_ym

    @property
    def due_months(self) -> list[int]:
        return [ym for ym in self.months if report_deadline(*split(ym)) < self.today]

    @property
    def first_day(self) -> datetime.date:
        return month_bounds(*split(self.start_ym))[0]

    @property
    def last_day(self) -> datetime.date:
        return month_bounds(*split(self.end_ym))[1]

    def year_before(self) -> Span:
        return Span(shift(self.start_ym, -12), shift(self.end_ym, -12), self.today)


def span_of(kind: str, year: int, half: int | None, today: datetime.date | None = None) -> Span:
    """The months a report covers: January–June or July–December for a six-month review,
    the whole year otherwise."""
    today = today or timezone.localdate()
    if kind == "six_month":
        first = 1 if half == 1 else 7
        return Span(ym_of(year, first), ym_of(year, first + 5), today)
    return Span(ym_of(year, 1), ym_of(year, 12), today)
