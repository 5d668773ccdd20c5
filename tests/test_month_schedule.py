"""The meeting rule's dates (pure) and the planning that turns them into meetings."""

import datetime

import pytest
from django_celery_beat.models import PeriodicTask

from clubs.models import Club
from config.months import add_months, shift, split, ym_of
from month import schedule
from month.models import Meeting
from month.services import meetings_plan
from month.tasks import plan_meetings
from tests.factories import ClubFactory
from tests.factories_month import MeetingFactory

D = datetime.date


def test_day_of_month_gives_one_day_each_month():
    dates = schedule.meeting_dates(
        rule="day_of_month", day=21, start=D(2024, 5, 1), end=D(2024, 8, 1)
    )
    assert dates == [D(2024, 5, 21), D(2024, 6, 21), D(2024, 7, 21)]


def test_the_31st_falls_on_the_last_day_of_short_months():
    dates = schedule.meeting_dates(
        rule="day_of_month", day=31, start=D(2024, 1, 1), end=D(2024, 4, 30)
    )
    assert dates == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30)]


def test_second_sunday_and_last_friday():
    second_sundays = schedule.meeting_dates(
        rule="nth_weekday", week=2, weekday=6, start=D(2024, 5, 1), end=D(2024, 7, 31)
    )
    assert second_sundays == [D(2024, 5, 12), D(2024, 6, 9), D(2024, 7, 14)]
    assert all(d.weekday() == 6 for d in second_sundays)
    last_fridays = schedule.meeting_dates(
        rule="nth_weekday", week=-1, weekday=4, start=D(2024, 5, 1), end=D(2024, 6, 30)
    )
    assert last_fridays == [D(2024, 5, 31), D(2024, 6, 28)]


def test_a_missing_fifth_weekday_falls_back_to_the_last():
    # June 2024 has four Mondays (3, 10, 17, 24); July has five (…, 29).
    assert schedule.nth_weekday(2024, 6, 5, 0) == D(2024, 6, 24)
    assert schedule.nth_weekday(2024, 7, 5, 0) == D(2024, 7, 29)


def test_every_three_months_counts_from_the_anchor():
    dates = schedule.meeting_dates(
        rule="day_of_month",
        day=10,
        every_months=3,
        anchor=D(2023, 3, 1),
        start=D(2024, 1, 1),
        end=D(2024, 12, 31),
    )
    assert [d.month for d in dates] == [3, 6, 9, 12]


def test_incomplete_or_no_rule_gives_no_dates():
    assert schedule.meeting_dates(rule="day_of_month", start=D(2024, 1, 1), end=D(2024, 3, 1)) == []
    assert schedule.meeting_dates(rule="none", day=5, start=D(2024, 1, 1), end=D(2024, 3, 1)) == []
    assert (
        schedule.meeting_dates(rule="nth_weekday", week=2, start=D(2024, 1, 1), end=D(2024, 3, 1))
        == []
    )


def test_add_months_and_deadline():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2024, 11, 15), 3) == D(2025, 2, 15)
    assert add_months(D(2024, 1, 15), -2) == D(2023, 11, 15)
    assert schedule.report_deadline(2024, 12) == D(2025, 1, 5)
    assert split(shift(ym_of(2024, 11), 3)) == (2025, 2)


def test_the_deadline_day_is_a_setting_and_stays_in_the_month(settings):
    settings.ISHC_REPORT_DEADLINE_DAY = 31
    assert schedule.report_deadline(2024, 1) == D(2024, 2, 29)
    assert schedule.report_late_from(2024, 1).date() == D(2024, 3, 1)


@pytest.mark.django_db
def test_planning_creates_three_months_and_is_idempotent():
    club = ClubFactory(meeting_day=21, meeting_place="Nhà văn hóa bản Mới")
    today = D(2024, 5, 22)
    first = meetings_plan(clubs=Club.objects.filter(pk=club.pk), today=today)
    assert first.created == 3
    dates = list(Meeting.objects.filter(club=club).order_by("date").values_list("date", flat=True))
    assert dates == [D(2024, 6, 21), D(2024, 7, 21), D(2024, 8, 21)]
    assert Meeting.objects.filter(club=club, place="Nhà văn hóa bản Mới").count() == 3
    again = meetings_plan(clubs=Club.objects.filter(pk=club.pk), today=today)
    assert again.created == 0
    assert Meeting.objects.filter(club=club).count() == 3


@pytest.mark.django_db
def test_a_moved_or_cancelled_meeting_is_not_planned_again():
    club = ClubFactory(meeting_day=21)
    today = D(2024, 5, 22)
    MeetingFactory(
        club=club, date=D(2024, 6, 25), planned_on=D(2024, 6, 21), moved_from=D(2024, 6, 21)
    )
    MeetingFactory(club=club, date=D(2024, 7, 21), planned_on=D(2024, 7, 21), status="cancelled")
    meetings_plan(clubs=Club.objects.filter(pk=club.pk), today=today)
    assert Meeting.objects.filter(club=club).count() == 3
    assert not Meeting.objects.filter(club=club, date=D(2024, 6, 21)).exists()


@pytest.mark.django_db
def test_a_changed_rule_replaces_untouched_planned_meetings():
    club = ClubFactory(meeting_day=21)
    today = D(2024, 5, 22)
    meetings_plan(clubs=Club.objects.filter(pk=club.pk), today=today)
    club.meeting_rule = Club.MeetingRule.NTH_WEEKDAY
    club.meeting_week, club.meeting_weekday = 2, 6
    club.meeting_day = None
    club.save()
    result = meetings_plan(clubs=Club.objects.filter(pk=club.pk), today=today)
    assert result.removed == 3
    assert all(
        d.weekday() == 6 for d in Meeting.objects.filter(club=club).values_list("date", flat=True)
    )


@pytest.mark.django_db
def test_the_nightly_task_plans_every_active_club_and_is_scheduled():
    active = ClubFactory()
    ClubFactory(status=Club.Status.DISSOLVED)
    ClubFactory(meeting_rule=Club.MeetingRule.NONE, meeting_day=None)
    result = plan_meetings.apply().get()  # as the worker runs it at night
    assert result["created"] >= 3
    assert set(Meeting.objects.values_list("club_id", flat=True)) == {active.pk}
    task = PeriodicTask.objects.get(task="month.tasks.plan_meetings")
    assert task.enabled and task.crontab.hour == "1" and task.crontab.minute == "0"
