"""Search the whole database for a value: where erased personal data could still be read."""

from django.db import connection


def places_holding(text: str) -> list[str]:
    """``table.column`` of every column of every table (history tables, the admin's log and
    the other apps' included) where ``text`` appears, the column read as text."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608 (names from the schema)
                    f"WHERE CAST({quote(column.name)} AS TEXT) LIKE %s",
                    [f"%{text}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found
