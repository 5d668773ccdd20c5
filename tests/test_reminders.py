"""Planning and sending meeting reminders (in-process; see test_reminders_worker.py for Celery)."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from clubs.models import BoardPosition
from month.models import Meeting, Reminder
from month.reminders import services
from month.reminders.channels import ConsoleSmsBackend
from tests.factories import MemberFactory
from tests.test_reminders_channels import Gateway

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MEETING_DAY = datetime.date(2030, 6, 21)


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2030, 6, day, hour, minute, tzinfo=HCM)


@pytest.fixture(autouse=True)
def _defaults(settings):
    settings.ISHC_REMINDER_LEAD_DAYS = [3, 1]
    settings.ISHC_REMINDER_SEND_HOUR = 8
    settings.ISHC_REMINDER_MAX_AGE_HOURS = 24
    settings.ISHC_QUIET_HOURS = "21:00-07:00"
    settings.ISHC_SMS_BACKEND = "console"
    settings.ISHC_SMS_CONSOLE_FILE = ""
    ConsoleSmsBackend.sent.clear()
    ConsoleSmsBackend._by_key.clear()


@pytest.fixture
def meeting(cast):
    club = cast.club_a
    club.meeting_place = "Nhà văn hóa bản"
    club.save()
    for i in range(4):
        MemberFactory(club=club, full_name=f"Lò Thị {i}", phone=f"091234567{i}")
    return Meeting.objects.create(
        club=club, date=MEETING_DAY, starts_at=datetime.time(8, 0), place="nhà văn hoá bản"
    )


def sent_texts():
    return [m["text"] for m in ConsoleSmsBackend.sent]


def test_planning_twice_creates_each_reminder_once(meeting):
    first = services.reminders_plan(now=at(17, 12))
    assert first.created == 8  # 4 members x lead times 3 and 1 days
    second = services.reminders_plan(now=at(17, 12))
    assert second.created == 0
    assert Reminder.objects.count() == 8
    assert set(Reminder.objects.values_list("lead_days", flat=True)) == {3, 1}


def test_due_reminders_are_sent_once_with_the_meeting_in_vietnamese(meeting):
    services.reminders_plan(now=at(17, 12))
    result = services.send_due(now=at(18, 9))
    assert result.counts == {"sent": 4}
    assert sent_texts()[0] == (
        "CLB LTH Ban Moi: sinh hoat dinh ky 08:00 ngay 21/06 tai nha van hoa ban."
    )
    again = services.send_due(now=at(18, 10))
    assert again.counts == {}
    assert len(sent_texts()) == 4
    services.send_due(now=at(20, 9))  # the 1-day reminders
    assert len(sent_texts()) == 8


def test_cancelled_and_held_meetings_send_nothing(meeting):
    services.reminders_plan(now=at(17, 12))
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    result = services.send_due(now=at(18, 9))
    assert result.counts == {"skipped": 4}
    assert sent_texts() == []
    assert set(Reminder.objects.filter(lead_days=3).values_list("last_error", flat=True)) == {
        "meeting cancelled"
    }


def test_moved_meeting_gets_reminders_for_its_new_date(meeting):
    services.reminders_plan(now=at(17, 12))
    services.send_due(now=at(18, 9))  # 3-day reminders for the 21st went out
    Meeting.objects.filter(pk=meeting.pk).update(
        date=datetime.date(2030, 6, 24), moved_from=MEETING_DAY
    )
    services.reminders_plan(now=at(19, 12))
    result = services.send_due(now=at(21, 9))
    # The 1-day reminders for the old date are skipped; the 3-day ones for the 24th go out.
    assert result.counts["skipped"] == 4
    assert result.counts["sent"] == 4
    assert all("ngay 24/06" in t for t in sent_texts()[4:])
    assert Reminder.objects.filter(status="sent").count() == 8
    # Nobody gets the same reminder twice.
    keys = [m["key"] for m in ConsoleSmsBackend.sent]
    assert len(keys) == len(set(keys))


def test_stale_reminders_are_skipped_not_sent_late(meeting):
    services.reminders_plan(now=at(17, 12))
    result = services.send_due(now=at(19, 9, 30))  # 3-day reminder due 18th 08:00: 25 h late
    assert result.counts == {"skipped": 4}
    assert "stale" in Reminder.objects.filter(lead_days=3).first().last_error


def test_quiet_hours_delay_sending(meeting, settings):
    settings.ISHC_REMINDER_SEND_HOUR = 22  # due in the quiet hours
    services.reminders_plan(now=at(17, 12))
    result = services.send_due(now=at(18, 22, 5))
    assert result.counts == {"pending": 4}
    assert sent_texts() == []
    reminder = Reminder.objects.filter(lead_days=3).first()
    assert reminder.next_attempt_at.astimezone(HCM) == at(19, 7)
    assert reminder.attempts == 0
    assert services.send_due(now=at(19, 7, 1)).counts == {"sent": 4}


def test_opt_out_and_members_without_a_phone(meeting):
    first, second = meeting.club.members.order_by("pk")[:2]
    first.reminders_opt_out = True
    first.save()
    second.phone = ""
    second.save()
    services.reminders_plan(now=at(17, 12))
    assert not Reminder.objects.filter(member=first).exists()
    assert set(Reminder.objects.filter(member=second).values_list("status", flat=True)) == {
        "skipped"
    }
    assert services.send_due(now=at(18, 9)).counts == {"sent": 2}


def test_opting_out_after_planning_is_honoured(meeting):
    services.reminders_plan(now=at(17, 12))
    member = meeting.club.members.first()
    member.reminders_opt_out = True
    member.save()
    assert services.send_due(now=at(18, 9)).counts == {"sent": 3, "skipped": 1}


def test_gateway_errors_are_retried_then_failed(meeting, settings):
    gateway = Gateway()
    try:
        settings.ISHC_SMS_BACKEND = "http"
        settings.ISHC_SMS_GATEWAY_URL = gateway.url
        settings.ISHC_SMS_GATEWAY_TIMEOUT = 0.5
        settings.ISHC_REMINDER_MAX_ATTEMPTS = 3
        gateway.status = 500
        services.reminders_plan(now=at(17, 12))
        assert services.send_due(now=at(18, 8, 1)).counts == {"pending": 4}
        reminder = Reminder.objects.filter(lead_days=3).first()
        assert reminder.attempts == 1
        assert "500" in reminder.last_error
        half_a_minute_later = at(18, 8, 1) + datetime.timedelta(seconds=30)
        assert services.send_due(now=half_a_minute_later).counts == {}  # backing off (1 min)
        assert services.send_due(now=at(18, 8, 3)).counts == {"pending": 4}
        assert services.send_due(now=at(18, 8, 10)).counts == {"failed": 4}
        reminder.refresh_from_db()
        assert (reminder.status, reminder.attempts) == ("failed", 3)
        assert "500" in reminder.last_error

        gateway.status = 400
        services.send_due(now=at(20, 9))
        one_day = Reminder.objects.filter(lead_days=1).first()
        assert (one_day.status, one_day.attempts) == ("failed", 1)  # a 4xx is final at once
    finally:
        gateway.close()


def test_gateway_timeouts_are_retried(meeting, settings):
    gateway = Gateway()
    try:
        settings.ISHC_SMS_BACKEND = "http"
        settings.ISHC_SMS_GATEWAY_URL = gateway.url
        settings.ISHC_SMS_GATEWAY_TIMEOUT = 0.2
        gateway.delay = 0.6
        services.reminders_plan(now=at(17, 12))
        assert services.send_due(now=at(18, 9), limit=1).counts == {"pending": 1}
        assert "timed out" in Reminder.objects.get(attempts=1).last_error
        gateway.delay = 0
        assert services.send_due(now=at(18, 9, 5)).counts == {"sent": 4}
    finally:
        gateway.close()


def test_the_chair_gets_a_digest(meeting):
    chair = meeting.club.members.first()
    BoardPosition.objects.create(
        club=meeting.club,
        member=chair,
        position=BoardPosition.Position.CHAIR,
        start_on=datetime.date(2029, 1, 1),
    )
    services.reminders_plan(now=at(17, 12))
    services.send_due(now=at(18, 9))
    assert "da nhac 4 thanh vien" in sent_texts()[-1]


def test_an_interrupted_send_is_retried_and_delivered_once(meeting, settings):
    services.reminders_plan(now=at(17, 12))
    reminder = Reminder.objects.filter(lead_days=3).first()
    # A worker claimed it, delivered it, and died before recording the outcome.
    Reminder.objects.filter(pk=reminder.pk).update(
        status="sending", attempts=1, sending_started_at=at(18, 8, 1)
    )
    ConsoleSmsBackend().send(to=reminder.address, text="x", key=f"reminder-{reminder.pk}")
    result = services.send_due(now=at(18, 9))
    assert result.counts == {"sent": 4}
    assert [m["key"] for m in ConsoleSmsBackend.sent].count(f"reminder-{reminder.pk}") == 1


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the sender catches it."""


