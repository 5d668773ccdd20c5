"""Data-subject requests: a person's copy of their data, anonymisation, and the request log."""

import datetime
import io
import json
from types import SimpleNamespace

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from funds import services as fund_services
from funds.models import Contribution, Fund, LedgerEntry, Loan, Repayment
from members import services as member_services
from members.models import Member
from month.models import Activity, Attendance, HealthCheck, HomeCareVisit, Reminder
from privacy.models import DataSubjectRequest
from tests.db_search import places_holding
from tests.factories import MemberFactory, UserFactory
from tests.factories_funds import make_loan
from tests.factories_members import BoardPositionFactory, CareAssignmentFactory
from tests.factories_month import (
    ActivityFactory,
    HealthCheckFactory,
    HomeCareVisitFactory,
    MeetingFactory,
    vi,
)
from tests.factories_trainings import ParticipantFactory

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Riêng Tư"
PHONE, NEW_PHONE = "0912345678", "0987650001"
EMAIL = "rieng.tu@example.vn"
VILLAGE = "Bản Đánh Dấu"
BIRTH = datetime.date(1950, 3, 4)
OTHER_NAME, OTHER_PHONE = "Hoàng Văn Người Khác", "0987111222"
CONSENT = {"consent_on": datetime.date(2024, 1, 10), "consent_method": "paper"}


@pytest.fixture
def person(cast):
    """A member of club_a with something in every app, and another member beside her."""
    member = MemberFactory(
        club=cast.club_a,
        full_name=NAME,
        phone=PHONE,
        email=EMAIL,
        village=VILLAGE,
        birth_date=BIRTH,
        birth_year=BIRTH.year,
        ethnicity="Si La",
        ethnicity_note="=1+1",  # a formula, to be written as text
        household_status=Member.Household.POOR,
        is_volunteer=True,
        **CONSENT,
    )
    member_services.member_update(member=member, fields={"phone": NEW_PHONE}, by=cast.leader)
    other = MemberFactory(
        club=cast.club_a, full_name=OTHER_NAME, phone=OTHER_PHONE, is_volunteer=True, **CONSENT
    )
    meetings = [
        MeetingFactory(club=cast.club_a, date=datetime.date(2024, m, 21), status="held")
        for m in (5, 6)
    ]
    for meeting in meetings:
        for who in (member, other):
            Attendance.objects.create(meeting=meeting, member=who, status="present")
            HealthCheckFactory(member=who, club=cast.club_a, meeting=meeting, date=meeting.date)
    HomeCareVisitFactory(
        club=cast.club_a, volunteer=other, recipient=member, note="Đau lưng, cần thăm lại"
    )
    HomeCareVisitFactory(club=cast.club_a, volunteer=member, recipient=other, note="Ổn")
    CareAssignmentFactory(volunteer=other, recipient=member)
    BoardPositionFactory(club=cast.club_a, member=member)
    activity = ActivityFactory(club=cast.club_a)
    activity.participants.set([member, other])
    fund_services.dues_record(
        club=cast.club_a,
        year=2025,
        month=1,
        amounts={member: 20_000, other: 20_000},
        on=datetime.date(2025, 1, 10),
        by=None,
    )
    loan = make_loan(cast.club_a, borrower=member)
    fund_services.loan_repay(loan=loan, amount=1_050_000, by=None, on=datetime.date(2025, 2, 10))
    make_loan(cast.club_a, borrower=other)
    ParticipantFactory(member=member, full_name=NAME, phone=NEW_PHONE, ethnicity="Si La")
    ParticipantFactory(member=other, full_name=OTHER_NAME, phone=OTHER_PHONE)
    Reminder.objects.create(
        meeting=MeetingFactory(club=cast.club_a, date=timezone.localdate()),
        member=member,
        channel="sms",
        lead_days=1,
        meeting_date=timezone.localdate(),
        address=NEW_PHONE,
        due_at=timezone.now(),
        text=f"Kính gửi {NAME}: mời dự sinh hoạt CLB.",
    )
    member_type = ContentType.objects.get_for_model(Member)
    LogEntry.objects.create(
        user=cast.admin,
        content_type=member_type,
        object_id=str(member.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message="[]",
    )
    LogEntry.objects.create(
        user=cast.admin,
        content_type=ContentType.objects.get_for_model(Attendance),
        object_id="1",
        object_repr=f"{NAME}: Có mặt",
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"object": f"{NAME}: Có mặt"}}]),
    )
    return SimpleNamespace(member=member, other=other, loan=loan)


