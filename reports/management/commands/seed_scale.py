"""Generate national-scale data for benchmarks (PostgreSQL): ``manage.py seed_scale --clubs N``.

The generator lives with the benchmarks, in ``bench/scale/``."""

import resource
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench import scale


class Command(BaseCommand):
    help = (
        "Generate N clubs with members and M months of meetings, attendance, health checks, "
        "activities, home-care visits, dues, loans, ledger entries, monthly reports and "
        "trainings (COPY in batches; PostgreSQL only), then rebuild the dashboard summaries."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clubs", type=int, required=True, help="How many clubs.")
        parser.add_argument(
            "--months", type=int, default=12, help="Months of club life, up to this one."
        )
        parser.add_argument("--seed", type=int, default=2035, help="Random seed.")
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="Empty the generated tables first (clubs, members, funds, trainings, reports).",
        )
        parser.add_argument(
            "--check-fks",
            action="store_true",
            help="Keep foreign-key checks on while loading (slower).",
        )
        parser.add_argument(
            "--no-summaries", action="store_true", help="Do not rebuild the dashboard summaries."
        )

    def handle(self, *args, **options) -> None:
        clubs, months = options["clubs"], options["months"]
        if clubs < 1 or not 1 <= months <= 120:
            raise CommandError("--clubs must be at least 1 and --months between 1 and 120.")
        try:
            result = scale.seed(
                clubs=clubs,
                months=months,
                seed=options["seed"],
                fresh=options["fresh"],
                check_fks=options["check_fks"],
                log=self.stdout.write,
            )
        except scale.ScaleDataExists as exc:
            raise CommandError(str(exc)) from exc
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        total = sum(result.rows.values())
        self.stdout.write(
            f"Generated {result.clubs} clubs, {result.members} members, {total} rows "
            f"in {result.seconds:.0f} s (peak memory {_peak_mb():.0f} MB)."
        )
        for table, n in sorted(result.rows.items(), key=lambda x: -x[1]):
            self.stdout.write(f"  {table}: {n}")
        self.stdout.write(f"Users (password {scale.PASSWORD}): {', '.join(result.users)}")
        if not options["no_summaries"]:
            from reports import summary

            started = time.perf_counter()
            written = summary.rebuild(months=months)
            self.stdout.write(
                f"Summary rebuild: {written} club-month rows in "
                f"{time.perf_counter() - started:.0f} s (peak memory {_peak_mb():.0f} MB)."
            )
        self.stdout.write(self.style.SUCCESS("Done."))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
