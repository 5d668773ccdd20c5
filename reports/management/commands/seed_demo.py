"""Load the Lai Châu demo: areas, users, clubs and whatever each app adds. Idempotent."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app's ``demo.seed(out)`` runs in this order.
# Funds come before the month records: approving a month's report locks its entries.
DEMO_MODULES = [
    "clubs.demo",
    "accounts.demo",
    "members.demo",
    "funds.demo",
    "trainings.demo",
    "month.demo",
    "association.demo",
    "elders.demo",
    "campaigns.demo",
    "reports.demo",
]


class Command(BaseCommand):
    help = "Load demo data for Lai Châu (areas, the six demo users, clubs, members, …)."

    def handle(self, *args, **options) -> None:
        for name in DEMO_MODULES:
            module = importlib.import_module(name)
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Password for all users: Demo@12345"))
