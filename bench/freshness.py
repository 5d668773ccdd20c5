"""Benchmark: how soon the province dashboard shows a leader's write, with Celery running.

Run by hand on a database filled by ``manage.py seed_scale``, with Redis, a worker for each
queue and beat started as README deploys them (the default queue and ``summaries``):

    export DATABASE_URL=postgres://…/ishc_bench20k REDIS_URL=redis://127.0.0.1:6379/4
    .venv/bin/celery -A config worker -Q celery -P solo &
    .venv/bin/celery -A config worker -Q summaries -P solo &
    .venv/bin/celery -A config beat --pidfile= &
    .venv/bin/python -m bench.freshness --trials 3

Each trial asks the worker to plan the meeting reminders (``reminders.plan``, the longest
task of the default queue) and at the same moment adds a member to ``scale_leader``'s club
through the service, as the form does; then it reads the province's dashboard figures
(the club's current month in the summary tables, which the dashboard reads) every second
until the new member is counted, and prints the delay. Beat runs ``refresh_summaries``
every 20 seconds (reports migration 0007): the target is at most a minute.
"""

from __future__ import annotations

import argparse
import time

from bench._db import setup


def trial(timeout: float) -> float | None:
    from django.utils import timezone

    from accounts.models import User
    from config.celery import app
    from members import services
    from reports.models import ClubMonthSummary
    from reports.periods import current_ym

    leader = User.objects.get(username="scale_leader")
    club = leader.club
    assert club is not None
    ym = current_ym()

    def counted() -> int:
        row = ClubMonthSummary.objects.filter(club=club, ym=ym).values("members").first()
        return row["members"] if row else -1

    before = counted()
    app.send_task("reminders.plan")
    services.member_create(
        club=club,
        fields={
            "full_name": "Người Đo Độ Tươi",
            "sex": "F",
            "birth_year": 1950,
            "joined_on": timezone.localdate(),
        },
        by=leader,
    )
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if counted() > before:
            return time.monotonic() - t0
        time.sleep(1)
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    setup()
    from django.db import connection

    from clubs.models import Club

    print(f"{Club.objects.count()} clubs; summary refresh on queue 'summaries'")
    delays = []
    for n in range(args.trials):
        delay = trial(args.timeout)
        connection.close()
        delays.append(delay)
        shown = "not within the time limit" if delay is None else f"{delay:.0f} s"
        print(f"trial {n + 1}: the province dashboard counted the new member after {shown}")
    done = sorted(d for d in delays if d is not None)
    if done:
        print(f"median {done[len(done) // 2]:.0f} s, max {done[-1]:.0f} s (target ≤ 60 s)")


if __name__ == "__main__":
    main()
