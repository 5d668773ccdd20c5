"""Names in Vietnamese alphabetical order: a, ă, â, b, c, d, đ, e, ê … with the tones after the
bare letter (An, Ánh, Bình, Dương, Đặng), not in byte order (Đặng after Zô) nor accent-free
(Đặng among the D).

On PostgreSQL every name sort goes through ICU's Vietnamese collation
(``ISHC_NAME_COLLATION``, ``vi-VN-x-icu``) in the ORDER BY; columns keep their default
collation, so indexes and equality are untouched. SQLite has no ICU: there the same call
sorts by the column as it is (development only).

    qs.order_by(*by_name("commune__name", "name"), "pk")
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.db.models.expressions import Combinable
from django.db.models.functions import Collate


def vi_name(field: str) -> Combinable:
    """``field`` as an ORDER BY term in Vietnamese order (as is on a database without ICU)."""
    if connection.vendor == "postgresql" and settings.ISHC_NAME_COLLATION:
        return Collate(F(field), settings.ISHC_NAME_COLLATION)
    return F(field)


def by_name(*fields: str) -> list[Combinable]:
    """ORDER BY terms for ``fields`` (lookups such as ``"club__name"``), in that order."""
    return [vi_name(field) for field in fields]


__all__ = ["by_name", "vi_name"]
