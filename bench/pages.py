"""Benchmark: latency of the heaviest page of each role on a database filled by seed_scale.

Run by hand on PostgreSQL, DEBUG off, after ``manage.py seed_scale``:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ishc_bench \\
        .venv/bin/python -m bench.pages --requests 30

Each page is requested in-process through Django's test client (the whole middleware stack,
sessions in the database, templates rendered; no network and no web server), as the user
seed_scale made for that role: ``scale_province`` (the province with the most clubs),
``scale_commune`` (its commune with the most clubs), ``scale_leader`` (a club there). After
``--warmup`` requests of each page, ``--requests`` rounds (every page once per round) give p50
and p95 (nearest rank); one more request, with queries captured, gives the number of SQL
queries. Target: p95 ≤ 300 ms at 20,000 clubs.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import pstats
import statistics
import time

from bench._db import setup

TARGET_MS = 300


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def pages() -> list[tuple[str, str, str]]:
    """(page, username, url) for the heaviest page of each role."""
    from django.db.models import Count
    from django.urls import reverse

    from accounts.models import User
    from funds.models import Fund
    from month.models import Meeting, MonthlyReport
    from trainings.models import Training

    province = User.objects.get(username="scale_province")
    commune = User.objects.get(username="scale_commune")
    leader = User.objects.get(username="scale_leader")
    club_id = leader.club_id
    meeting = Meeting.objects.filter(club_id=club_id, status="held").order_by("-date").first()
    report = MonthlyReport.objects.filter(club_id=club_id).order_by("-year", "-month").first()
    fund = Fund.objects.get(club_id=club_id, kind="operating")
    training = (
        Training.objects.filter(organiser_id=province.area_id)
        .annotate(n=Count("participants"))
        .order_by("-n", "pk")
        .first()
    )
    out = [
        ("province dashboard", province.username, reverse("reports:area", args=[province.area_id])),
        ("commune dashboard", commune.username, reverse("reports:area", args=[commune.area_id])),
        ("club page", leader.username, reverse("clubs:club_detail", args=[club_id])),
        ("club dashboard", leader.username, reverse("reports:club", args=[club_id])),
        ("member list", leader.username, reverse("members:member_list", args=[club_id])),
        ("meeting record", leader.username, reverse("month:meeting_record", args=[meeting.pk])),
        ("fund ledger", leader.username, reverse("funds:fund_detail", args=[fund.pk])),
        ("loan list", leader.username, reverse("funds:loan_list", args=[club_id])),
        (
            "training participants",
            province.username,
            reverse("trainings:participants", args=[training.pk]),
        ),
        ("monthly report", leader.username, reverse("month:report_detail", args=[report.pk])),
        ("report inbox (province)", province.username, reverse("month:report_inbox")),
        ("club list (province)", province.username, reverse("clubs:club_list")),
    ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="", help="only pages whose name contains this")
    parser.add_argument("--json", default="", help="also write the results to this file")
    parser.add_argument(
        "--profile", type=int, default=0, help="print the N functions that took most time"
    )
    args = parser.parse_args()

    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from clubs.models import Club

    assert connection.vendor == "postgresql", "run this on PostgreSQL (DATABASE_URL)"
    clubs = Club.objects.count()
    clients: dict[str, Client] = {}
    results = []
    print(f"{clubs} clubs; {args.requests} requests per page after {args.warmup} warm-up")
    print("| page | user | queries | p50 ms | p95 ms | max ms | status |")
    print("|---|---|---|---|---|---|---|")
    todo = []
    for name, username, url in pages():
        if args.only and args.only not in name:
            continue
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client(HTTP_HOST="localhost")
            client.force_login(User.objects.get(username=username))
        for _ in range(args.warmup):
            client.get(url, secure=True)
        todo.append((name, username, url, client))
    # Rounds: every page once per round, so that a moment when the machine is busy slows
    # every page a little instead of one page a lot.
    times: dict[str, list[float]] = {name: [] for name, *_rest in todo}
    status: dict[str, int] = {}
    profiler = cProfile.Profile() if args.profile else None
    for _ in range(args.requests):
        for name, _username, url, client in todo:
            start = time.perf_counter()
            if profiler:
                profiler.enable()
            response = client.get(url, secure=True)
            if profiler:
                profiler.disable()
            times[name].append((time.perf_counter() - start) * 1000)
            status[name] = response.status_code
    for name, username, url, client in todo:
        with CaptureQueriesContext(connection) as queries:
            client.get(url, secure=True)
        row = {
            "page": name,
            "user": username,
            "url": url,
            "status": status[name],
            "queries": len(queries),
            "p50": statistics.median(times[name]),
            "p95": percentile(times[name], 95),
            "max": max(times[name]),
        }
        results.append(row)
        flag = "" if row["p95"] <= TARGET_MS else " ✗"
        print(
            f"| {name} | {username} | {row['queries']} | {row['p50']:.0f} | "
            f"{row['p95']:.0f}{flag} | {row['max']:.0f} | {row['status']} |",
            flush=True,
        )
    if profiler:
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("tottime").print_stats(args.profile)
        stats.sort_stats("cumulative").print_stats(args.profile)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"clubs": clubs, "pages": results}, fh, indent=1)


if __name__ == "__main__":
    main()
