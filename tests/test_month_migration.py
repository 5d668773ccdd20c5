"""The club's month moved from ``clubs`` to ``month`` without copying or losing a row.

A database at the schema before the move (``clubs.0009``, no ``month`` app) holding month data
is migrated forward; every meeting, mark, reading, activity (with its areas and participants),
visit, report, report event and reminder is found through the new app's models, and the
permissions on them still point at the same content types.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from month.models import (
    Activity,
    ActivityArea,
    Attendance,
    HealthCheck,
    HomeCareVisit,
    Meeting,
    MonthlyReport,
    MonthlyReportEvent,
    Reminder,
)
from tests.factories import ClubFactory, MemberFactory
from tests.factories_month import (
    ActivityFactory,
    AttendanceFactory,
    HealthCheckFactory,
    HomeCareVisitFactory,
    MeetingFactory,
    MonthlyReportFactory,
)

BEFORE = [
    ("clubs", "0009_club_province"),
    ("reports", "0002_summary_refresh_schedule"),
    ("month", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    known = [node for node in targets if node[1] is not None]
    return executor.loader.project_state(known).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_an_existing_database_keeps_every_month_row_through_the_move():
    club = ClubFactory()
    meeting = MeetingFactory(club=club, status=Meeting.Status.HELD)
    mark = AttendanceFactory(meeting=meeting)
    reading = HealthCheckFactory(member=mark.member, club=club, meeting=meeting)
    activity = ActivityFactory(club=club)
    activity.participants.add(mark.member)
    activity.areas.add(ActivityArea.objects.create(code="health-x", name="Chăm sóc sức khỏe"))
    visit = HomeCareVisitFactory(club=club)
    report = MonthlyReportFactory(club=club)
    event = MonthlyReportEvent.objects.create(report=report, action="submitted")
    reminder = Reminder.objects.create(
        meeting=meeting,
        member=mark.member,
        channel="sms",
        lead_days=1,
        meeting_date=meeting.date,
        due_at=timezone.now(),
    )
    area_ids = set(activity.areas.values_list("pk", flat=True))
    assert area_ids
    meeting_type = ContentType.objects.get_for_model(Meeting)

    # Back to the schema before the move: the same rows are the old app's.
    old = _migrate(BEFORE)
    OldMeeting = old.get_model("clubs", "Meeting")
    assert OldMeeting.objects.filter(pk=meeting.pk).exists()
    assert not any(m._meta.app_label == "month" for m in old.get_models())
    # A row written while the models still lived in ``clubs``.
    extra = OldMeeting.objects.create(
        club_id=club.pk,
        date=datetime.date(2024, 6, 21),
        status="planned",
        guests=0,
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    ContentType.objects.filter(pk=meeting_type.pk).update(app_label="clubs")

    _migrate(_leaves())

    assert set(Meeting.objects.values_list("pk", flat=True)) == {meeting.pk, extra.pk}
    assert Attendance.objects.get(pk=mark.pk).member_id == mark.member_id
    assert HealthCheck.objects.get(pk=reading.pk).systolic == reading.systolic
    moved = Activity.objects.get(pk=activity.pk)
    assert set(moved.areas.values_list("pk", flat=True)) == area_ids
    assert list(moved.participants.values_list("pk", flat=True)) == [mark.member_id]
    assert ActivityArea.objects.filter(code="health-x").exists()
    assert HomeCareVisit.objects.filter(pk=visit.pk).exists()
    assert MonthlyReport.objects.get(pk=report.pk).club_id == club.pk
    assert MonthlyReportEvent.objects.get(pk=event.pk).report_id == report.pk
    assert Reminder.objects.get(pk=reminder.pk).meeting_id == meeting.pk
    # Permissions and admin history keep their content type, now under the new label.
    assert ContentType.objects.get(pk=meeting_type.pk).app_label == "month"
    assert MemberFactory(club=club).club_id == club.pk
