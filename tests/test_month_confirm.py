"""What cannot be undone asks first: submitting a report (with what the completeness check
found), reviewing, approving (locking the month), reopening, deleting an activity, a visit or
a training's trainer, participant or file. The first post only draws a page in Vietnamese
that says what will happen and changes nothing; the page's button (``confirmed=1``) acts."""

import datetime
import html
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.once import FIELD
from config.months import add_months
from month.models import Activity, HomeCareVisit, MonthlyReport
from month.services import report_approve, report_review, report_start, report_submit
from tests.factories import MemberFactory
from tests.factories_month import (
    ActivityFactory,
    AttendanceFactory,
    HealthCheckFactory,
    HomeCareVisitFactory,
    MeetingFactory,
    vi,
)
from tests.factories_trainings import make_event
from trainings.models import Participant, Trainer

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirmed": "1"}


def _last_month() -> datetime.date:
    return add_months(timezone.localdate().replace(day=1), -1)


def _page(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def report(cast):
    first = _last_month()
    return report_start(club=cast.club_a, year=first.year, month=first.month, by=cast.leader)


def _step(client, name, report, data=None):
    return client.post(reverse(f"month:report_{name}", args=[report.pk]), data or {})


# --- Submitting, with the completeness check ----------------------------------------------------


def test_the_first_submit_shows_what_is_missing_and_submits_nothing(cast, login, report):
    first = report.first_day
    planned = MeetingFactory(club=cast.club_a, date=first.replace(day=5))
    MeetingFactory(club=cast.club_a, date=first.replace(day=12), status="held")  # no marks
    held = MeetingFactory(club=cast.club_a, date=first.replace(day=21), status="held")
    consenting = dict(consent_on=datetime.date(2024, 1, 10), consent_method="paper")
    measured, unmeasured = (MemberFactory(club=cast.club_a, **consenting) for _ in range(2))
    for member in (measured, unmeasured):
        AttendanceFactory(meeting=held, member=member)
    HealthCheckFactory(member=measured, club=cast.club_a, meeting=held, date=held.date)

    page = _page(_step(login(cast.leader), "submit", report))

    assert (
        vi("Submit the report of %(club)s for %(period)s?")
        % {
            "club": cast.club_a.name,
            "period": report.period,
        }
        in page
    )
    assert (
        vi(
            "The figures are compiled again from the month's records and sent with your text to "
            "the commune association for review."
        )
        in page
    )
    assert vi("The section “Activities and results” is empty.") in page
    assert vi("The section “Difficulties and proposals” is empty.") in page
    assert (
        vi(
            "The meeting of %(day)s is not recorded: record it, or mark it cancelled if it did "
            "not take place."
        )
        % {"day": planned.date.strftime("%d/%m/%Y")}
        in page
    )
    assert (
        vi("No attendance was recorded at the meeting of %(day)s.")
        % {"day": first.replace(day=12).strftime("%d/%m/%Y")}
        in page
    )
    assert "1 " in page and held.date.strftime("%d/%m/%Y") in page
    assert vi("No activity is logged for this month.") in page
    assert 'name="confirmed" value="1"' in page and f'name="{FIELD}"' in page
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.DRAFT
    assert not report.events.filter(action="submitted").exists()


def test_a_complete_report_asks_without_warnings_and_the_button_submits(cast, login, report):
    first = report.first_day
    held = MeetingFactory(club=cast.club_a, date=first.replace(day=21), status="held")
    AttendanceFactory(meeting=held, member=MemberFactory(club=cast.club_a))  # no consent
    ActivityFactory(club=cast.club_a, date=first.replace(day=10))
    report.narrative, report.difficulties = "Họp đủ, thăm 3 hộ", "Thiếu máy đo huyết áp"
    report.save()
    client = login(cast.leader)

    page = _page(_step(client, "submit", report))
    assert 'id="confirm-warnings"' not in page
    assert vi("Submit the report") in page

    response = _step(client, "submit", report, {**CONFIRMED, FIELD: str(uuid.uuid4())})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.SUBMITTED


def test_a_month_not_over_is_refused_before_any_confirmation(cast, login):
    today = timezone.localdate()
    report = report_start(club=cast.club_a, year=today.year, month=today.month, by=cast.leader)
    response = _step(login(cast.leader), "submit", report)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.DRAFT


def test_staff_and_viewers_get_no_confirmation_page_for_the_clubs_submit(cast, login, report):
    assert _step(login(cast.commune), "submit", report).status_code == 403
    assert _step(login(cast.viewer), "submit", report).status_code == 403
    assert _step(login(cast.leader2), "submit", report).status_code == 404


# --- Reviewing, approving, reopening ------------------------------------------------------------


def test_the_first_review_post_asks_and_carries_the_comment(cast, login, report):
    report_submit(report=report, by=cast.leader)
    page = _page(_step(login(cast.commune), "review", report, {"comment": "Đủ số liệu"}))
    assert (
        vi("Accept the report of %(club)s for %(period)s?")
        % {
            "club": cast.club_a.name,
            "period": report.period,
        }
        in page
    )
    assert vi("The report is passed on to the provincial association for approval.") in page
    assert 'name="comment" value="Đủ số liệu"' in page
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.SUBMITTED


def test_approving_says_the_month_and_its_ledger_lock_and_who_can_reopen(cast, login, report):
    report_submit(report=report, by=cast.leader)
    report_review(report=report, by=cast.commune)
    client = login(cast.province)
    names = {"club": cast.club_a.name, "period": report.period}

    page = _page(_step(client, "approve", report))
    assert vi("Approve the report of %(club)s for %(period)s?") % names in page
    assert (
        vi(
            "The month %(period)s of %(club)s is locked: its meetings, attendance, readings, "
            "activities and home-care visits can no longer be changed."
        )
        % names
        in page
    )
    assert (
        vi("The ledger entries of the club's funds dated in %(period)s are locked too.") % (names)
        in page
    )
    assert (
        vi("Only provincial association staff can reopen the month, and their reason is recorded.")
        in page
    )
    assert vi("Approve and lock the month") in page
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.REVIEWED

    key = {FIELD: str(uuid.uuid4())}
    first = _step(client, "approve", report, {**CONFIRMED, **key})
    again = _step(client, "approve", report, {**CONFIRMED, **key})  # a double tap
    assert first.status_code == again.status_code == 302 and first.url == again.url
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.APPROVED
    assert report.events.filter(action="approved").count() == 1


def test_reopening_asks_with_the_reason_and_needs_one(cast, login, report):
    report_submit(report=report, by=cast.leader)
    report_review(report=report, by=cast.commune)
    report_approve(report=report, by=cast.province)
    client = login(cast.province)

    refused = _step(client, "reopen", report, {"comment": " "})
    assert refused.status_code == 302  # no page asks for a step that cannot be taken
    page = _page(_step(client, "reopen", report, {"comment": "Sai số liệu quỹ"}))
    assert (
        vi("Reopen the month %(period)s of %(club)s?")
        % {
            "club": cast.club_a.name,
            "period": report.period,
        }
        in page
    )
    assert (
        vi("The report goes back to the club as returned, with your reason: %(reason)s")
        % {"reason": "Sai số liệu quỹ"}
        in page
    )
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.APPROVED

    response = _step(client, "reopen", report, {"comment": "Sai số liệu quỹ", **CONFIRMED})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.RETURNED


def test_commune_staff_get_no_page_for_the_provinces_steps(cast, login, report):
    report_submit(report=report, by=cast.leader)
    report_review(report=report, by=cast.commune)
    client = login(cast.commune)
    assert _step(client, "approve", report).status_code == 403
    assert _step(client, "reopen", report, {"comment": "x"}).status_code == 403


def test_the_report_page_buttons_lead_to_the_confirmation(cast, login, report):
    page = login(cast.leader).get(reverse("month:report_detail", args=[report.pk])).content
    assert reverse("month:report_submit", args=[report.pk]).encode() in page


# --- Deleting -----------------------------------------------------------------------------------


def test_deleting_an_activity_asks_first_then_deletes_once(cast, login):
    activity = ActivityFactory(club=cast.club_a, date=timezone.localdate(), title="Giao lưu")
    client = login(cast.leader)
    url = reverse("month:activity_delete", args=[activity.pk])

    page = _page(client.post(url))
    assert vi("Delete this activity?") in page
    assert "Giao lưu" in page and activity.date.strftime("%d/%m/%Y") in page
    assert vi("It cannot be brought back: log it again if it was deleted by mistake.") in page
    assert Activity.objects.filter(pk=activity.pk).exists()

    data = {**CONFIRMED, FIELD: str(uuid.uuid4())}
    first, again = client.post(url, data), client.post(url, data)
    assert first.status_code == again.status_code == 302 and first.url == again.url
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_deleting_a_visit_names_who_and_when_and_deletes_nothing_yet(cast, login):
    visit = HomeCareVisitFactory(club=cast.club_a, date=timezone.localdate())
    client = login(cast.leader)
    url = reverse("month:visit_delete", args=[visit.pk])
    page = _page(client.post(url))
    assert vi("Delete this home-care visit?") in page
    assert visit.volunteer.full_name in page and visit.recipient.full_name in page
    assert HomeCareVisit.objects.filter(pk=visit.pk).exists()
    assert client.post(url, CONFIRMED).status_code == 302
    assert not HomeCareVisit.objects.filter(pk=visit.pk).exists()


def test_a_record_of_a_locked_month_is_refused_without_a_page(cast, login, report):
    activity = ActivityFactory(club=cast.club_a, date=report.first_day.replace(day=3))
    report_submit(report=report, by=cast.leader)
    report_review(report=report, by=cast.commune)
    report_approve(report=report, by=cast.province)
    response = login(cast.leader).post(
        reverse("month:activity_delete", args=[activity.pk]), follow=True
    )
    assert vi("Delete this activity?") not in html.unescape(response.content.decode())
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_deleting_is_for_writers_in_scope(cast, login):
    activity = ActivityFactory(club=cast.club_a, date=timezone.localdate())
    url = reverse("month:activity_delete", args=[activity.pk])
    assert login(cast.leader2).post(url, CONFIRMED).status_code == 404
    assert login(cast.viewer).post(url, CONFIRMED).status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_removing_a_trainer_or_a_participant_asks_first(cast, login):
    training = make_event(cast.commune_a1, people=1)
    trainer = Trainer.objects.create(training=training, name="Nguyễn Văn Giảng")
    participant = Participant.objects.get(training=training)
    client = login(cast.commune)

    url = reverse("trainings:trainer_delete", args=[training.pk, trainer.pk])
    page = _page(client.post(url))
    assert vi("Remove this trainer?") in page and "Nguyễn Văn Giảng" in page
    assert Trainer.objects.filter(pk=trainer.pk).exists()
    assert client.post(url, CONFIRMED).status_code == 302
    assert not Trainer.objects.filter(pk=trainer.pk).exists()

    url = reverse("trainings:participant_edit", args=[training.pk, participant.pk])
    page = _page(client.post(url, {"delete": "1"}))
    assert vi("Remove this participant?") in page and participant.full_name in page
    assert 'name="delete" value="1"' in page
    assert Participant.objects.filter(pk=participant.pk).exists()
    assert client.post(url, {"delete": "1", **CONFIRMED}).status_code == 302
    assert not Participant.objects.filter(pk=participant.pk).exists()
