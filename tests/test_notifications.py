"""Notifications: a report's steps and a loan request tell the people concerned, under the
bell and once through their chosen channel (SMS or e-mail) with retries and quiet hours."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, NotifyChannel, Role
from accounts.notifications import mark_read, notify
from config.months import add_months
from funds.models import Loan
from month.reminders import channels
from month.reminders.notifications import notifications_send_due
from month.services import report_approve, report_return, report_review, report_start, report_submit
from tests.factories import UserFactory
from tests.factories_funds import make_loan

pytestmark = pytest.mark.django_db

NOON = timezone.make_aware(datetime.datetime(2026, 3, 10, 12, 0))
NIGHT = timezone.make_aware(datetime.datetime(2026, 3, 10, 23, 0))


@pytest.fixture(autouse=True)
def _console_sms(settings):
    settings.ISHC_SMS_BACKEND = "console"
    settings.ISHC_SMS_CONSOLE_FILE = ""
    settings.ISHC_QUIET_HOURS = "21:00-07:00"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    channels.ConsoleSmsBackend.sent.clear()
    channels.ConsoleSmsBackend._by_key.clear()


@pytest.fixture
def submitted(cast):
    day = add_months(timezone.localdate().replace(day=1), -1)
    report = report_start(club=cast.club_a, year=day.year, month=day.month, by=cast.leader)
    return report_submit(report=report, by=cast.leader)


def notes(user):
    return list(Notification.objects.filter(user=user))


def test_a_submitted_report_tells_the_communes_staff_only(cast, submitted):
    other_commune = UserFactory(role=Role.COMMUNE, area=cast.commune_a2)
    [note] = notes(cast.commune)
    assert note.kind == Notification.Kind.REPORT_SUBMITTED
    assert cast.club_a.name in note.text
    assert note.url == reverse("month:report_detail", args=[submitted.pk])
    assert notes(other_commune) == []
    assert notes(cast.leader2) == []
    cast.commune.refresh_from_db()
    assert cast.commune.unread_notifications == 1


def test_a_returned_report_tells_the_leader_with_the_comment(cast, submitted):
    report_return(report=submitted, by=cast.commune, comment="Thiếu số liệu hoạt động")
    [note] = notes(cast.leader)
    assert note.kind == Notification.Kind.REPORT_RETURNED
    assert "Thiếu số liệu hoạt động" in note.text
    assert "trả lại" in note.text  # written in Vietnamese, for the SMS as for the bell


def test_review_tells_the_leader_and_the_province_then_approval_the_commune(cast, submitted):
    report = report_review(report=submitted, by=cast.commune)
    assert [n.kind for n in notes(cast.leader)] == [Notification.Kind.REPORT_REVIEWED]
    assert [n.kind for n in notes(cast.province)] == [Notification.Kind.REPORT_REVIEWED]
    report_approve(report=report, by=cast.province)
    kinds = {n.kind for n in notes(cast.commune)}
    assert Notification.Kind.REPORT_APPROVED in kinds
    assert Notification.Kind.REPORT_APPROVED in {n.kind for n in notes(cast.leader)}
    # The province, who approved, is not told of its own act.
    assert Notification.Kind.REPORT_APPROVED not in {n.kind for n in notes(cast.province)}


def test_a_loan_request_tells_the_other_board_members_not_the_one_who_asked(cast):
    other = UserFactory(role=Role.CLUB_LEADER, club=cast.club_a)
    loan = make_loan(cast.club_a, status=Loan.Status.REQUESTED, by=cast.leader)
    [note] = notes(other)
    assert note.kind == Notification.Kind.LOAN_REQUESTED
    assert "10.000.000" in note.text
    assert note.url == reverse("funds:loan_detail", args=[loan.pk])
    assert notes(cast.leader) == []
    assert notes(cast.leader2) == []


def test_the_same_event_is_notified_once(cast):
    for _ in range(2):
        notify(users=[cast.leader], kind="report_returned", event="e-1", text="x", url="/")
    assert len(notes(cast.leader)) == 1
    cast.leader.refresh_from_db()
    assert cast.leader.unread_notifications == 1


# --- Delivery -------------------------------------------------------------------------------


def _one(user, event="e-1"):
    notify(users=[user], kind="report_returned", event=event, text="Báo cáo bị trả lại", url="/")
    return Notification.objects.get(user=user, event=event)


def test_sms_is_sent_once_through_the_outbox(cast):
    cast.leader.phone, cast.leader.notify_channel = "0912345678", NotifyChannel.SMS
    cast.leader.save()
    note = _one(cast.leader)
    assert note.delivery == Notification.Delivery.PENDING
    assert notifications_send_due(now=NOON)["sent"] == 1
    assert notifications_send_due(now=NOON)["sent"] == 0  # nothing sent twice
    note.refresh_from_db()
    assert note.delivery == Notification.Delivery.SENT
    [sms] = channels.ConsoleSmsBackend.sent
    assert sms["to"] == "0912345678"
    assert sms["text"] == "Bao cao bi tra lai"  # without diacritics, as gateways need


def test_email_carries_the_link(cast, settings):
    settings.ISHC_SITE_URL = "https://ishc.example.vn"
    cast.leader.email, cast.leader.notify_channel = "leader@example.vn", NotifyChannel.EMAIL
    cast.leader.save()
    _one(cast.leader)
    notifications_send_due(now=NOON)
    [message] = mail.outbox
    assert message.to == ["leader@example.vn"]
    assert "https://ishc.example.vn/" in message.body


def test_quiet_hours_wait_for_the_morning(cast):
    cast.leader.phone = "0912345678"
    cast.leader.save()
    note = _one(cast.leader)
    notifications_send_due(now=NIGHT)
    note.refresh_from_db()
    assert note.delivery == Notification.Delivery.PENDING
    assert note.attempts == 0
    assert note.next_attempt_at.astimezone(timezone.get_current_timezone()).hour == 7
    assert channels.ConsoleSmsBackend.sent == []


def test_a_temporary_failure_is_retried_with_backoff_then_given_up(cast, settings, monkeypatch):
    settings.ISHC_REMINDER_MAX_ATTEMPTS = 2
    cast.leader.phone = "0912345678"
    cast.leader.save()
    note = _one(cast.leader)

    def down(self, **kwargs):
        raise channels.TemporaryError("gateway answered 503")

    monkeypatch.setattr(channels.ConsoleSmsBackend, "send", down)
    notifications_send_due(now=NOON)
    note.refresh_from_db()
    assert (note.delivery, note.attempts) == (Notification.Delivery.PENDING, 1)
    assert note.next_attempt_at == NOON + datetime.timedelta(minutes=1)
    notifications_send_due(now=NOON + datetime.timedelta(minutes=2))
    note.refresh_from_db()
    assert note.delivery == Notification.Delivery.FAILED
    assert "503" in note.last_error


def test_no_phone_is_skipped_with_the_reason_and_app_only_is_not_sent(cast):
    cast.leader.phone = ""
    cast.leader.save()
    assert _one(cast.leader).delivery == Notification.Delivery.SKIPPED
    cast.leader2.notify_channel = NotifyChannel.APP
    cast.leader2.save()
    assert _one(cast.leader2).delivery == Notification.Delivery.NONE


# --- Pages ----------------------------------------------------------------------------------


def test_the_bell_shows_the_unread_count_and_the_list_the_text(cast, login, submitted):
    client = login(cast.commune)
    page = client.get("/").content.decode()
    assert 'id="bell"' in page
    assert 'bell-count">1<' in page
    page = client.get(reverse("notifications")).content.decode()
    assert cast.club_a.name in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_report(cast, login, submitted):
    [note] = notes(cast.commune)
    response = login(cast.commune).get(reverse("notification_open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("month:report_detail", args=[submitted.pk])
    note.refresh_from_db()
    assert note.read_at is not None
    cast.commune.refresh_from_db()
    assert cast.commune.unread_notifications == 0


def test_another_users_notification_is_404(cast, login, submitted):
    [note] = notes(cast.commune)
    response = login(cast.leader2).get(reverse("notification_open", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read(cast, login):
    for i in range(3):
        _one(cast.viewer, event=f"e-{i}")
    # A viewer writes nothing of the club's data here, only their own reading state.
    response = login(cast.viewer).post(reverse("notifications_read_all"))
    assert response.status_code == 302
    cast.viewer.refresh_from_db()
    assert cast.viewer.unread_notifications == 0
    assert not Notification.objects.filter(user=cast.viewer, read_at__isnull=True).exists()


def test_mark_read_recounts_the_bell(cast):
    a = _one(cast.leader, "a")
    _one(cast.leader, "b")
    mark_read(user=cast.leader, pk=a.pk)
    assert cast.leader.unread_notifications == 1


def test_mark_all_read_is_a_post(cast, login):
    assert login(cast.leader).get(reverse("notifications_read_all")).status_code == 405


@pytest.mark.parametrize("n", [2, 30])
def test_the_list_runs_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries, n):
    for i in range(n):
        _one(cast.leader, event=f"e-{i}")
    client = login(cast.leader)
    # session, user, count (paginator), page of rows, nav cache
    with django_assert_max_num_queries(6):
        response = client.get(reverse("notifications"))
    assert response.status_code == 200
