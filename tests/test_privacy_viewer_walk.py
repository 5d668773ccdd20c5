"""A viewer walks every page and file of the app and finds no one's personal data.

The data has markers a leak would carry: a member's phone number, her ethnicity (a rare
group), her name, a blood-pressure reading and a weight; a training participant's phone,
ethnicity and name. Every URL pattern of the project (the Django admin aside, which its own
tests cover, and the sign-out and language endpoints, which only take POST) is resolved with
the ids of objects that exist, fetched as the viewer, and every body searched: HTML, the
cells of every .xlsx sheet, the text drawn into every PDF. A new URL whose ids the walk
cannot fill fails here, so that it is walked too.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Notification, Role
from accounts.notifications import notify
from elders import services as elders_services
from elders.models import OlderPerson, OlderPersonImport
from funds import services as funds_services
from members.imports import import_prepare
from members.models import Member, MemberExportJob
from month import services as month_services
from month.models import Meeting, Reminder
from reports import exports, summary
from reports import figures as fig
from reports.models import ExportJob, PeriodicReport
from tests.factories import MemberFactory, UserFactory
from tests.factories_elders import CareFundPlanFactory, care_fund
from tests.factories_funds import make_loan, operating
from tests.factories_members import (
    BoardPositionFactory,
    CareAssignmentFactory,
    ConsentedMemberFactory,
    VolunteerFactory,
    member_row,
    xlsx,
)
from tests.factories_month import (
    ActivityFactory,
    AttendanceFactory,
    HealthCheckFactory,
    HomeCareVisitFactory,
    MeetingFactory,
)
from tests.factories_trainings import ParticipantFactory, TrainingFactory, check_in
from trainings import services as training_services
from trainings.models import Participant

pytestmark = pytest.mark.django_db

MEMBER_NAME = "Quàng Thị Riêngtư"
MEMBER_PHONE = "0968271530"
MEMBER_ETHNICITY = "Si La"  # members/ethnicities.py: stored and shown as its official name
PARTICIPANT_NAME = "Lò Văn Kínđáo"
PARTICIPANT_PHONE = "0987654321"
PARTICIPANT_ETHNICITY = "Pu Péo"
SYSTOLIC, DIASTOLIC, WEIGHT = 177, 99, "77.7"


def _phone_pattern(national: str) -> re.Pattern[str]:
    """The number however it is written: 0912345678, 0912 345 678, +84 912.345.678, 84912…"""
    digits = national[1:]
    gap = r"[\s.\-]*"
    return re.compile(r"(?:\+?84|0)" + gap + gap.join(digits))


MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("member's phone", _phone_pattern(MEMBER_PHONE)),
    ("participant's phone", _phone_pattern(PARTICIPANT_PHONE)),
    ("member's ethnicity", re.compile(re.escape(MEMBER_ETHNICITY))),
    ("participant's ethnicity", re.compile(re.escape(PARTICIPANT_ETHNICITY))),
    ("member's name", re.compile(re.escape(MEMBER_NAME))),
    ("participant's name", re.compile(re.escape(PARTICIPANT_NAME))),
    ("blood pressure", re.compile(rf"{SYSTOLIC}\s*/\s*{DIASTOLIC}")),
    ("weight", re.compile(r"(?<![\d.,])77[,.]7(?!\d)")),  # not a sum like 1.577.700
]

# The blank import template lists the 54 official ethnic groups (its catalogue sheet) for
# the drop-down: a list of names of groups, about no one. Every other marker is checked.
CATALOGUES = {
    path: {"member's ethnicity", "participant's ethnicity"}
    for path in ("/members/import-template.xlsx", "/elders/import/template/")
}

# Endpoints the walk leaves out, by the start of their path: the Django admin (tests of its
# own), sign-out and the language switch (POST only, no page to read).
# The association's and the campaigns' pages have walks of their own, over worlds of their
# own (tests/test_association_viewer_walk.py, tests/test_campaigns_viewer_walk.py).
SKIPPED_PREFIXES = ("admin/", "i18n/", "accounts/logout/", "association/", "campaigns/")
OLDER_NAME = "Cầm Thị Cụbà"


@dataclass
class World:
    """The objects a URL's ids are filled from, by (path segment before the id, kwarg);
    a kwarg that names its object ("session_pk") is filled whatever the segment ("*")."""

    ids: dict[tuple[str, str], list[int]]
    figures: list[str]


def _today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def world(cast, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    today = _today()
    day = today - datetime.timedelta(days=2) if today.day > 2 else today
    club = cast.club_a
    marked = ConsentedMemberFactory(
        club=club,
        full_name=MEMBER_NAME,
        phone=MEMBER_PHONE,
        ethnicity=MEMBER_ETHNICITY,
        birth_date=datetime.date(1951, 7, 14),
        birth_year=1951,
        lives_alone=True,
        has_health_insurance=True,
        needs_care=True,
        email="rieng.tu@example.vn",
    )
    for n in range(6):
        MemberFactory(club=club, full_name=f"Lường Văn Bạn {n}", phone=f"03512345{n:02d}")
    MemberFactory(club=cast.club_a2, full_name="Tòng Thị Hai")
    seat = BoardPositionFactory(club=club, member=marked)
    assignment = CareAssignmentFactory(volunteer=VolunteerFactory(club=club), recipient=marked)
    meeting = MeetingFactory(club=club, date=day, status=Meeting.Status.HELD)
    AttendanceFactory(meeting=meeting, member=marked)
    HealthCheckFactory(
        member=marked,
        club=club,
        meeting=meeting,
        date=day,
        systolic=SYSTOLIC,
        diastolic=DIASTOLIC,
        weight=WEIGHT,
    )
    Reminder.objects.create(
        meeting=meeting,
        member=marked,
        channel=Reminder.Channel.SMS,
        lead_days=1,
        meeting_date=meeting.date,
        address=MEMBER_PHONE,
        due_at=timezone.now(),
        text=f"{MEMBER_NAME}: họp CLB",
    )
    activity = ActivityFactory(club=club, date=day)
    visit = HomeCareVisitFactory(
        club=club, date=day, volunteer=assignment.volunteer, recipient=marked
    )
    loan = make_loan(club, borrower=marked, by=cast.leader, day=day)
    repayment = funds_services.loan_repay(loan=loan, amount=500_000, on=day, by=cast.leader)
    funds_services.dues_record(
        club=club, year=day.year, month=day.month, amounts={marked: 10_000}, on=day, by=None
    )
    entry = funds_services.entry_record(
        fund=operating(club),
        date=day,
        amount=20_000,
        direction="in",
        category="donation",
        by=cast.leader,
        member=marked,
        note="",
    )
    report = month_services.report_start(club=club, year=day.year, month=day.month, by=cast.leader)
    job = import_prepare(
        club=club,
        upload=SimpleUploadedFile(
            "ds.xlsx", xlsx([member_row(MEMBER_NAME + " Hai", phone="0968 271 530")]).getvalue()
        ),
        by=cast.leader,
    )

    training = TrainingFactory(organiser=cast.province_a, starts_on=day, ends_on=day)
    session = training.sessions.get()
    participant = ParticipantFactory(
        training=training,
        full_name=PARTICIPANT_NAME,
        phone=PARTICIPANT_PHONE,
        ethnicity=PARTICIPANT_ETHNICITY,
        area=cast.commune_a2,
    )
    ParticipantFactory(training=training, member=marked, full_name=MEMBER_NAME)
    check_in(participant, session)
    trainer = training.trainers.create(name="Nguyễn Thị Tư", title="TW Hội NCT")
    material = training_services.material_add(
        training=training,
        title="Tài liệu",
        name="tai-lieu.pdf",
        fileobj=SimpleUploadedFile("tai-lieu.pdf", b"%PDF-1.4\n%%EOF\n"),
        size=15,
        by=cast.province,
    )

    summary.rebuild(months=3)
    export = ExportJob.objects.create(
        area=cast.province_a, year=day.year, month=day.month, created_by=cast.viewer
    )
    exports.export_build(job_id=export.pk)
    # A member export of the viewer's own asking (a viewer cannot ask; its pages still refuse).
    member_export = MemberExportJob.objects.create(area=cast.province_a, created_by=cast.viewer)

    # A transfer request out of the club's fund (the walk reads its page).
    transfer = funds_services.transfer_request(
        source=operating(club), target=loan.fund, amount=1_000, reason="Vốn vay", by=cast.leader
    )

    # The commune's register of older persons: a person paid support from a care fund, and an
    # import waiting in its preview.
    older = elders_services.person_create(
        commune=cast.commune_a1,
        fields={"full_name": OLDER_NAME, "sex": "F", "birth_year": 1940, "phone": MEMBER_PHONE},
        by=cast.commune,
    )
    care = care_fund(cast.commune_a1, balance=1_000_000, day=day)
    elders_services.support_pay(
        person=older, fund=care, amount=200_000, date=day, purpose="sick_visit", by=cast.commune
    )
    older_import = OlderPersonImport.objects.create(
        commune=cast.commune_a1, filename="ds.xlsx", rows=[], created_by=cast.commune
    )
    # A notification of the viewer's own, and a report upward of the province.
    notify(users=[cast.viewer], kind="report_approved", event="walk", text="Báo cáo", url="/")
    upward = PeriodicReport.objects.create(
        area=cast.province_a, kind="annual", year=day.year - 1, results=MEMBER_NAME
    )

    areas = [cast.commune_a1.pk, cast.province_a.pk]
    return World(
        ids={
            ("*", "club_id"): [club.pk],
            ("clubs", "pk"): [club.pk],
            ("*", "seat_pk"): [seat.pk],
            ("areas", "pk"): areas,
            ("members", "pk"): [marked.pk],
            ("imports", "pk"): [job.pk],
            ("care", "pk"): [assignment.pk],
            ("funds", "pk"): [operating(club).pk, loan.fund_id, care.pk],
            ("elders", "pk"): [older.pk],
            ("import", "pk"): [older_import.pk],
            ("plans", "pk"): [CareFundPlanFactory(area=cast.commune_a1, year=day.year).pk],
            ("notifications", "pk"): list(
                Notification.objects.filter(user=cast.viewer).values_list("pk", flat=True)
            ),
            ("upward", "pk"): [upward.pk],
            ("entries", "pk"): [entry.pk],
            ("loans", "pk"): [loan.pk],
            ("fund-transfers", "pk"): [transfer.pk],
            ("repayments", "pk"): [repayment.pk],
            ("meetings", "pk"): [meeting.pk],
            ("activities", "pk"): [activity.pk],
            ("visits", "pk"): [visit.pk],
            ("monthly-reports", "pk"): [report.pk],
            ("trainings", "pk"): [training.pk],
            ("*", "session_pk"): [session.pk],
            ("*", "participant_pk"): [participant.pk],
            ("*", "trainer_pk"): [trainer.pk],
            ("*", "material_pk"): [material.pk],
            ("export", "pk"): [export.pk],
            ("exports", "pk"): [member_export.pk],
            ("locks", "pk"): [cast.leader.pk],  # a user's sign-in lockout
        },
        figures=list(fig.LABELS),
    )


# --- resolving every URL pattern --------------------------------------------------------------

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _routes(patterns: list[Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            out += _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            out.append(route)
    return out


def _fill(route: str, world: World) -> list[str]:
    """Every path the route stands for with the world's ids (one per id, per figure)."""
    paths = [""]
    pos = 0
    for match in _PARAM.finditer(route):
        before = route[pos : match.start()]
        segment = (
            before.rstrip("/").rsplit("/", 1)[-1]
            or route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        )
        name, converter = match["name"], match["converter"] or "str"
        if converter == "slug" and name == "figure":
            values = [str(f) for f in world.figures]
        else:
            key = (segment, name) if (segment, name) in world.ids else ("*", name)
            if key not in world.ids:
                pytest.fail(
                    f"No object for <{converter}:{name}> after “{segment}/” in {route!r}: "
                    "add one to the walk's world so that the page is walked too."
                )
            values = [str(v) for v in world.ids[key]]
        paths = [p + before + v for p in paths for v in values]
        pos = match.end()
    return ["/" + p + route[pos:] for p in paths]


