"""Reminder channels, texts and timing: no database needed."""

import datetime
import json
import smtplib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest

from month.reminders import channels, text, timing

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


class Gateway:
    """A small local SMS gateway whose answer each test chooses."""

    def __init__(self):
        self.status = 200
        self.delay = 0.0
        self.requests: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                gateway.requests.append(
                    {
                        "body": json.loads(self.rfile.read(length)),
                        "auth": self.headers.get("Authorization"),
                    }
                )
                time.sleep(gateway.delay)
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"id": f"gw-{len(gateway.requests)}"}).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    gw = Gateway()
    settings.ISHC_SMS_BACKEND = "http"
    settings.ISHC_SMS_GATEWAY_URL = gw.url
    settings.ISHC_SMS_GATEWAY_TOKEN = "secret-token"
    settings.ISHC_SMS_GATEWAY_TIMEOUT = 0.5
    yield gw
    gw.close()


def test_gateway_success_returns_the_provider_id(gateway):
    provider_id = channels.channel_for("sms").send(to="0912345678", text="Xin chao")
    assert provider_id == "gw-1"
    assert gateway.requests[0]["body"] == {
        "to": "0912345678",
        "text": "Xin chao",
        "sender": "HOINCT",
    }
    assert gateway.requests[0]["auth"] == "Bearer secret-token"


def test_gateway_500_is_temporary(gateway):
    gateway.status = 500
    with pytest.raises(channels.TemporaryError, match="500"):
        channels.channel_for("sms").send(to="0912345678", text="x")


def test_gateway_timeout_is_temporary(gateway):
    gateway.delay = 1.5
    with pytest.raises(channels.TemporaryError, match="timed out"):
        channels.channel_for("sms").send(to="0912345678", text="x")


def test_gateway_4xx_is_permanent(gateway):
    gateway.status = 400
    with pytest.raises(channels.PermanentError, match="400"):
        channels.channel_for("sms").send(to="0912345678", text="x")


def test_gateway_409_for_a_reference_already_accepted_counts_as_sent(gateway):
    """A send retried after a crash: the gateway already has the message and says so."""
    gateway.status = 409
    provider_id = channels.channel_for("sms").send(to="0912345678", text="x", key="reminder-7")
    assert provider_id == "gw-1"
    assert gateway.requests[0]["body"]["reference"] == "reminder-7"


def test_gateway_409_without_a_reference_is_permanent(gateway):
    gateway.status = 409
    with pytest.raises(channels.PermanentError, match="409"):
        channels.channel_for("sms").send(to="0912345678", text="x")


def test_console_backend_counts_what_it_sends(settings, tmp_path):
    settings.ISHC_SMS_BACKEND = "console"
    settings.ISHC_SMS_CONSOLE_FILE = str(tmp_path / "sms.jsonl")
    before = len(channels.ConsoleSmsBackend.sent)
    channels.channel_for("sms").send(to="0912345678", text="Sinh hoat 21/06")
    assert len(channels.ConsoleSmsBackend.sent) == before + 1
    lines = (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["text"] == "Sinh hoat 21/06"


def test_email_channel_uses_django_mail(mailoutbox):
    channels.channel_for("email").send(to="a@example.org", text="Nội dung", subject="Nhắc lịch")
    assert mailoutbox[0].subject == "Nhắc lịch"
    assert mailoutbox[0].to == ["a@example.org"]


def test_every_attempt_of_an_email_carries_the_same_message_id(mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "ISHC Manager <noreply@ishc.example.org>"
    key = "reminder-12-20300621"
    first = channels.channel_for("email").send(to="a@example.org", text="x", key=key)
    again = channels.channel_for("email").send(to="a@example.org", text="x", key=key)
    assert first == again == "<reminder-12-20300621@ishc.example.org>"
    assert [m.message()["Message-ID"] for m in mailoutbox] == [first, first]


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no such user")}), "permanent"),
        (smtplib.SMTPDataError(554, b"rejected"), "permanent"),
        (smtplib.SMTPDataError(451, b"try later"), "temporary"),
        (smtplib.SMTPServerDisconnected("gone"), "temporary"),
        (TimeoutError("timed out"), "temporary"),
    ],
)
def test_smtp_errors_are_permanent_or_temporary(monkeypatch, error, kind):
    def fail(self, fail_silently=False):
        raise error

    monkeypatch.setattr("django.core.mail.EmailMessage.send", fail)
    expected = channels.PermanentError if kind == "permanent" else channels.TemporaryError
    with pytest.raises(expected):
        channels.channel_for("email").send(to="a@example.org", text="x", key="reminder-1")


def test_member_message_in_vietnamese_and_without_diacritics(settings):
    starts = datetime.datetime(2026, 6, 21, 8, 0, tzinfo=HCM)
    message = text.member_message("CLB LTH Bản Mới", starts, "nhà văn hoá bản")
    assert message == "CLB LTH Bản Mới: sinh hoạt định kỳ 08:00 ngày 21/06 tại nhà văn hoá bản."
    settings.ISHC_SMS_STRIP_DIACRITICS = True
    plain = channels.sms_text(message)
    assert plain == "CLB LTH Ban Moi: sinh hoat dinh ky 08:00 ngay 21/06 tai nha van hoa ban."
    assert channels.sms_fits(plain)
    settings.ISHC_SMS_STRIP_DIACRITICS = False
    assert channels.sms_text(message) == message
    assert not channels.sms_fits(message + " " * 10)  # 70 characters with diacritics


def test_quiet_hours_span_midnight(settings):
    settings.ISHC_QUIET_HOURS = "21:00-07:00"
    assert timing.in_quiet_hours(datetime.datetime(2026, 6, 20, 22, 30, tzinfo=HCM))
    assert timing.in_quiet_hours(datetime.datetime(2026, 6, 20, 6, 59, tzinfo=HCM))
    assert not timing.in_quiet_hours(datetime.datetime(2026, 6, 20, 7, 0, tzinfo=HCM))
    end = timing.quiet_hours_end(datetime.datetime(2026, 6, 20, 22, 30, tzinfo=HCM))
    assert end.astimezone(HCM) == datetime.datetime(2026, 6, 21, 7, 0, tzinfo=HCM)
    settings.ISHC_QUIET_HOURS = "off"
    assert not timing.in_quiet_hours(datetime.datetime(2026, 6, 20, 23, 0, tzinfo=HCM))


def test_due_time_and_staleness(settings):
    settings.ISHC_REMINDER_SEND_HOUR = 8
    settings.ISHC_REMINDER_MAX_AGE_HOURS = 24
    starts = datetime.datetime(2026, 6, 21, 8, 0, tzinfo=HCM)
    assert timing.due_at(starts, 3).astimezone(HCM) == datetime.datetime(
        2026, 6, 18, 8, 0, tzinfo=HCM
    )
    assert timing.due_at(starts, 0).astimezone(HCM) == datetime.datetime(
        2026, 6, 21, 6, 0, tzinfo=HCM
    )
    due = timing.due_at(starts, 1)
    assert not timing.is_stale(due, due + datetime.timedelta(hours=23))
    assert timing.is_stale(due, due + datetime.timedelta(hours=25))
