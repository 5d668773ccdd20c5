"""Every Excel file the app writes looks the same: one helper for the cell formats, the
frozen header and the column widths.

- Whole numbers and money: ``#,##0``. Excel draws the grouping with the reader's own
  separator, so a Vietnamese Excel shows 1.500.000 and an English one 1,500,000 — the number
  stays a number (sums and filters work).
- Decimals (rates, weights): ``#,##0.0##``; dates ``DD/MM/YYYY``; date-times
  ``DD/MM/YYYY HH:MM``.
- A text that starts like a formula (``=``, ``+``, ``-``, ``@``) is written with a leading
  apostrophe, so a name typed as ``=HYPERLINK(…)`` never runs (``safe_cell``).
- The header row is bold and frozen (it stays in view while scrolling); each column is as
  wide as its longest value within bounds.

Two ways in: ``format_sheet(ws, header_row=…)`` once a normal worksheet is filled, and, for
a ``write_only`` workbook (large exports, written row by row), ``write_only_header`` +
``write_only_row``.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

INTEGER = "#,##0"
DECIMAL = "#,##0.0##"
DATE = "DD/MM/YYYY"
DATETIME = "DD/MM/YYYY HH:MM"
BOLD = Font(bold=True)

# Column widths in characters: never narrower than a date, never wider than a long name.
MIN_WIDTH = 10
MAX_WIDTH = 50

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text that a spreadsheet would read as a formula, quoted; anything else as is."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def number_format(value: Any) -> str | None:
    """The format a value's cell gets (None: the default)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float | Decimal):
        return DECIMAL
    if isinstance(value, datetime.datetime):
        return DATETIME
    if isinstance(value, datetime.date):
        return DATE
    return None


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 16 if isinstance(value, datetime.datetime) else 10
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return len(f"{value:,}") + 1
    return max((len(line) for line in str(value).splitlines()), default=0)


def width_for(values: Iterable[Any]) -> float:
    longest = max((_shown_length(v) for v in values), default=0)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))


def format_sheet(
    ws: Worksheet,
    *,
    header_row: int = 1,
    first_column_frozen: bool = False,
    plain_columns: Collection[int] = (),
) -> None:
    """Give a filled worksheet the house style: formats by value below ``header_row``, the
    header bold and frozen (and the first column too, for a wide table), widths by content.
    ``plain_columns`` (1-based) hold numbers shown without grouping (a year: 1955, not
    1.955). Formula-looking texts must already have gone through ``safe_cell``."""
    for cell in ws[header_row]:
        if cell.value is not None:
            cell.font = BOLD
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            if cell.column in plain_columns:
                continue
            fmt = number_format(cell.value)
            # openpyxl stamps dates yyyy-mm-dd as they are written: those are replaced too.
            if fmt is not None and (
                cell.number_format == "General" or isinstance(cell.value, datetime.date)
            ):
                cell.number_format = fmt
    column = "B" if first_column_frozen else "A"
    ws.freeze_panes = f"{column}{header_row + 1}"
    for index, cells in enumerate(ws.iter_cols(min_row=header_row), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width_for(c.value for c in cells)


def write_only_header(ws: Any, header: Sequence[Any], *, widths: Sequence[float] = ()) -> None:
    """The first row of a ``write_only`` worksheet: bold, frozen, with the column widths
    (``widths``, else from the header) — set before any row, as write-only sheets need."""
    for index, title in enumerate(header, start=1):
        width = widths[index - 1] if index <= len(widths) else width_for([title, "dd/mm/yyyy"])
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.append([_cell(ws, safe_cell(title), font=BOLD) for title in header])


def write_only_row(ws: Any, values: Iterable[Any], *, plain: Collection[int] = ()) -> None:
    """One row of a ``write_only`` worksheet, each value safe and formatted; the columns in
    ``plain`` (0-based) are numbers shown without grouping (a year)."""
    ws.append([_cell(ws, safe_cell(v), plain=i in plain) for i, v in enumerate(values)])


def _cell(ws: Any, value: Any, *, font: Font | None = None, plain: bool = False) -> Any:
    cell = WriteOnlyCell(ws, value=value)
    fmt = None if plain else number_format(value)
    if fmt is not None:
        cell.number_format = fmt
    if font is not None:
        cell.font = font
    return cell


__all__ = [
    "DATE",
    "DATETIME",
    "DECIMAL",
    "INTEGER",
    "format_sheet",
    "number_format",
    "safe_cell",
    "width_for",
    "write_only_header",
    "write_only_row",
]
