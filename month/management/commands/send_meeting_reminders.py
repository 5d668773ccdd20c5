"""Plan and send meeting reminders now, synchronously, and say what was done."""

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from month.models import Reminder
from month.reminders import services


class Command(BaseCommand):
    help = "Plan the missing meeting reminders and send those that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="Act as if it were this moment (ISO 8601).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be planned and sent."
        )

    def handle(self, *args, now: str | None = None, dry_run: bool = False, **options) -> None:
        moment = self._parse(now) if now else timezone.now()
        plan = services.reminders_plan(now=moment, dry_run=dry_run)
        if dry_run:
            due = len(services.due_ids(now=moment))
            self.stdout.write(
                f"dry run at {timezone.localtime(moment):%Y-%m-%d %H:%M}: "
                f"{plan.meetings} meetings in range, {plan.rows} reminders considered, "
                f"{due} already planned and due now; nothing written or sent."
            )
            return
        sent = services.send_due(now=moment)
        self.stdout.write(
            f"planned: {plan.created} new reminders for {plan.meetings} meetings "
            f"(at {timezone.localtime(moment):%Y-%m-%d %H:%M})"
        )
        this_run = ", ".join(f"{k}: {v}" for k, v in sorted(sent.counts.items())) or "nothing due"
        self.stdout.write(f"this run: {this_run}")
        totals = dict(
            Reminder.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
        )
        summary = ", ".join(f"{s}: {totals.get(s, 0)}" for s in Reminder.Status.values)
        self.stdout.write(f"outbox: {summary}")

    def _parse(self, value: str) -> datetime.datetime:
        parsed = parse_datetime(value)
        if parsed is None:
            try:
                parsed = datetime.datetime.fromisoformat(value)
            except ValueError as exc:
                raise CommandError(f"--now: not an ISO date-time: {value!r}") from exc
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, timezone.get_current_timezone())
        return parsed
