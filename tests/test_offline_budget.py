"""The record sheet's first stylesheet (issue 20, item 6): made from the project's own CSS by
``bench/critical_css.py``, it must hold every rule of Bootstrap, ``app.css`` and
``meeting-record.css`` for the classes the sheet uses, or the sheet would paint differently
before the full files arrive. The bytes and the render-blocking files are checked in a browser:
``tests/browser/test_offline_budget.py``."""

from bench import critical_css


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
