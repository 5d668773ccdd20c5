"""Benchmark of a report upward: compiling the annex of the biggest province (run by hand).

    DEBUG=0 .venv/bin/python bench/periodic.py [--kind annual] [--year 2026] [--rounds 3]

Uses the configured database (DATABASE_URL), e.g. one filled by `manage.py seed_scale`.
Times ``reports.periodic.compile_annex`` for the province with the most clubs, the first round
cold (summary rows computed where the period is older than the dashboards' history), the
others warm, and prints seconds and the number of SQL queries. Target: ≤ 10 s at 20,000 clubs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from clubs.models import Area, Club  # noqa: E402
from reports import periodic  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", default="annual", choices=["annual", "six_month", "programme"])
    parser.add_argument("--year", type=int, default=timezone.localdate().year)
    parser.add_argument("--half", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    half = args.half or (1 if args.kind == "six_month" else None)
    biggest = Club.objects.values("province_id").annotate(n=Count("pk")).order_by("-n").first()
    if biggest is None:
        sys.exit("No clubs: run `manage.py seed_scale --clubs N` first.")
    province = Area.objects.get(pk=biggest["province_id"])
    print(f"{province.name}: {biggest['n']} clubs, {Club.objects.count()} in the country")
    for i in range(args.rounds):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            annex = periodic.compile_annex(area=province, kind=args.kind, year=args.year, half=half)
        seconds = time.perf_counter() - started
        rows = sum(len(s["rows"]) for s in annex["sections"])
        print(
            f"round {i + 1} ({'cold' if i == 0 else 'warm'}): {seconds:.2f} s, "
            f"{len(queries)} queries, {rows} rows"
        )


if __name__ == "__main__":
    main()
