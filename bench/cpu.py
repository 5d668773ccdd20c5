"""Benchmark: CPU per page of the ``bench.load`` mix, in-process, through the WSGI handler.

Run by hand after ``manage.py seed_scale`` (PostgreSQL and Redis as deployed):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ishc_bench REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python -m bench.cpu --rounds 20 [--profile "loan list"]

Each page of the load's plan is requested ``--rounds`` times by the account that opens it in
the load, through Django's WSGI handler with every middleware (what a gunicorn worker runs,
without the socket). It prints the median CPU of this process per page (the app's share; the
database's is not in it), and the average the load's mix of roles would spend per request,
which is what decides how many requests/s two cores serve. ``--profile NAME`` prints
cProfile's top functions for one page.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import time
from collections.abc import Iterable
from urllib.parse import urlsplit

from bench._db import setup

ROLE_WEIGHTS = {"leader": 7, "commune": 2, "province": 1}  # as bench/locustfile.py


def _environ(url: str, session: str) -> dict:
    from django.test.client import RequestFactory

    parts = urlsplit(url)
    return RequestFactory()._base_environ(
        PATH_INFO=parts.path,
        QUERY_STRING=parts.query,
        REQUEST_METHOD="GET",
        HTTP_COOKIE=f"sessionid={session}",
        HTTP_ACCEPT_ENCODING="gzip",
        SERVER_NAME="127.0.0.1",
        HTTP_HOST="127.0.0.1",
    )


def fetch(handler, url: str, session: str) -> tuple[int, int]:
    """One request as gunicorn would make it; (status, bytes)."""
    status: list[str] = []

    def start_response(line: str, headers: Iterable, exc_info=None):
        status.append(line)

    body = handler(_environ(url, session), start_response)
    size = sum(len(chunk) for chunk in body)
    if hasattr(body, "close"):
        body.close()
    return int(status[0].split()[0]), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--heavy", action="store_true", help="the heavy pages too")
    parser.add_argument("--profile", default="", help="page name to profile with cProfile")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    for name, value in {
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "600",
    }.items():
        os.environ.setdefault(name, value)
    setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from bench.load import plan

    assert connection.vendor == "postgresql", "run this on PostgreSQL (DATABASE_URL)"
    handler = WSGIHandler()
    the_plan = plan(heavy=args.heavy)
    # (role, page name, url, session) for the first account of each role
    pages = []
    for role, entry in the_plan.items():
        account = entry["accounts"][0]
        for name, url in account["pages"]:
            pages.append((role, name, url, account["session"]))

    if args.profile:
        for role, name, url, session in pages:
            if name != args.profile:
                continue
            for _ in range(3):
                fetch(handler, url, session)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.rounds):
                fetch(handler, url, session)
            profiler.disable()
            print(f"{role} / {name} ({url}), {args.rounds} requests")
            for order, only in (("cumulative", r"^(?!.*site-packages)"), ("tottime", "")):
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out).sort_stats(order)
                stats.print_stats(*([only] if only else []), args.top)
                print(out.getvalue())
            return
        raise SystemExit(f"no page named {args.profile!r}")

    print("| role | page | status | KB | CPU ms (median) |")
    print("|---|---|---|---|---|")
    per_role: dict[str, list[float]] = {}
    for role, name, url, session in pages:
        fetch(handler, url, session)  # warm: caches, templates
        times = []
        for _ in range(args.rounds):
            start = time.process_time()
            status, size = fetch(handler, url, session)
            times.append(1000 * (time.process_time() - start))
        median = statistics.median(times)
        per_role.setdefault(role, []).append(median)
        print(f"| {role} | {name} | {status} | {size / 1024:.0f} | {median:.1f} |")
    weight = sum(ROLE_WEIGHTS[r] for r in per_role)
    mix = sum(ROLE_WEIGHTS[r] * statistics.mean(v) for r, v in per_role.items()) / weight
    print(f"\nCPU per request in the load's mix: {mix:.1f} ms (this process; the database apart)")


if __name__ == "__main__":
    main()