def _post_export(client, member, fmt, **data):
    name = "privacy:export_xlsx" if fmt == "xlsx" else "privacy:export_json"
    return client.post(
        reverse(name, args=[member.pk]), {"asked_by": "person", "reason": "Đơn số 12", **data}
    )


def _cells(content: bytes) -> dict[str, list[list]]:
    workbook = load_workbook(io.BytesIO(content))
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in workbook}


def test_the_data_page_shows_what_is_held_and_where_to_correct_it(cast, login, person):
    response = login(cast.province).get(reverse("privacy:member_data", args=[person.member.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Health readings", "Loans", "Board positions", "Change history"):
        assert vi(title) in html
    assert reverse("members:member_edit", args=[person.member.pk]) in html
    assert reverse("privacy:anonymise", args=[person.member.pk]) in html
    # The member page links here for staff only.
    page = login(cast.commune).get(reverse("members:member_detail", args=[person.member.pk]))
    assert reverse("privacy:member_data", args=[person.member.pk]) in page.content.decode()
    page = login(cast.leader).get(reverse("members:member_detail", args=[person.member.pk]))
    assert reverse("privacy:member_data", args=[person.member.pk]) not in page.content.decode()


def test_the_excel_copy_holds_the_persons_data_and_nothing_of_others(cast, login, person):
    response = _post_export(login(cast.province), person.member, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheets = _cells(response.content)
    assert len(sheets) == 15
    assert vi("Member record") in sheets and vi("Health readings") in sheets
    assert len(sheets[vi("Health readings")]) == 1 + 2  # heading and her two readings
    assert len(sheets[vi("Meeting attendance")]) == 1 + 2
    everything = " | ".join(str(v) for rows in sheets.values() for row in rows for v in row)
    for mine in (NAME, NEW_PHONE, PHONE, EMAIL, VILLAGE, "Si La", "Đau lưng, cần thăm lại"):
        assert mine in everything  # PHONE is the old one, from the history
    for theirs in (OTHER_NAME, OTHER_PHONE, "Ổn"):
        assert theirs not in everything
    # Nothing runs as a formula.
    values = [v for rows in sheets.values() for row in rows for v in row if isinstance(v, str)]
    assert "'=1+1" in values and not any(v.startswith("=") for v in values)


def test_the_json_copy_holds_the_persons_data_and_nothing_of_others(cast, login, person):
    response = _post_export(login(cast.commune), person.member, "json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["records"] == [person.member.pk]
    topics = document["topics"]
    assert topics["member"][0]["full_name"] == NAME
    assert topics["member"][0]["birth_date"] == BIRTH.isoformat()
    assert len(topics["readings"]) == 2 and len(topics["loans"]) == 1
    assert len(topics["repayments"]) == 1 and len(topics["dues"]) == 1
    assert len(topics["board_positions"]) == 1 and len(topics["trainings"]) == 1
    assert {row["role"] for row in topics["care_assignments"]} == {vi("Receives care")}
    assert len(topics["visits_received"]) == 1 and len(topics["visits_given"]) == 1
    assert len(topics["history"]) == 2
    text = response.content.decode()
    assert NAME in text and NEW_PHONE in text
    for theirs in (OTHER_NAME, OTHER_PHONE):
        assert theirs not in text


def test_every_copy_is_logged_with_who_asked_and_who_handled_it(cast, login, person):
    client = login(cast.province)
    _post_export(client, person.member, "xlsx", asked_by="relative", asked_by_detail="Con trai")
    _post_export(client, person.member, "json")
    logged = list(DataSubjectRequest.objects.order_by("pk"))
    assert [(r.kind, r.file_format, r.asked_by) for r in logged] == [
        ("export", "xlsx", "relative"),
        ("export", "json", "person"),
    ]
    assert all(r.handled_by == cast.province and r.member == person.member for r in logged)
    assert logged[0].asked_by_detail == "Con trai" and logged[0].outcome
    page = client.get(reverse("privacy:request_list"))
    assert page.status_code == 200 and "Con trai" in page.content.decode()


def test_a_copy_without_who_asked_is_refused_and_not_logged(cast, login, person):
    response = _post_export(login(cast.province), person.member, "xlsx", asked_by="")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not DataSubjectRequest.objects.exists()


def _figures(club):
    """What the club's books and registers count: must not move with an anonymisation."""
    entries = LedgerEntry.objects.filter(fund__club=club)
    return {
        "attendance": Attendance.objects.filter(meeting__club=club).count(),
        "entries": entries.aggregate(n=Count("pk"), total=Sum("amount")),
        "balances": list(Fund.objects.filter(club=club).order_by("pk").values_list("balance")),
        "loans": Loan.objects.filter(fund__club=club).aggregate(n=Count("pk"), p=Sum("principal")),
        "repaid": Repayment.objects.aggregate(s=Sum("amount"))["s"],
        "dues": Contribution.objects.filter(club=club).aggregate(s=Sum("amount"))["s"],
        "visits": HomeCareVisit.objects.filter(club=club).count(),
        "activity_people": Activity.objects.filter(club=club).aggregate(n=Count("participants")),
        "members": Member.objects.filter(club=club).count(),
    }


def test_the_anonymisation_page_says_what_will_happen_and_asks_to_confirm(cast, login, person):
    client = login(cast.province)
    url = reverse("privacy:anonymise", args=[person.member.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert vi("What will happen") in html and "<form" in html
    assert vi("I have read what will happen and it cannot be undone.") in html
    # Without the confirmation (no JavaScript involved) nothing happens.
    response = client.post(url, {"asked_by": "person", "reason": "Đơn số 12"})
    assert response.status_code == 200
    person.member.refresh_from_db()
    assert person.member.full_name == NAME
    assert not DataSubjectRequest.objects.exists()
    # Nor without a reason.
    response = client.post(url, {"asked_by": "person", "reason": "", "confirm": "on"})
    assert response.status_code == 200 and not DataSubjectRequest.objects.exists()


def test_anonymisation_keeps_the_figures_and_removes_the_person_everywhere(cast, login, person):
    member = person.member
    before = _figures(cast.club_a)
    # A reviewer's comment carried by a notification names her.
    from accounts.notifications import notify

    notify(
        users=[cast.leader],
        kind="report_returned",
        event="returned-1",
        text=f"Báo cáo bị trả lại: bổ sung số đo của {NAME}",
        url="/",
    )
    for value in (NAME, PHONE, NEW_PHONE, EMAIL, VILLAGE):
        assert places_holding(value)  # the markers are there to begin with
    client = login(cast.province)
    response = client.post(
        reverse("privacy:anonymise", args=[member.pk]),
        {
            "asked_by": "relative",
            "asked_by_detail": "Con gái, có giấy ủy quyền",
            "reason": "Đơn đề nghị ngày 01/12",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:member_data", args=[member.pk])

    assert _figures(cast.club_a) == before
    member.refresh_from_db()
    assert member.full_name == f"Đã ẩn danh #{member.pk}"
    assert (member.phone, member.email, member.village, member.birth_date) == ("", "", "", None)
    assert member.ethnicity == "" and member.household_status == "" and member.consent_on is None
    assert (member.sex, member.birth_year) == ("F", BIRTH.year)  # composition still counts her
    for value in (NAME, PHONE, NEW_PHONE, EMAIL, VILLAGE, BIRTH.isoformat(), "Si La"):
        assert places_holding(value) == [], value
    assert places_holding("Đau lưng") == []  # the note of a visit she received
    escaped = json.dumps(NAME)[1:-1]  # how the admin's log writes her name in its JSON
    assert not any(
        NAME in e.object_repr or escaped in e.change_message for e in LogEntry.objects.all()
    )
    assert not HealthCheck.objects.filter(member=member).exists()
    assert HealthCheck.objects.filter(member=person.other).count() == 2
    assert places_holding(OTHER_NAME)  # nobody else was touched
    assert set(member.history.values_list("full_name", flat=True)) == {member.full_name}

    request = DataSubjectRequest.objects.get()
    assert (request.kind, request.asked_by, request.handled_by) == (
        "anonymisation",
        "relative",
        cast.province,
    )
    assert request.reason == "Đơn đề nghị ngày 01/12" and "2" in request.outcome
    last = member.history.order_by("-history_date", "-pk").first()
    assert last.history_user == cast.province
    assert last.history_change_reason == member_services.ANONYMISED_REASON

    # Once is enough: the page says so and a second POST changes nothing.
    page = client.get(reverse("privacy:anonymise", args=[member.pk]))
    assert vi("This person's data have already been anonymised.") in page.content.decode()
    client.post(
        reverse("privacy:anonymise", args=[member.pk]),
        {"asked_by": "person", "reason": "lần hai", "confirm": "on"},
    )
    assert DataSubjectRequest.objects.count() == 1


def test_a_transferred_person_is_one_person_for_staff_who_see_both_clubs(cast, login, person):
    new = member_services.member_transfer(
        member=person.member, to_club=cast.club_a2, on=datetime.date(2025, 6, 1), by=cast.province
    )
    response = _post_export(login(cast.province), new, "json")
    assert json.loads(response.content)["records"] == [person.member.pk, new.pk]
    # Commune A1's staff see only the record in their commune.
    response = _post_export(login(cast.commune), person.member, "json")
    assert json.loads(response.content)["records"] == [person.member.pk]

    login(cast.province).post(
        reverse("privacy:anonymise", args=[new.pk]),
        {"asked_by": "person", "reason": "Đơn số 3", "confirm": "on"},
    )
    assert places_holding(NAME) == []
    assert DataSubjectRequest.objects.filter(kind="anonymisation").count() == 2


# --- Who may: the door, then staff only ------------------------------------------------------

MEMBER_URLS = [
    ("privacy:member_data", "get"),
    ("privacy:export_xlsx", "post"),
    ("privacy:export_json", "post"),
    ("privacy:anonymise", "get"),
]


@pytest.fixture
def outsider(cast):
    """Association staff of another commune (commune B1)."""
    return UserFactory(username="commune_b", role=Role.COMMUNE, area=cast.commune_b1)


def _ask(client, name, method, member):
    url = reverse(name, args=[member.pk])
    if method == "post":
        return client.post(url, {"asked_by": "person"})
    return client.get(url)


@pytest.mark.parametrize(("name", "method"), MEMBER_URLS)
def test_outsiders_get_404(cast, login, person, outsider, name, method):
    for user in (outsider, cast.leader2):
        assert _ask(login(user), name, method, person.member).status_code == 404


@pytest.mark.parametrize(("name", "method"), MEMBER_URLS)
def test_viewers_and_leaders_get_403(cast, login, person, name, method):
    for user in (cast.viewer, cast.leader):
        assert _ask(login(user), name, method, person.member).status_code == 403
    assert not DataSubjectRequest.objects.exists()


@pytest.mark.parametrize(("name", "method"), MEMBER_URLS)
def test_provincial_staff_of_the_area_get_the_page(cast, login, person, name, method):
    assert _ask(login(cast.province), name, method, person.member).status_code == 200


def test_the_request_log_is_for_staff_and_shows_their_area_only(cast, login, person, outsider):
    _post_export(login(cast.province), person.member, "xlsx")
    for user in (cast.viewer, cast.leader, cast.leader2):
        assert login(user).get(reverse("privacy:request_list")).status_code == 403
    page = login(cast.commune).get(reverse("privacy:request_list"))
    assert page.status_code == 200 and NAME in page.content.decode()
    page = login(outsider).get(reverse("privacy:request_list"))
    assert page.status_code == 200 and NAME not in page.content.decode()
    assert vi("No request recorded.") in page.content.decode()


def test_the_request_log_runs_the_same_queries_for_3_rows_and_25(cast, login):
    def add(n):
        DataSubjectRequest.objects.bulk_create(
            DataSubjectRequest(
                kind="export",
                member=MemberFactory(club=cast.club_a),
                asked_by="person",
                outcome="-",
                handled_by=cast.province,
            )
            for _ in range(n)
        )

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("privacy:request_list")).status_code == 200
        return len(queries)

    client = login(cast.province)
    add(3)
    client.get(reverse("privacy:request_list"))  # the menu's cache is filled once
    small = count_queries()
    add(22)
    # Session, user, the count and one page of requests with their member, club and handler
    # (plus what the sign-in middleware reads): the same for a full page as for three rows.
    assert count_queries() == small <= 6
