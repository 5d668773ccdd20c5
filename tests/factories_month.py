"""Factories for the club's month; ``vi(msgid)`` gives the Vietnamese a user reads."""

import datetime

import factory
from factory.django import DjangoModelFactory

from month.models import (
    Activity,
    Attendance,
    HealthCheck,
    HomeCareVisit,
    Meeting,
    MonthlyReport,
)
from tests.factories import ClubFactory, MemberFactory


def vi(msgid: str) -> str:
    """The Vietnamese a user reads for an English msgid (fails when it is not translated)."""
    from django.utils import translation

    with translation.override("vi"):
        text = translation.gettext(msgid)
    assert text and text != msgid, f"no Vietnamese for {msgid!r}"
    return text


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

    # Readings are kept only for members who agreed to their health data being kept.
    member = factory.SubFactory(
        MemberFactory, consent_on=datetime.date(2024, 1, 10), consent_method="paper"
    )
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
