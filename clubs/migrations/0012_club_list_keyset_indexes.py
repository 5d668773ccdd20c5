"""Indexes for the club list's keyset pages (``clubs.selectors.CLUB_LIST_KEYS``): the club's
name in Vietnamese order, then its id, after the scope's column (province for provincial
staff, commune for a commune's; none for admins).

On PostgreSQL the name sort goes through ICU's collation (``config.collation``), and an index
serves an ORDER BY only in the same collation, so the name column is indexed with it. Django's
``Meta.indexes`` cannot say "only on PostgreSQL" (SQLite has no ICU collation), hence plain
SQL run on PostgreSQL only; SQLite (development) sorts a few clubs without them."""

from django.conf import settings
from django.db import migrations

INDEXES = {
    "club_province_name_keyset": ("province_id", "name", "id"),
    "club_commune_name_keyset": ("commune_id", "name", "id"),
    "club_name_keyset": ("name", "id"),
}


def _column(schema_editor, column: str) -> str:
    quoted = schema_editor.quote_name(column)
    if column == "name" and settings.ISHC_NAME_COLLATION:
        return f"{quoted} COLLATE {schema_editor.quote_name(settings.ISHC_NAME_COLLATION)}"
    return quoted


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        cols = ", ".join(_column(schema_editor, c) for c in columns)
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON clubs_club ({cols})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("clubs", "0011_constraint_messages")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
