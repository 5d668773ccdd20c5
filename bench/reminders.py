"""Benchmark: plan meeting reminders for N clubs (≈60 members each) and send them.

Run by hand on PostgreSQL (not in CI), on a database of its own:

    createdb -h 127.0.0.1 -U postgres ishc_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ishc_bench \\
        .venv/bin/python -m bench.reminders --clubs 20000 --send 50000

It migrates, loads the areas, creates the clubs, members and one planned meeting per club with
COPY, then times planning (all clubs) and sending (``--send`` reminders, console backend).
Targets: planning ≤ 60 s and ≤ 500 MB; sending ≥ 1,000 reminders/s per process.
"""

from __future__ import annotations

import argparse
import datetime
import random

from bench._db import Timer, copy_rows, peak_mb, setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clubs", type=int, default=20_000)
    parser.add_argument("--members", type=int, default=60, help="members per club")
    parser.add_argument("--send", type=int, default=50_000, help="reminders to send")
    args = parser.parse_args()

    setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from clubs.models import Area, Club
    from config.text import fold
    from members.models import Member
    from month.models import Meeting, Reminder
    from month.reminders import services

    assert connection.vendor == "postgresql", "run this on PostgreSQL (DATABASE_URL)"
    settings.ISHC_SMS_BACKEND = "console"
    settings.ISHC_SMS_CONSOLE_FILE = ""
    settings.ISHC_QUIET_HOURS = "off"
    settings.ISHC_REMINDER_LEAD_DAYS = [3, 1]
    call_command("migrate", verbosity=0)
    call_command("load_areas", verbosity=0)

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE clubs_reminder, clubs_meeting, members_member, clubs_club CASCADE")
    rng = random.Random(1)
    communes = list(Area.objects.filter(level="commune").values_list("pk", flat=True))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with Timer(f"create {args.clubs} clubs"):
        copy_rows(
            Club,
            (
                {
                    "code": f"B-{i:06d}",
                    "name": f"CLB LTH Bản {i}",
                    "search_name": f"clb lth ban {i}",
                    "commune_id": communes[i % len(communes)],
                    "meeting_day": 21,
                    "meeting_time": datetime.time(8, 0),
                }
                for i in range(args.clubs)
            ),
        )
    club_ids = list(Club.objects.order_by("pk").values_list("pk", flat=True))
    with Timer(f"create {args.clubs * args.members} members"):
        copy_rows(
            Member,
            (
                {
                    "club_id": club_id,
                    "full_name": f"Lò Thị {n}",
                    "search_name": fold(f"Lò Thị {n}"),
                    "sex": "F",
                    "birth_year": 1950 + n % 40,
                    "phone": f"09{rng.randint(10_000_000, 99_999_999)}",
                    "joined_on": datetime.date(2020, 1, 1),
                }
                for club_id in club_ids
                for n in range(args.members)
            ),
        )
    with Timer(f"create {len(club_ids)} meetings"):
        copy_rows(
            Meeting,
            (
                {
                    "club_id": c,
                    "date": tomorrow,
                    "starts_at": datetime.time(8, 0),
                    "status": "planned",
                }
                for c in club_ids
            ),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    # Planning at 07:00 the day before: the 1-day reminders are due, the 3-day ones are stale.
    settings.ISHC_REMINDER_MAX_AGE_HOURS = 24 * 4
    now = timezone.make_aware(
        datetime.datetime.combine(tomorrow - datetime.timedelta(days=1), datetime.time(9, 0))
    )
    with Timer("plan") as plan_timer:
        result = services.reminders_plan(now=now)
    print(f"  planned {result.created} reminders for {result.meetings} meetings")
    with Timer("plan again (idempotent)"):
        again = services.reminders_plan(now=now)
    print(f"  created {again.created}")

    ids = services.due_ids(now=now, limit=args.send)
    with Timer(f"send {len(ids)}") as send_timer:
        sent = services.send_due(now=now, limit=args.send)
    rate = len(ids) / send_timer.seconds if send_timer.seconds else 0
    print(f"  {dict(sent.counts)}; {rate:.0f} reminders/s in one process")
    print(
        f"RESULT clubs={args.clubs} reminders={Reminder.objects.count()} "
        f"plan_s={plan_timer.seconds:.1f} peak_mb={peak_mb():.0f} send_per_s={rate:.0f}"
    )


if __name__ == "__main__":
    main()
