"""The record sheet's first stylesheet (``static/css/record-sheet-critical.css``), made from
the project's own CSS (issue 20, item 6: the sheet usable sooner on a slow network).

    .venv/bin/python -m bench.critical_css          # writes the file
    .venv/bin/python -m bench.critical_css --check  # exit 1 if the file misses a rule

The sheet page (``templates/month/meeting_record.html``) has this one stylesheet in its head
(inside the page on a phone that does not hold the file yet, linked once it does:
``month/templatetags/sheet_styles.py``), instead of Bootstrap, ``app.css`` and
``meeting-record.css``, and those three at the end of the page, where they no longer hold
back the first paint. The file is every rule of Bootstrap whose classes all appear in the
sheet's templates and rows (``SOURCES``), less what a first paint never shows
(``NOT_PAINTED``) and the custom properties no kept rule reads, then the whole of ``app.css``
and ``meeting-record.css``. The three full files come after it, in
today's order, so the sheet ends with the very cascade it always had: the first file only
lets the browser paint the same page before they arrive.
``tests/test_offline_budget.py`` fails when the file misses a rule it should have (a class
added to the sheet, an upgraded Bootstrap): run this module again then.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "static" / "css" / "record-sheet-critical.css"
BOOTSTRAP = ROOT / "node_modules" / "bootstrap" / "dist" / "css" / "bootstrap.min.css"
OWN = (ROOT / "static" / "css" / "app.css", ROOT / "static" / "css" / "meeting-record.css")
# What puts classes on the sheet as the server sends it: its templates, the rows' markup, the
# menu and the messages. The scripts are not read: a script runs only once the stylesheets
# before it (the full ones, at the end of the page) have arrived.
SOURCES = (
    "templates/base.html",
    "templates/components/nav_items.html",
    "templates/components/messages.html",
    "templates/month/meeting_record.html",
    "month/record_sheet.py",
)
HEADER = (
    "/* Made by bench/critical_css.py from Bootstrap {version}, app.css and meeting-record.css:\n"
    "   do not edit, run `.venv/bin/python -m bench.critical_css`. The record sheet paints\n"
    "   with this file alone; the full files follow at the end of the page. */\n"
)
CLASS = re.compile(r"\.(-?[_a-zA-Z][-_a-zA-Z0-9]*)")
WORD = re.compile(r"[-_a-zA-Z0-9]+")


def blocks(css: str) -> list[tuple[str, str]]:
    """Top-level ``(prelude, body)`` pairs of a stylesheet without comments."""
    out: list[tuple[str, str]] = []
    i, start, n = 0, 0, len(css)
    while i < n:
        char = css[i]
        if char in "\"'":
            i = css.index(char, i + 1) + 1
            continue
        if char == ";" and css[start:i].lstrip().startswith("@"):
            out.append((css[start:i].strip(), ""))  # @charset, @import
            start = i + 1
        elif char == "{":
            depth, j = 1, i + 1
            while depth:
                if css[j] in "\"'":
                    j = css.index(css[j], j + 1)
                elif css[j] == "{":
                    depth += 1
                elif css[j] == "}":
                    depth -= 1
                j += 1
            out.append((css[start:i].strip(), css[i + 1 : j - 1]))
            i = start = j
            continue
        i += 1
    return out


def split_selectors(prelude: str) -> list[str]:
    """``a,b:not(.c,.d)`` → ``["a", "b:not(.c,.d)"]``."""
    out, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            out.append(prelude[start:i])
            start = i + 1
    return [*out, prelude[start:]]


# Nothing the first paint of the sheet shows: the dark theme, a pointer over an element (a
# phone has none), an element being pressed or focused (the browser's own focus ring shows
# meanwhile), file inputs (the sheet has none). The full files bring them a moment later.
NOT_PAINTED = re.compile(
    r"data-bs-theme=dark|:hover|:focus|:active|file-selector-button|file-upload-button"
)
CUSTOM_PROPERTY = re.compile(r"(?<=[{;])(--[-\w]+):[^;{}]*(?:;|(?=}))")
VAR = re.compile(r"var\(\s*(--[-\w]+)")


def keep_selector(selector: str, used: set[str]) -> bool:
    if NOT_PAINTED.search(selector):
        return False
    return all(name in used for name in CLASS.findall(selector))


def without_unused_properties(css: str, sources: str) -> str:
    """Drops the declarations of custom properties (``--bs-…``) that no rule kept (nor a style
    attribute of the sources) reads with ``var()``: most of Bootstrap's ``:root``."""
    while True:
        read = set(VAR.findall(css + sources))

        def unless_unread(match: re.Match[str], read: set[str] = read) -> str:
            return match.group(0) if match.group(1) in read else ""

        kept = CUSTOM_PROPERTY.sub(unless_unread, css)
        kept = kept.replace(";}", "}")
        if kept == css:
            return css
        css = kept


def subset(css: str, used: set[str]) -> str:
    parts: list[str] = []
    for prelude, body in blocks(css):
        if prelude.startswith("@charset") or prelude.startswith("@keyframes"):
            continue
        if prelude.startswith(("@media", "@supports")):
            inner = subset(body, used)
            if inner:
                parts.append(f"{prelude}{{{inner}}}")
            continue
        selectors = [s for s in split_selectors(prelude) if keep_selector(s, used)]
        if selectors:
            parts.append(f"{','.join(selectors)}{{{body}}}")
    return "".join(parts)


def sources_text() -> str:
    return "\n".join((ROOT / source).read_text(encoding="utf-8") for source in SOURCES)


def used_words() -> set[str]:
    return set(WORD.findall(sources_text()))


def build() -> str:
    bootstrap = re.sub(r"/\*.*?\*/", "", BOOTSTRAP.read_text(encoding="utf-8"), flags=re.S)
    version = re.search(r"Bootstrap\s+v([\d.]+)", BOOTSTRAP.read_text(encoding="utf-8"))
    own = "\n".join(path.read_text(encoding="utf-8") for path in OWN)
    own = re.sub(r"/\*.*?\*/", "", own, flags=re.S)
    own = "\n".join(line.strip() for line in own.splitlines() if line.strip())
    header = HEADER.format(version=version.group(1) if version else "?")
    kept = without_unused_properties(subset(bootstrap, used_words()), own + sources_text())
    return f"{header}{kept}\n{own}\n"


def rules(css: str) -> set[str]:
    """Every rule of a stylesheet, an at-rule's with its prelude: ``@media x{a{b}}``."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out: set[str] = set()
    for prelude, body in blocks(css):
        if prelude.startswith(("@media", "@supports")):
            out.update(f"{prelude}{{{rule}}}" for rule in rules(body))
        else:
            out.add(f"{prelude}{{{body.strip()}}}")
    return out


def missing() -> set[str]:
    """The rules the file should hold and does not (an extra rule does no harm: the full files
    come after it)."""
    current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
    return rules(build()) - rules(current)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say if it misses a rule")
    args = parser.parse_args(argv)
    if args.check:
        if lacking := missing():
            print(f"{OUTPUT.relative_to(ROOT)} misses {len(lacking)} rules: run this module")
            return 1
        return 0
    css = build()
    OUTPUT.write_text(css, encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(css.encode()) / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
