"""Fast bulk inserts for generated data (PostgreSQL COPY), used by seed_scale and benchmarks."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable


def _text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def copy_rows(model, rows: Iterable[dict], chunk: int = 50_000) -> int:
    """COPY plain dicts into ``model``'s table (PostgreSQL), filling every other concrete
    column from the field's default. Returns the number of rows written."""
    from django.db import connection
    from django.utils import timezone

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    now = timezone.now()
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        elif f.has_default():
            defaults[f.attname] = f.get_default()
        elif f.null:
            defaults[f.attname] = None
        else:
            defaults[f.attname] = ""
    total = 0
    sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    buffer = io.StringIO()
    count = 0

    def flush():
        nonlocal buffer, count
        if not count:
            return
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.write(buffer.getvalue())
        buffer = io.StringIO()
        count = 0

    for row in rows:
        values = [row.get(f.attname, defaults[f.attname]) for f in fields]
        buffer.write("\t".join(_text(v) for v in values) + "\n")
        count += 1
        total += 1
        if count >= chunk:
            flush()
    flush()
    return total
