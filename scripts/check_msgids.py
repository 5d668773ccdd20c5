#!/usr/bin/env python3
"""Fails when one English msgid means two things.

Django merges every catalogue (the root ``locale/`` and each app's ``<app>/locale/``) into
one table per language: a msgid has a single translation at run time, whichever catalogue
comes first. So a word translated one way in one app and another way in another ("Name":
"Họ và tên" for a member, "Tên" for a fund) shows the wrong word on one of the pages. Such
a msgid must be told apart with a context (``pgettext("fund", "Name")``,
``{% translate "Name" context "fund" %}``), which makes it two entries.

Checked here:
1. the same msgid (with the same context, or none) translated differently in two app
   catalogues. The root catalogue (``locale/``) comes first at run time and is where the
   project words Django's own messages and the site-wide strings: where it has a msgid, its
   wording is the one shown everywhere, so an app's other wording of it is not a second
   meaning on a page (only dead text);
2. a bare msgid from the list of words known to carry several meanings (AMBIGUOUS) without
   a context.

There is no allow-list: two wordings of one meaning ("Tổng" and "Tổng cộng") fail too. Pick
one and set it in every catalogue that has the msgid; two meanings get a context each.

Usage: scripts/check_msgids.py [PO ...]  (default: every Vietnamese catalogue)
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# English words whose Vietnamese depends on what they are about: each must carry a context.
AMBIGUOUS = {
    "Minutes",  # biên bản (a meeting's record) / phút (a duration)
    "Meets",  # đạt (a target) / họp (a club meets)
    "Now",  # bây giờ / hiện nay / vừa mới đây
    "Name",  # họ và tên (a person) / tên (a fund, a club)
    "Participants",  # người tham gia / học viên (a training)
}


def _unquote(lines: list[str], key: str) -> str | None:
    parts: list[str] = []
    taking = False
    for line in lines:
        if line.startswith(key + " "):
            parts = [line[len(key) + 1 :]]
            taking = True
        elif taking and line.startswith('"'):
            parts.append(line)
        elif taking:
            break
    if not parts:
        return None
    return "".join(ast.literal_eval(p) for p in parts)


def entries(path: Path):
    """(context, msgid, msgstr) of each translated, non-obsolete entry of a .po file."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        msgid = _unquote(lines, "msgid")
        if not msgid:
            continue
        context = _unquote(lines, "msgctxt") or ""
        msgstr = _unquote(lines, "msgstr") or _unquote(lines, "msgstr[0]") or ""
        yield context, msgid, msgstr


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or sorted(
        [ROOT / "locale/vi/LC_MESSAGES/django.po", *ROOT.glob("*/locale/vi/LC_MESSAGES/django.po")]
    )
    meanings: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    problems: list[str] = []
    for path in paths:
        where = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
        for context, msgid, msgstr in entries(path):
            if msgstr:
                meanings[(context, msgid)][msgstr.strip()].append(where)
            if not context and msgid in AMBIGUOUS:
                problems.append(f"{where}: {msgid!r} needs a context (pgettext)")
    root = str(ROOT / "locale/vi/LC_MESSAGES/django.po")
    root_rel = "locale/vi/LC_MESSAGES/django.po"
    for (context, msgid), by_text in sorted(meanings.items()):
        label = f"{context}|{msgid}" if context else msgid
        places = {w for where in by_text.values() for w in where}
        if root in places or root_rel in places:
            continue  # the root catalogue's wording is the one shown
        if len(by_text) > 1:
            said = "; ".join(
                f"{text!r} in {', '.join(sorted(set(w)))}" for text, w in by_text.items()
            )
            problems.append(f"{label!r} has two meanings: {said}")
    for line in problems:
        print(line)
    if problems:
        print(
            f"\n{len(problems)} msgid(s) with more than one meaning: give each meaning a context "
            "(pgettext / {% translate ... context ... %}).",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
