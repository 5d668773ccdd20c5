"""Indexes for the fund list's keyset pages (``funds.views.FUND_LIST_KEYS``): associations'
funds first, then clubs', by the holder's name in Vietnamese order, then kind and id, after
the scope's column (the holder's province for provincial staff, its commune for a commune's).
A province's page is then one index range scan, whatever the number of clubs
(docs/performance.md, "Keyset pages").

No index on the order alone for the admins' list of every fund: the planner costs it the
same as the province's index for a province's page (it cannot tell how many rows a cursor's
row comparison leaves) and, choosing it, reads the whole country's funds in name order and
drops the other provinces'. The few admins sort the country's funds instead.

The holder's name is indexed in the ICU collation the ORDER BY uses (``config.collation``);
as in ``clubs/migrations/0012_club_list_keyset_indexes.py``, plain SQL on PostgreSQL only
(``Meta.indexes`` cannot say so, and SQLite has no ICU collation)."""

from django.conf import settings
from django.db import migrations

ORDER = ("club_owned", "holder_name", "kind", "id")
INDEXES = {
    "fund_province_holder_keyset": ("province_id", *ORDER),
    "fund_commune_holder_keyset": ("commune_id", *ORDER),
}


def _column(schema_editor, column: str) -> str:
    quoted = schema_editor.quote_name(column)
    if column == "holder_name" and settings.ISHC_NAME_COLLATION:
        return f"{quoted} COLLATE {schema_editor.quote_name(settings.ISHC_NAME_COLLATION)}"
    return quoted


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        cols = ", ".join(_column(schema_editor, c) for c in columns)
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON funds_fund ({cols})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("funds", "0006_fill_fund_holders")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
