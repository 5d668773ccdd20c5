"""Delete the rows of the access log older than the retention period (the daily task does the
same; this is for a one-off run, or a shorter period before handing a copy of the database)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.access_log.services import access_log_prune


class Command(BaseCommand):
    help = "Delete access-log rows older than ISHC_ACCESS_LOG_DAYS (or --days)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"keep this many days instead of {settings.ISHC_ACCESS_LOG_DAYS}",
        )

    def handle(self, *args: Any, days: int | None = None, **options: Any) -> None:
        try:
            deleted = access_log_prune(days=days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{deleted} access-log rows deleted.")
