"""Benchmark: what a club leader's phone downloads to open the record sheet of a 70-member club
(issue: offline meeting entry, budget ≤ 150 KB compressed on first load, ≤ 20 KB later).

    DATABASE_URL=postgres://… .venv/bin/python -m bench.offline_budget [--members 70]

On a migrated database (nothing is kept: the club, its members and the meeting are made in a
transaction that is rolled back), it signs in the club's leader and asks for the sheet as a
phone does (``Accept-Encoding: gzip``, through the project's middleware, GZipMiddleware
included), then every static file the page loads, compressed as WhiteNoise serves them in
production (gzip level 9; WhiteNoise also makes Brotli files, smaller still). A later load is
the page alone: the service worker (``/sw.js``) answers the shell from its cache.

It prints the bytes of each part and an estimate of the time on WebPageTest's "3G Slow"
(400 kbit/s down, 400 ms of latency per round trip), counting one round trip per request
made in sequence (the page, then its files in parallel). It needs no browser; the times
measured in Chromium, on DevTools' "Slow 3G" preset too, are ``bench/offline_browser.py``'s.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import os
import re
import sys
from typing import Any

from bench import _db

SLOW_3G_BYTES_PER_S = 400_000 / 8
SLOW_3G_RTT_S = 0.4
FIRST_LOAD_BUDGET = 150 * 1024
LATER_LOAD_BUDGET = 20 * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=70)
    args = parser.parse_args(argv)
    # Bytes, not speed: development settings (no collected static files needed); the page
    # goes through the same middleware, GZipMiddleware included.
    os.environ["DEBUG"] = "1"
    _db.setup()

    from django.contrib.staticfiles import finders
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from accounts.models import Role

    # The test factories make a club the way the tests do (imported by name: they are not
    # part of the typed code).
    factories: Any = importlib.import_module("tests.factories")
    month_factories: Any = importlib.import_module("tests.factories_month")

    class Rollback(Exception):
        pass

    rows: list[tuple[str, int, int]] = []
    try:
        with transaction.atomic():
            club = factories.ClubFactory(name="CLB LTH Bản Đo")
            for i in range(args.members):
                factories.MemberFactory(club=club, full_name=f"Lò Thị Thành Viên Số {i:02d}")
            meeting = month_factories.MeetingFactory(club=club, date=timezone.localdate())
            leader = factories.UserFactory(
                username="bench-offline-leader", role=Role.CLUB_LEADER, club=club
            )
            client = Client(HTTP_ACCEPT_ENCODING="gzip", HTTP_HOST="localhost")
            client.force_login(leader)
            page = client.get(f"/meetings/{meeting.pk}/record/")
            assert page.status_code == 200, page.status_code
            body = page.content
            html = gzip.decompress(body) if page.get("Content-Encoding") == "gzip" else body
            rows.append(("record sheet (HTML)", len(html), len(body)))
            text = html.decode()
            assets = re.findall(r'(?:src|href)="/static/([^"]+\.(?:js|css|svg|png))"', text)
            for path in dict.fromkeys(assets):
                found = finders.find(path)
                if not found or not isinstance(found, str):
                    continue
                with open(found, "rb") as handle:
                    data = handle.read()
                packed = data if path.endswith(".png") else gzip.compress(data, compresslevel=9)
                rows.append((path, len(data), len(packed)))
            sw = client.get("/sw.js")
            rows.append(("/sw.js (service worker)", len(sw.content), len(sw.content)))
            raise Rollback
    except Rollback:
        pass

    first = sum(packed for _name, _raw, packed in rows)
    later = rows[0][2]
    print(f"Record sheet of {args.members} members, as a phone downloads it:")
    for name, size, packed_size in rows:
        print(f"  {name:<45} {size / 1024:8.1f} KB  {packed_size / 1024:7.1f} KB compressed")
    files = len(rows)
    first_s = 2 * SLOW_3G_RTT_S + first / SLOW_3G_BYTES_PER_S
    later_s = SLOW_3G_RTT_S + later / SLOW_3G_BYTES_PER_S
    print(
        f"first load: {first / 1024:.1f} KB in {files} files (budget "
        f"{FIRST_LOAD_BUDGET // 1024} KB), about {first_s:.1f} s on Slow 3G"
    )
    print(
        f"later load: {later / 1024:.1f} KB (budget {LATER_LOAD_BUDGET // 1024} KB), "
        f"about {later_s:.1f} s on Slow 3G"
    )
    return 0 if first <= FIRST_LOAD_BUDGET and later <= LATER_LOAD_BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
