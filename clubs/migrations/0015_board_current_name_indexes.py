"""Indexes for the current board members in name order (the training's board-member
picker, ``trainings.selectors.board_members``): the open seats only (``end_on IS NULL``),
by province for provincial staff and across the country for admins, each by the member's
name in the Vietnamese collation the ORDER BY uses, then the member's id. The folded name
is carried in the index, so a search walks the index without reading the seats.

Plain SQL on PostgreSQL only, like ``0012_club_list_keyset_indexes`` (an index in an ICU
collation; SQLite has none). Commune staff and leaders read their few seats through the
club's index."""

from django.conf import settings
from django.db import migrations

INDEXES = {
    "board_current_province_name": ("province_id", "member_name", "member_id"),
    "board_current_name": ("member_name", "member_id"),
}


def _column(schema_editor, column: str) -> str:
    quoted = schema_editor.quote_name(column)
    if column == "member_name" and settings.ISHC_NAME_COLLATION:
        return f"{quoted} COLLATE {schema_editor.quote_name(settings.ISHC_NAME_COLLATION)}"
    return quoted


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        cols = ", ".join(_column(schema_editor, c) for c in columns)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON clubs_boardposition ({cols}) "
            "INCLUDE (search_name, id) WHERE end_on IS NULL"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("clubs", "0014_fill_board_seat_copies")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
