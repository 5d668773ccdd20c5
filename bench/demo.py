"""Benchmark: how long `manage.py seed_demo` takes, app by app (run by hand, not in CI).

On a freshly migrated database of its own (the demo is idempotent: on a database that already
holds it, the first pass measures the second run):

    createdb -h 127.0.0.1 -U postgres ishc_bench_demo
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ishc_bench_demo \\
        .venv/bin/python -m bench.demo

It migrates, then seeds each app's demo in the order of `seed_demo`, each in its own
transaction as the command does, with the project's password hashers; then seeds it all a
second time (nothing should be added). Targets, from the tests these timings came out of:
clubs + accounts + members under 10 s, the month's records under 15 s, a second run under 5 s.
Exits with status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import importlib
import io
import sys
import time

from bench._db import peak_mb, setup

TARGETS = {  # seconds, for the first run
    ("clubs.demo", "accounts.demo", "members.demo"): 10.0,
    ("month.demo",): 15.0,
}
SECOND_RUN_TARGET = 5.0


def seed_all(modules: list[str]) -> dict[str, float]:
    from django.db import transaction

    seconds: dict[str, float] = {}
    for name in modules:
        module = importlib.import_module(name)
        started = time.perf_counter()
        with transaction.atomic():
            module.seed(io.StringIO())
        seconds[name] = time.perf_counter() - started
    return seconds


def main() -> int:
    argparse.ArgumentParser(description=__doc__.split("\n", 1)[0]).parse_args()
    setup()
    from django.core.management import call_command

    from clubs.models import Club
    from reports.management.commands.seed_demo import DEMO_MODULES

    call_command("migrate", verbosity=0)
    if Club.objects.exists():
        print("warning: the database already has clubs; the first pass is not a first run")

    first = seed_all(DEMO_MODULES)
    second = seed_all(DEMO_MODULES)
    print(f"{'demo module':<16} {'first run':>10} {'second run':>11}")
    for name in DEMO_MODULES:
        print(f"{name:<16} {first[name]:>8.1f} s {second[name]:>9.1f} s")
    print(f"{'total':<16} {sum(first.values()):>8.1f} s {sum(second.values()):>9.1f} s")
    print(f"peak memory {peak_mb():.0f} MB")

    missed = [
        f"{' + '.join(names)}: {sum(first[n] for n in names):.1f} s > {limit:.0f} s"
        for names, limit in TARGETS.items()
        if sum(first[n] for n in names) > limit
    ]
    if sum(second.values()) > SECOND_RUN_TARGET:
        missed.append(f"second run: {sum(second.values()):.1f} s > {SECOND_RUN_TARGET:.0f} s")
    for line in missed:
        print(f"over target: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