def test_a_batch_records_each_outcome_before_the_next_send(meeting, monkeypatch):
    """A sender that dies during its third send leaves two rows sent, the third 'sending'
    (the only one whose fate is unknown) and the rest still pending, never claimed."""
    services.reminders_plan(now=at(17, 12))
    ids = services.due_ids(now=at(18, 9))
    assert len(ids) == 4
    real_send = ConsoleSmsBackend.send
    calls = []

    def send(self, **kwargs):
        calls.append(kwargs["key"])
        if len(calls) == 3:
            raise WorkerKilled
        return real_send(self, **kwargs)

    monkeypatch.setattr(ConsoleSmsBackend, "send", send)
    with pytest.raises(WorkerKilled):
        services.send_batch(ids, now=at(18, 9))
    statuses = dict(Reminder.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert [statuses[pk] for pk in ids] == ["sent", "sent", "sending", "pending"]

    monkeypatch.setattr(ConsoleSmsBackend, "send", real_send)
    # The sweep, after the sending timeout: the one row in flight is retried with its key.
    result = services.send_due(now=at(18, 9, 30))
    assert result.counts == {"sent": 2}
    assert calls[2] == f"reminder-{ids[2]}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_planners_at_once_create_each_reminder_once(meeting):
    errors = []

    def plan():
        try:
            services.reminders_plan(now=at(17, 12))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=plan) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Reminder.objects.count() == 8