def _paths(world: World) -> list[str]:
    routes = [r for r in _routes(get_resolver().url_patterns) if not r.startswith("^")]
    out: list[str] = []
    for route in routes:
        if route.startswith(SKIPPED_PREFIXES):
            continue
        out += _fill(route, world)
    return out


# --- reading what came back ---------------------------------------------------------------------


@pytest.fixture
def drawn_text(monkeypatch) -> list[str]:
    """The text every PDF canvas draws during the test (the file itself embeds a font subset,
    so its bytes do not carry the letters as typed)."""
    from reportlab.pdfgen.canvas import Canvas

    drawn: list[str] = []
    for method in ("drawString", "drawCentredString", "drawRightString"):
        original = getattr(Canvas, method)

        def spy(self, x, y, text, *args, _original=original, **kwargs):
            drawn.append(str(text))
            return _original(self, x, y, text, *args, **kwargs)

        monkeypatch.setattr(Canvas, method, spy)
    return drawn


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _text_of(response: Any, drawn: list[str]) -> str:
    body = _body(response)
    kind = response.get("Content-Type", "")
    if "wordprocessingml" in kind:
        from docx import Document

        doc = Document(io.BytesIO(body))
        cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
        return "\n".join([*(p.text for p in doc.paragraphs), *cells])
    if body.startswith(b"PK\x03\x04") or "spreadsheetml" in kind:
        wb = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
        cells = [
            str(value)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        wb.close()
        return "\n".join(cells)
    if body.startswith(b"%PDF") or "pdf" in kind:
        return "\n".join([body.decode("latin-1"), *drawn])
    return body.decode("utf-8", errors="replace")


def _leaks(text: str, names: tuple[str, ...] | list[str] = ()) -> list[str]:
    found = [label for label, pattern in MARKERS if pattern.search(text)]
    return found + [f"name {name!r}" for name in names if name in text]


@pytest.fixture(params=["province viewer", "club viewer"])
def viewer(request, cast):
    if request.param == "province viewer":
        return cast.viewer
    return UserFactory(username="club-viewer", role=Role.VIEWER, club=cast.club_a)


def test_the_markers_are_there_for_the_clubs_leader(login, cast, world, drawn_text):
    """The walk would see a leak: the leader reads every marker of her own club."""
    client = login(cast.leader)
    member = Member.objects.get(full_name=MEMBER_NAME)
    page = client.get(f"/members/{member.pk}/").content.decode()
    assert MEMBER_PHONE in page and MEMBER_ETHNICITY in page and MEMBER_NAME in page
    health = client.get(f"/members/{member.pk}/health/").content.decode()
    assert "177/99" in health and ("77,7" in health or "77.7" in health)
    export = client.get(f"/clubs/{cast.club_a.pk}/members/export.xlsx")
    assert {"member's phone", "member's ethnicity", "member's name"} <= set(
        _leaks(_text_of(export, drawn_text))
    )


def test_a_viewer_finds_no_personal_data_on_any_page_or_file(login, world, viewer, drawn_text):
    client = login(viewer)
    paths = _paths(world)
    # Not only the marked people: no one of the register or of a training is named.
    names = [
        *Member.objects.values_list("full_name", flat=True),
        *Participant.objects.values_list("full_name", flat=True),
        *OlderPerson.objects.values_list("full_name", flat=True),
    ]
    assert len(paths) > 80  # every app's pages are in the walk
    extra = [
        f"/funds/{world.ids[('funds', 'pk')][0]}/?member={Member.objects.get(full_name=MEMBER_NAME).pk}",
        f"/clubs/{world.ids[('clubs', 'pk')][0]}/members/?q=rieng",
        f"/trainings/{world.ids[('trainings', 'pk')][0]}/participants/?q=kin",
    ]
    found: dict[str, list[str]] = {}
    statuses: dict[str, int] = {}
    for path in paths + extra:
        drawn_text.clear()
        response = client.get(path)
        statuses[path] = response.status_code
        assert response.status_code < 500, path
        leaks = [
            leak
            for leak in _leaks(_text_of(response, drawn_text), names)
            if leak not in CATALOGUES.get(path, set())
        ]
        if leaks:
            found[path] = leaks
    assert not found, f"personal data shown to a viewer: {found}"
    # The walk reached real pages and files, not only refusals.
    assert sum(1 for s in statuses.values() if s == 200) > 30
    assert statuses[f"/reports/export/{world.ids[('export', 'pk')][0]}/download/"] in (200, 404)
