"""Fast bulk inserts for generated data (PostgreSQL COPY), used by seed_scale and benchmarks."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterable
from typing import Any


def field_default(f: Any, now: datetime.datetime) -> Any:
    """What the database gets for a column the generator does not fill."""
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return now
    if f.has_default():
        value = f.get_default()
        return json.dumps(value) if isinstance(value, dict | list) else value
    if f.null:
        return None
    return ""


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
    defaults = {f.attname: field_default(f, now) for f in fields}
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


class Table:
    """Rows for one table, buffered until the next COPY round: the given columns in order,
    then every other column's default. Ids are handed out here, from the table's maximum."""

    def __init__(self, model: Any, columns: list[str], now: datetime.datetime) -> None:
        self.model = model
        self.name = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise ValueError(f"{self.name}: no columns {unknown}")
        rest = [f for f in model._meta.concrete_fields if f.attname not in columns]
        self.columns = [fields[c].column for c in columns] + [f.column for f in rest]
        self.tail = tuple(field_default(f, now) for f in rest)
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self.next_id = 1

    def start_ids_after(self, cursor: Any) -> None:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.name}")  # noqa: S608
        self.next_id = cursor.fetchone()[0] + 1

    def new_id(self) -> int:
        ident = self.next_id
        self.next_id += 1
        return ident

    def add(self, *values: Any) -> None:
        self.rows.append(values + self.tail)

    def flush(self, cursor: Any) -> None:
        if not self.rows:
            return
        sql = f"COPY {self.name} ({', '.join(self.columns)}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for row in self.rows:
                copy.write_row(row)
        self.written += len(self.rows)
        self.rows = []
