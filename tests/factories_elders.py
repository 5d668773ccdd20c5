"""Older persons on a commune's register, and care funds holding money, for the elders tests."""

import datetime

import factory
from factory.django import DjangoModelFactory

from elders.models import CareFundPlan, OlderPerson
from funds import services as funds_services
from funds.models import Fund, LedgerEntry
from tests.factories import CommuneFactory

DAY = datetime.date(2025, 3, 10)


class OlderPersonFactory(DjangoModelFactory):
    class Meta:
        model = OlderPerson

    commune = factory.SubFactory(CommuneFactory)
    full_name = factory.Sequence(lambda n: f"Lò Văn Thọ {n}")
    sex = OlderPerson.Sex.MALE
    birth_year = 1945
    village = "Bản Mới"


def care_fund(area, *, balance: int = 0, day: datetime.date = DAY) -> Fund:
    """The care fund of a commune's (or a province's) association, with ``balance`` in it."""
    fund = funds_services.fund_create(
        kind=Fund.Kind.CARE, name=f"Quỹ chăm sóc NCT {area.name}", owner_area=area
    )
    if balance:
        funds_services.entry_record(
            fund=fund,
            date=day,
            amount=balance,
            direction=LedgerEntry.Direction.IN,
            category=LedgerEntry.Category.DONATION,
            by=None,
            payer="Nhà hảo tâm",
        )
        fund.refresh_from_db()
    return fund


class CareFundPlanFactory(DjangoModelFactory):
    class Meta:
        model = CareFundPlan

    area = factory.SubFactory(CommuneFactory)
    year = 2024
    target_members = 10_000_000
    target_businesses = 5_000_000
    spend_tet_gift = 8_000_000
    spend_sick_visit = 4_000_000
