"""Reading an uploaded .xlsx without letting the file decide how much work it costs.

An .xlsx is a zip of XML parts, and every size in it is the file's own claim: a sheet can say
it spans 16,384 columns and a million rows, a 1 MB file can unpack to a gigabyte of shared
strings. Both imports (the member register and a training's participants) read through
``read_first_sheet``, which

1. checks the archive before any XML is parsed (``check_archive``): how many parts, how large
   each unpacks to, the shared strings (openpyxl loads them whole) against a smaller limit.
   Python's zipfile never unpacks more than the size a part declares (a part that lies fails
   its checksum), so checking the declared sizes bounds the memory;
2. opens the workbook in openpyxl's read-only mode (rows are streamed, not kept); openpyxl
   parses with defusedxml (installed with the project), so no entity expansion either;
3. reads only the first ``max_columns`` columns, stops after ``BLANK_RUN`` empty rows in a
   row (the end of the list), and stops after ``max_filled_rows`` filled rows (the caller
   refuses the file: a list cut short would add some people and silently leave out others).

The limits and why they are what they are: docs/members.md, "Limits of an import".
"""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

logger = logging.getLogger(__name__)

MB = 1024 * 1024
# A workbook saved by Excel or LibreOffice has a dozen to a few dozen parts.
MAX_PARTS = 1000
# Each part, unpacked. A sheet of 5,000 people in the template's columns, every cell with a
# border, is 5 MB of XML and reads in about 2.5 s; parsing costs about 0.5 s a MB whatever the
# cells hold, so this bounds the worst sheet to about 8 s.
MAX_PART_BYTES = 16 * MB
# openpyxl keeps every shared string in memory: 5,000 rows of names and villages is ~1 MB.
MAX_SHARED_STRINGS_BYTES = 8 * MB
# All parts together, unpacked.
MAX_TOTAL_BYTES = 64 * MB
# Empty rows in a row that end the list: the rest of the sheet is not read.
BLANK_RUN = 50


class SpreadsheetRefused(ValueError):
    """The whole file is refused; ``message`` says why in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class SheetRows:
    """The rows read from the first sheet, row 1 first (empty rows kept in place, as tuples
    of ``None``, so a row's index + 1 is its number in the sheet)."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)
    # More than ``max_filled_rows`` filled rows: the caller refuses the file.
    too_many: bool = False
    # Reading stopped after this row (a run of empty rows) while the sheet says it goes on.
    stopped_at: int | None = None
    last_row: int | None = None
    blank_run: int = BLANK_RUN

    @property
    def notice(self) -> str:
        """What the person should know about rows that were not read ("" if none)."""
        if self.stopped_at is None or self.last_row is None:
            return ""
        return _(
            "Reading stopped at row %(row)s after %(blank)s empty rows, but the sheet goes on "
            "to row %(last)s. Rows below %(row)s were not read: if there is data there, delete "
            "the empty rows and upload the file again."
        ) % {"row": self.stopped_at, "blank": self.blank_run, "last": self.last_row}


def _not_xlsx() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("This is not an Excel .xlsx file. Save it as .xlsx (Excel Workbook) and try again.")
    )


def _too_big_unpacked(limit: int) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "The file is too large once unpacked (more than %(limit)s MB of data inside). "
            "Copy only the list into a new workbook and try again."
        )
        % {"limit": limit // MB}
    )


def check_archive(fileobj: IO[bytes]) -> None:
    """Refuses, before parsing anything, a zip whose parts unpack to more than the limits.

    Reads only the zip's central directory (a few kB), so it costs the same for any file.
    """
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _not_xlsx() from exc
    finally:
        fileobj.seek(0)
    if len(parts) > MAX_PARTS:
        raise _not_xlsx()
    total = 0
    for part in parts:
        total += part.file_size
        if part.filename.lower().endswith("sharedstrings.xml"):
            if part.file_size > MAX_SHARED_STRINGS_BYTES:
                raise SpreadsheetRefused(
                    _(
                        "The file holds too much text (more than %(limit)s MB). Copy only the "
                        "list into a new workbook and try again."
                    )
                    % {"limit": MAX_SHARED_STRINGS_BYTES // MB}
                )
        elif part.file_size > MAX_PART_BYTES:
            raise _too_big_unpacked(MAX_PART_BYTES)
    if total > MAX_TOTAL_BYTES:
        raise _too_big_unpacked(MAX_TOTAL_BYTES)


def read_first_sheet(
    fileobj: IO[bytes], *, max_columns: int, max_filled_rows: int, blank_run: int = BLANK_RUN
) -> SheetRows:
    """The first sheet's rows (values only), within the limits above.

    Raises SpreadsheetRefused for a file that is not a readable .xlsx or unpacks too large.
    """
    check_archive(fileobj)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # whatever a malformed file makes the parser raise
        logger.info("spreadsheet refused: %s", exc.__class__.__name__)
        raise _not_xlsx() from exc
    result = SheetRows(blank_run=blank_run)
    try:
        if not workbook.worksheets:
            return result
        sheet = workbook.worksheets[0]
        blank = filled = 0
        for number, values in enumerate(
            sheet.iter_rows(max_col=max_columns, values_only=True), start=1
        ):
            if any(v is not None and str(v).strip() for v in values):
                filled += 1
                if filled > max_filled_rows:
                    result.too_many = True
                    break
                blank = 0
            else:
                blank += 1
                if blank >= blank_run:
                    declared = getattr(sheet, "max_row", None)
                    if isinstance(declared, int) and declared > number:
                        result.stopped_at, result.last_row = number, declared
                    break
            result.rows.append(tuple(values))
    except Exception as exc:  # a sheet that breaks the parser half-way
        logger.info("spreadsheet refused while reading: %s", exc.__class__.__name__)
        raise _not_xlsx() from exc
    finally:
        workbook.close()
    # Trailing empty rows say nothing.
    while result.rows and not any(v is not None and str(v).strip() for v in result.rows[-1]):
        result.rows.pop()
    return result


__all__ = [
    "BLANK_RUN",
    "MAX_PARTS",
    "MAX_PART_BYTES",
    "MAX_SHARED_STRINGS_BYTES",
    "MAX_TOTAL_BYTES",
    "SheetRows",
    "SpreadsheetRefused",
    "check_archive",
    "read_first_sheet",
]
