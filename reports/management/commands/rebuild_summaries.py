"""Rebuild the dashboard figures (ClubMonthSummary and companions, the year rows) and the
clubs' composition rows from the records."""

from django.core.management.base import BaseCommand, CommandError

from clubs.models import Club
from reports import periods, summary


class Command(BaseCommand):
    help = (
        "Rebuild the club × month and club × year summaries the dashboards read, and the "
        "clubs' compositions, from the raw records."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--club", type=int, help="Only this club (its id).")
        parser.add_argument(
            "--months",
            type=int,
            default=periods.HISTORY_MONTHS,
            help=f"How many months back, the current one included (default "
            f"{periods.HISTORY_MONTHS}).",
        )

    def handle(self, *args, club=None, months=periods.HISTORY_MONTHS, **options) -> None:
        if months < 1:
            raise CommandError("--months must be at least 1.")
        if club is not None and not Club.objects.filter(pk=club).exists():
            raise CommandError(f"No club with id {club}.")
        written = summary.rebuild(club_id=club, months=months)
        self.stdout.write(
            self.style.SUCCESS(f"Rebuilt {written} club-month rows over {months} months.")
        )
