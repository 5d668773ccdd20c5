"""Factories and helpers for the member register and clubs tests."""

import datetime
import io

import factory
from factory.django import DjangoModelFactory
from openpyxl import Workbook

from clubs.models import BoardPosition
from members.excel import COLUMNS
from members.models import CareAssignment, ImportJob, Member
from tests.factories import ClubFactory, MemberFactory


class ConsentedMemberFactory(MemberFactory):
    """A member whose consent is recorded, so sensitive fields may be set."""

    consent_on = datetime.date(2024, 1, 10)
    consent_method = Member.ConsentMethod.PAPER
    ethnicity = "Thái"
    household_status = Member.Household.POOR


class VolunteerFactory(ConsentedMemberFactory):
    is_volunteer = True
    birth_year = 1980
    sex = Member.Sex.MALE


class CareAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = CareAssignment

    volunteer = factory.SubFactory(VolunteerFactory)
    recipient = factory.SubFactory(
        ConsentedMemberFactory, club=factory.SelfAttribute("..volunteer.club"), needs_care=True
    )
    start_on = datetime.date(2024, 2, 1)


class BoardPositionFactory(DjangoModelFactory):
    class Meta:
        model = BoardPosition

    club = factory.SubFactory(ClubFactory)
    member = factory.SubFactory(MemberFactory, club=factory.SelfAttribute("..club"))
    position = BoardPosition.Position.CHAIR
    start_on = datetime.date(2024, 1, 1)


class ImportJobFactory(DjangoModelFactory):
    class Meta:
        model = ImportJob

    club = factory.SubFactory(ClubFactory)
    filename = "ds.xlsx"
    rows = factory.LazyFunction(list)
    problems = factory.LazyFunction(list)
    total = 0


def xlsx(rows, headers=None, *, sheet_rows=None) -> io.BytesIO:
    """An in-memory .xlsx with the template's headers (or ``headers``) and ``rows``."""
    wb = Workbook()
    ws = wb.active
    if sheet_rows is not None:
        for row in sheet_rows:
            ws.append(row)
    else:
        ws.append(headers or [c.header for c in COLUMNS])
        keys = [c.key for c in COLUMNS]
        for row in rows:
            ws.append([row.get(k) for k in keys] if isinstance(row, dict) else row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "ds.xlsx"
    return buf


def member_row(name="Lò Thị Xuân", year=1956, **extra) -> dict:
    return {"full_name": name, "sex": "Nữ", "birth_year": year, **extra}


class ClubObjects:
    """One of each scoped object in a club, for the access matrix."""

    def __init__(self, club):
        self.club = club
        self.member = ConsentedMemberFactory(club=club, full_name="Lường Thị Ón")
        self.assignment = CareAssignmentFactory(volunteer=VolunteerFactory(club=club))
        self.seat = BoardPositionFactory(club=club, member=self.member)
        self.job = ImportJobFactory(club=club)

    def kwargs(self, needs: str) -> dict:
        return {
            "club": {"pk": self.club.pk},
            "club_id": {"club_id": self.club.pk},
            "seat": {"pk": self.club.pk, "seat_pk": self.seat.pk},
            "area": {"pk": self.club.commune_id},
            "member": {"pk": self.member.pk},
            "job": {"pk": self.job.pk},
            "assignment": {"pk": self.assignment.pk},
        }[needs]


# (url name, which object, does it accept POST)
SCOPED_URLS = [
    ("clubs:club_detail", "club", False),
    ("clubs:club_edit", "club", True),
    ("clubs:club_status", "club", True),
    ("clubs:board_add", "club", True),
    ("clubs:board_end", "seat", True),
    ("clubs:area_composition", "area", False),
    ("members:member_list", "club_id", False),
    ("members:member_create", "club_id", True),
    ("members:import_upload", "club_id", True),
    ("members:club_export", "club_id", False),
    ("members:care_list", "club_id", True),
    ("members:area_export", "area", True),  # a long list: POST asks for it in the background
    ("members:member_detail", "member", False),
    ("members:member_edit", "member", True),
    ("members:member_leave", "member", True),
    ("members:member_transfer", "member", True),
    ("members:consent_withdraw", "member", True),
    ("members:import_preview", "job", True),
    ("members:import_progress", "job", False),
    ("members:care_end", "assignment", True),
]
