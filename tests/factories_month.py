"""Factories for the club's month, and the Vietnamese strings of clubs/month_translations.tsv.

The month's Vietnamese lives in ``clubs/month_translations.tsv`` until it is merged into the
clubs catalogue; ``month_catalog`` (import it into a test module) loads it into the active
``vi`` catalogue so tests read what a user reads, and ``vi(msgid)`` gives the expected text.
"""

import datetime
from functools import cache
from pathlib import Path

import factory
import pytest
from factory.django import DjangoModelFactory

from clubs.models_month import (
    Activity,
    Attendance,
    HealthCheck,
    HomeCareVisit,
    Meeting,
    MonthlyReport,
)
from tests.factories import ClubFactory, MemberFactory

TSV = Path(__file__).resolve().parent.parent / "clubs" / "month_translations.tsv"


@cache
def month_translations() -> dict[str, str]:
    pairs = {}
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            msgid, msgstr = line.split("\t")
            pairs[msgid] = msgstr
    return pairs


def vi(msgid: str) -> str:
    """The Vietnamese of an English msgid added by the month module (fails when missing)."""
    text = month_translations()[msgid]
    assert text and text != msgid
    return text


@pytest.fixture(autouse=True)
def month_catalog():
    from django.utils.translation import trans_real

    catalog = trans_real.translation("vi")._catalog
    for msgid, msgstr in month_translations().items():
        if msgid not in catalog:
            catalog[msgid] = msgstr
    return


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    club = factory.SubFactory(ClubFactory)
    date = datetime.date(2024, 5, 21)
    starts_at = datetime.time(8, 0)
    place = "Nhà văn hóa bản"
    status = Meeting.Status.PLANNED


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.LazyAttribute(lambda o: MemberFactory(club=o.meeting.club))
    status = Attendance.Status.PRESENT


class HealthCheckFactory(DjangoModelFactory):
    class Meta:
        model = HealthCheck

    member = factory.SubFactory(MemberFactory)
    club = factory.LazyAttribute(lambda o: o.member.club)
    date = datetime.date(2024, 5, 21)
    systolic = 125
    diastolic = 80
    weight = None


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    club = factory.SubFactory(ClubFactory)
    date = datetime.date(2024, 5, 10)
    title = "Tập huấn chăn nuôi gà"
    participant_count = 20
    beneficiaries = 20
    cost = 500_000


class HomeCareVisitFactory(DjangoModelFactory):
    class Meta:
        model = HomeCareVisit

    club = factory.SubFactory(ClubFactory)
    volunteer = factory.LazyAttribute(lambda o: MemberFactory(club=o.club, is_volunteer=True))
    recipient = factory.LazyAttribute(lambda o: MemberFactory(club=o.club))
    date = datetime.date(2024, 5, 12)
    services = "housework,company"
    duration_minutes = 60


class MonthlyReportFactory(DjangoModelFactory):
    class Meta:
        model = MonthlyReport

    club = factory.SubFactory(ClubFactory)
    year = 2024
    month = 5
    status = MonthlyReport.Status.DRAFT
