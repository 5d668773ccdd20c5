"""Where the clubs go, and the activity areas their activities are filed under."""

from __future__ import annotations

import random
from collections import defaultdict

from django.apps import apps


def communes(rng: random.Random) -> list[tuple[int, int, str]]:
    """Every active commune as (id, province id, name), provinces interleaved (so the first
    34 clubs are in 34 provinces), each province's communes shuffled."""
    Area = apps.get_model("clubs", "Area")
    by_province: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for pk, province_id, name in (
        Area.objects.filter(level="commune", active=True)
        .order_by("pk")
        .values_list("pk", "province_id", "name")
    ):
        by_province[province_id].append((pk, province_id, name))
    lists = [by_province[p] for p in sorted(by_province)]
    for items in lists:
        rng.shuffle(items)
    out: list[tuple[int, int, str]] = []
    for i in range(max((len(x) for x in lists), default=0)):
        out.extend(items[i] for items in lists if i < len(items))
    return out


def activity_area_ids() -> list[int]:
    """The active activity areas (seeded by a migration), in their order."""
    return list(
        apps.get_model("month", "ActivityArea")
        .objects.filter(active=True)
        .order_by("order", "pk")
        .values_list("pk", flat=True)
    )
