"""The record sheet's first stylesheet (issue 20, item 6): made from the project's own CSS by
``bench/critical_css.py``, it must hold every rule of Bootstrap, ``app.css`` and
``meeting-record.css`` for the classes the sheet uses, or the sheet would paint differently
before the full files arrive. The bytes and the render-blocking files are checked in a browser:
``tests/browser/test_offline_budget.py``."""

import gzip

from bench import critical_css
from month.offline import SHELL, first_styles


def test_the_sheets_first_stylesheet_has_every_rule_the_sheet_uses():
    lacking = critical_css.missing()
    assert not lacking, (
        f"static/css/record-sheet-critical.css misses {len(lacking)} rules, such as "
        f"{sorted(lacking)[:3]}: run .venv/bin/python -m bench.critical_css"
    )


def test_the_first_stylesheet_holds_what_the_sheet_shows_first():
    css = critical_css.OUTPUT.read_text(encoding="utf-8")
    for selector in (".navbar", ".btn-check", ".form-control", ".sheet-row", ".att-group .btn"):
        assert selector in css, selector
    # Nothing of what the sheet never shows (tables, modals, dark theme).
    for selector in (".table{", ".modal{", "data-bs-theme=dark"):
        assert selector not in css, selector


def test_the_first_stylesheet_can_sit_inside_the_page_and_is_kept_with_the_shell():
    found = first_styles()
    assert found is not None  # no "</" that would end the <style> element early
    css, _url, key = found
    assert css == critical_css.OUTPUT.read_text(encoding="utf-8") and len(key) == 16
    assert "css/record-sheet-critical.css" in SHELL  # the service worker keeps the file
    # Smaller than the 9 KB it was: a first load carries it twice (in the page, then the file).
    assert len(gzip.compress(css.encode(), 9)) <= 8 * 1024
