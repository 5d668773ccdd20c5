"""Readings kept of members without recorded consent: count them per club, or delete them.

Readings need the member's consent (docs/privacy.md, "Consent"); readings taken before that
rule may remain. Run it without options first: staff may still record a consent given on paper
(the member's page), and the readings of that member then stay.
"""

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count

from month.selectors import readings_without_consent
from month.services import readings_without_consent_erase


class Command(BaseCommand):
    help = "Count (or, with --delete, delete) the readings of members without recorded consent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete", action="store_true", help="Delete them (cannot be undone).")

    def handle(self, *args, delete: bool = False, **options) -> None:
        per_club = (
            readings_without_consent()
            .values("club__code", "club__name")
            .annotate(readings=Count("pk"), members=Count("member", distinct=True))
            .order_by("club__code")
        )
        for row in per_club:
            self.stdout.write(
                f"{row['club__code']} {row['club__name']}: {row['readings']} readings of "
                f"{row['members']} members"
            )
        if not delete:
            total = sum(row["readings"] for row in per_club)
            self.stdout.write(f"{total} readings without consent; nothing deleted (--delete).")
            return
        self.stdout.write(f"deleted: {readings_without_consent_erase()} readings")
