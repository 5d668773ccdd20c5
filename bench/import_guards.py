"""How long the spreadsheet guards take on hostile files (run by hand, not in CI).

    DEBUG=1 .venv/bin/python bench/import_guards.py

The tests (tests/test_import_guards.py) prove what the guards do: which rows are read, what is
refused before parsing, how much memory it takes. The seconds live here, where a busy machine
cannot fail a build: a sheet claiming 16,384 columns × 1,000,000 rows (was 178 s for 100,000
such rows before the guards), a 200 MB shared-strings bomb (was 1 GB of memory per MB of file)
and an XML entity bomb. Targets: each under 1 s.
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from config import spreadsheets  # noqa: E402
from tests.test_import_guards import entity_bomb, huge_claims, shared_strings_bomb  # noqa: E402


def timed(name: str, build: Callable[[], bytes]) -> None:
    data = build()
    started = time.perf_counter()
    try:
        spreadsheets.check_archive(io.BytesIO(data))
        sheet = spreadsheets.read_first_sheet(
            io.BytesIO(data), max_columns=24, max_filled_rows=5000
        )
        outcome = f"read {len(sheet.rows)} rows"
    except spreadsheets.SpreadsheetRefused as exc:
        outcome = f"refused: {exc}"
    seconds = time.perf_counter() - started
    print(f"{name:<32} {len(data) / 1024:>8.0f} kB  {seconds:6.3f} s  {outcome}")


if __name__ == "__main__":
    timed("16,384 columns x 1,000,000 rows", huge_claims)
    timed("shared strings, 200 MB unpacked", shared_strings_bomb)
    timed("XML entity bomb", entity_bomb)
