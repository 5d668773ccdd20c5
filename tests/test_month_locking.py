"""An approved month is locked: every write path refuses to change its records."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from month.locking import MonthLocked, assert_month_open, is_month_locked
from month.models import Activity, ActivityArea, Attendance, HealthCheck, HomeCareVisit, Meeting
from month.services import (
    Reading,
    activity_delete,
    activity_save,
    meeting_cancel,
    meeting_create,
    meeting_move,
    meeting_record,
    report_reopen,
    visit_delete,
    visit_save,
)
from tests.factories import MemberFactory
from tests.factories_month import (
    ActivityFactory,
    AttendanceFactory,
    HealthCheckFactory,
    HomeCareVisitFactory,
    MeetingFactory,
    MonthlyReportFactory,
    vi,
)

pytestmark = pytest.mark.django_db

D = datetime.date
MAY = D(2024, 5, 21)
LOCKED = "The report for %(month)s/%(year)s has been approved, so that month is locked: its records can no longer be changed. Ask provincial staff to reopen it."


def locked_text(day=MAY):
    return vi(LOCKED) % {"month": f"{day.month:02d}", "year": day.year}


@pytest.fixture
def may(cast):
    """club_a's May 2024 is approved; its records exist."""
    report = MonthlyReportFactory(club=cast.club_a, year=2024, month=5, status="approved")
    meeting = MeetingFactory(club=cast.club_a, date=MAY, status="held")
    # Consented: readings are kept only for members who agreed (month.readings).
    member = MemberFactory(club=cast.club_a, consent_on=D(2024, 1, 10), consent_method="paper")
    return {
        "report": report,
        "meeting": meeting,
        "member": member,
        "attendance": AttendanceFactory(meeting=meeting, member=member),
        "reading": HealthCheckFactory(member=member, club=cast.club_a, meeting=meeting, date=MAY),
        "activity": ActivityFactory(club=cast.club_a, date=D(2024, 5, 3)),
        "visit": HomeCareVisitFactory(club=cast.club_a, date=D(2024, 5, 4)),
    }


def test_is_month_locked_follows_approval(cast, may):
    assert is_month_locked(cast.club_a, MAY)
    assert is_month_locked(cast.club_a.pk, D(2024, 5, 1))
    assert not is_month_locked(cast.club_a, D(2024, 6, 1))
    assert not is_month_locked(cast.club_a2, MAY)
    with pytest.raises(MonthLocked) as exc:
        assert_month_open(cast.club_a, MAY)
    assert locked_text() in exc.value.messages


def test_services_refuse_every_write_in_the_month(cast, may):
    meeting, member = may["meeting"], may["member"]
    attempts = [
        lambda: meeting_record(meeting=meeting, attendance={member.pk: "absent"}, readings={member.pk: Reading(130, 80)}, by=cast.leader),
        lambda: meeting_create(club=cast.club_a, date=D(2024, 5, 28), starts_at=None, place="", by=cast.leader),
        lambda: activity_save(activity=Activity(club=cast.club_a, date=D(2024, 5, 9), title="Mới"), areas=list(ActivityArea.objects.all()[:1]), participants=[], by=cast.leader),
        lambda: activity_delete(activity=Activity.objects.get(pk=may["activity"].pk), by=cast.leader),
        lambda: visit_save(visit=HomeCareVisit(club=cast.club_a, date=D(2024, 5, 9), volunteer=may["visit"].volunteer, recipient=member, duration_minutes=30), services=["company"], by=cast.leader),
        lambda: visit_delete(visit=HomeCareVisit.objects.get(pk=may["visit"].pk), by=cast.leader),
    ]  # fmt: skip
    for attempt in attempts:
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert locked_text() in exc.value.messages
    assert Attendance.objects.get().status == "present"
    assert HealthCheck.objects.get().systolic == 125
    assert Activity.objects.count() == 1 and HomeCareVisit.objects.count() == 1
    assert Meeting.objects.count() == 1


