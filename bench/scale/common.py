"""What every part of the generator shares: the run's state, names of generated things, and
calendar arithmetic."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bench.scale.copy import Table
from config.months import shift, split, ym_of_date
from config.text import fold as _fold_text

CODE_PREFIX = "SC-"
USER_PREFIX = "scale_"
PASSWORD = "Demo@12345"  # noqa: S105 - the documented demo password of generated users
BATCH = 250  # clubs per COPY round


@dataclass
class Context:
    """One generation run: the random stream (every part draws from it in a fixed order,
    which is what makes the output repeatable), the row buffers, and the calendar."""

    rng: random.Random
    t: dict[str, Table]
    today: datetime.date
    now: datetime.datetime
    tz: datetime.tzinfo
    # The months generated, oldest first, this month last.
    yms: list[tuple[int, int]]
    window_start: datetime.date
    # Active activity areas, in their order.
    area_ids: list[int] = field(default_factory=list)
    # People of the clubs kept for the trainings: board members by commune,
    # ((member id, name, sex, phone), position, club name, province id).
    board_people: dict[int, list[tuple[Any, ...]]] = field(
        default_factory=lambda: defaultdict(list)
    )


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    return _fold_text(text)


def ym_list(end: datetime.date, months: int) -> list[tuple[int, int]]:
    """The ``months`` months up to the one of ``end``, oldest first, as (year, month)."""
    last = ym_of_date(end)
    return [split(shift(last, -back)) for back in range(months - 1, -1, -1)]