def test_command_prints_counts_and_dry_run_changes_nothing(meeting, capsys):
    call_command("send_meeting_reminders", "--now", "2030-06-18T09:00:00+07:00", "--dry-run")
    out = capsys.readouterr().out
    assert "dry run" in out
    assert Reminder.objects.count() == 0
    call_command("send_meeting_reminders", "--now", "2030-06-18T09:00:00+07:00")
    out = capsys.readouterr().out
    assert "planned: 8 new reminders" in out
    assert "sent: 4" in out
    assert len(sent_texts()) == 4


@pytest.mark.postgres
def test_sql_and_python_planning_agree(meeting, settings):
    """On PostgreSQL planning is one INSERT … SELECT; it must match the Python rules."""
    chair = meeting.club.members.first()
    BoardPosition.objects.create(
        club=meeting.club,
        member=chair,
        position=BoardPosition.Position.CHAIR,
        start_on=datetime.date(2029, 1, 1),
    )
    late = meeting.club.members.last()
    late.joined_on = datetime.date(2030, 6, 25)
    late.save()
    meeting.club.reminder_lead_days = "5, 2"
    meeting.club.save()
    columns = ("meeting_id", "member_id", "kind", "channel", "lead_days", "due_at", "status")

    services.reminders_plan(now=at(17, 12))
    by_sql = set(Reminder.objects.values_list(*columns))
    Reminder.objects.all().delete()
    services.reminders_plan(now=at(17, 12), force_python=True)
    by_python = set(Reminder.objects.values_list(*columns))
    assert by_sql == by_python
    assert {r[4] for r in by_sql} == {2}  # the 5-day reminder was already stale
    assert any(r[2] == "digest" for r in by_sql)


def test_meeting_page_shows_each_members_reminder(meeting, cast, login):
    services.reminders_plan(now=at(17, 12))
    services.send_due(now=at(18, 9))
    member = meeting.club.members.order_by("pk").first()
    member.phone = ""
    member.save()
    Reminder.objects.filter(member=member, lead_days=1).update(
        status="skipped", last_error=services.NO_ADDRESS
    )
    page = login(cast.leader).get(f"/meetings/{meeting.pk}/").text
    assert "Nhắc lịch sinh hoạt" in page
    assert "Đã gửi: 4" in page
    assert "không có số điện thoại" in page.lower()
    assert login(cast.leader2).get(f"/meetings/{meeting.pk}/").status_code == 404