def test_moving_a_record_out_of_or_into_a_locked_month_is_refused(cast, may):
    activity = Activity.objects.get(pk=may["activity"].pk)
    activity.date = D(2024, 6, 3)  # out of May
    with pytest.raises(ValidationError):
        activity_save(
            activity=activity,
            areas=list(ActivityArea.objects.all()[:1]),
            participants=[],
            by=cast.leader,
        )
    june = MeetingFactory(club=cast.club_a, date=D(2099, 6, 21))
    with pytest.raises(MonthLocked):
        meeting_move(
            meeting=june,
            date=D(2024, 5, 25),
            starts_at=None,
            place="",
            reason="x",
            by=cast.leader,
            today=D(2024, 5, 1),
        )
    planned = MeetingFactory(club=cast.club_a, date=D(2024, 5, 28))
    with pytest.raises(MonthLocked):
        meeting_cancel(meeting=planned, reason="Mưa", by=cast.leader)
    assert Activity.objects.get(pk=activity.pk).date == D(2024, 5, 3)


def test_model_clean_and_delete_refuse_too(cast, may):
    records = [may["meeting"], may["attendance"], may["reading"], may["activity"], may["visit"]]
    for record in records:
        record = type(record).objects.get(pk=record.pk)
        with pytest.raises(ValidationError) as exc:
            record.full_clean()
        assert locked_text() in exc.value.messages
        with pytest.raises(ValidationError):
            record.delete()
    new = Meeting(club=cast.club_a, date=D(2024, 5, 30))
    with pytest.raises(ValidationError):
        new.full_clean()
    # Another club's May, and club_a's June, are open.
    Meeting(club=cast.club_a2, date=MAY).full_clean()
    Meeting(club=cast.club_a, date=D(2024, 6, 21)).full_clean()


def test_the_admin_refuses_edits_and_deletes(cast, client, may):
    client.force_login(cast.admin)
    meeting = may["meeting"]
    url = reverse("admin:month_meeting_change", args=[meeting.pk])
    response = client.post(
        url,
        {
            "club": cast.club_a.pk, "date": "2024-05-22", "starts_at": "08:00", "place": "Sửa",
            "status": "held", "guests": "3", "agenda": "", "minutes": "", "decisions": "",
            "moved_from": "", "change_reason": "",
            "attendance-TOTAL_FORMS": "0", "attendance-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert locked_text() in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.place != "Sửa" and meeting.date == MAY
    assert (
        client.get(reverse("admin:month_activity_delete", args=[may["activity"].pk])).status_code
        == 403
    )
    response = client.post(
        reverse("admin:month_healthcheck_add"),
        {"club": cast.club_a.pk, "member": may["member"].pk, "date": "2024-05-30", "systolic": "120", "diastolic": "80", "weight": ""},
    )  # fmt: skip
    assert response.status_code == 200 and locked_text() in response.content.decode()
    assert HealthCheck.objects.count() == 1
    # Bulk delete from the list is refused as well.
    client.post(
        reverse("admin:month_homecarevisit_changelist"),
        {"action": "delete_selected", "_selected_action": [may["visit"].pk], "post": "yes"},
    )
    assert HomeCareVisit.objects.filter(pk=may["visit"].pk).exists()


def test_the_pages_refuse_a_date_in_an_approved_month(cast, login, may):
    client = login(cast.leader)
    area = ActivityArea.objects.first()
    response = client.post(
        reverse("month:activity_add", args=[cast.club_a.pk]),
        {"date": "10/05/2024", "title": "Thăm hỏi", "areas": [area.pk], "participant_count": "5", "beneficiaries": "2", "cost": "0"},
    )  # fmt: skip
    assert response.status_code == 200 and locked_text() in response.content.decode()
    assert Activity.objects.count() == 1
    response = client.post(
        reverse("month:meeting_record", args=[may["meeting"].pk]),
        {f"att_{may['member'].pk}": "absent", "guests": "0"},
    )
    assert locked_text() in response.content.decode()
    assert Attendance.objects.get().status == "present"
    response = client.post(reverse("month:visit_delete", args=[may["visit"].pk]), follow=True)
    assert locked_text() in response.content.decode()
    assert HomeCareVisit.objects.count() == 1


def test_reopening_unlocks_the_month_and_is_recorded(cast, may):
    report_reopen(report=may["report"], by=cast.province, reason="Sai số người có mặt")
    assert not is_month_locked(cast.club_a, MAY)
    meeting_record(
        meeting=may["meeting"],
        attendance={may["member"].pk: "absent"},
        readings={},
        by=cast.leader,
        today=D(2024, 6, 1),
    )
    assert Attendance.objects.get().status == "absent"
    event = may["report"].events.get()
    assert (event.action, event.by, event.comment) == (
        "reopened",
        cast.province,
        "Sai số người có mặt",
    )
