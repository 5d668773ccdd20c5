"""Reminders through a real Celery worker and Redis (CI: PostgreSQL + Redis).

The worker is a separate process on the test database. The first tests count sends with the
console SMS backend in a file, so a send is visible even when the worker dies right after it;
the last one counts them where it matters, at a local HTTP SMS gateway and a local SMTP
server, raw requests included.
"""

import asyncio
import datetime
import email
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from month.models import Meeting, Reminder
from tests.factories import MemberFactory

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL")
    return url


@pytest.fixture
def queue(settings, redis_url):
    """A queue of this test's own, so no other worker or test takes its tasks."""
    from config.celery import app

    name = f"test-{uuid.uuid4().hex[:8]}"
    old = (app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = name
    app.conf.broker_url = redis_url
    _reset_connections(app)
    yield name
    app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url = old
    _reset_connections(app)


def _reset_connections(app) -> None:
    """Drop pooled broker connections so the next task goes to the broker now configured."""
    from kombu import pools

    pools.reset()  # kombu keeps pools per connection in a global registry
    app._pool = None
    app.amqp._producer_pool = None


def worker_env(queue: str, sms_file: Path, **extra: str) -> dict[str, str]:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = url.replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    return {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": url,
        "CELERY_QUEUE": queue,
        "ISHC_SMS_BACKEND": "console",
        "ISHC_SMS_CONSOLE_FILE": str(sms_file),
        "ISHC_QUIET_HOURS": "off",
        "ISHC_REMINDER_LEAD_DAYS": "1",
        "ISHC_REMINDER_SEND_HOUR": "0",
        "ISHC_REMINDER_SENDING_TIMEOUT_MINUTES": "0",
        **extra,
    }


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - fixed command line
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo",
            "-Q", env["CELERY_QUEUE"], "--without-gossip", "--without-mingle",
            "--without-heartbeat", "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def sends(sms_file: Path) -> list[dict]:
    if not sms_file.exists():
        return []
    return [json.loads(line) for line in sms_file.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def meeting(cast, settings):
    settings.ISHC_REMINDER_LEAD_DAYS = [1]
    settings.ISHC_REMINDER_SEND_HOUR = 0
    settings.ISHC_QUIET_HOURS = "off"
    for i in range(3):
        MemberFactory(club=cast.club_a, phone=f"098765432{i}")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return Meeting.objects.create(club=cast.club_a, date=tomorrow, starts_at=datetime.time(12, 0))


def test_worker_plans_and_sends_each_reminder_once(meeting, queue, tmp_path):
    from month.reminders.tasks import plan_meeting_reminders

    sms_file = tmp_path / "sms.jsonl"
    worker = start_worker(worker_env(queue, sms_file))
    try:
        plan_meeting_reminders.delay()
        plan_meeting_reminders.delay()  # twice: still one reminder each
        assert wait_for(lambda: Reminder.objects.filter(status="sent").count() == 3)
        time.sleep(1)
        assert len(sends(sms_file)) == 3
        assert Reminder.objects.count() == 3
    finally:
        worker.terminate()
        worker.wait(10)
        connection.close()


def test_a_worker_killed_mid_send_leads_to_exactly_one_send(meeting, queue, tmp_path):
    from month.reminders import services
    from month.reminders.tasks import dispatch_due_reminders

    sms_file = tmp_path / "sms.jsonl"
    services.reminders_plan()
    assert Reminder.objects.filter(status="pending").count() == 3
    # A slow provider: the worker is killed after delivering, before recording the outcome.
    worker = start_worker(worker_env(queue, sms_file, ISHC_SMS_CONSOLE_DELAY="30"))
    try:
        dispatch_due_reminders.delay()
        assert wait_for(lambda: len(sends(sms_file)) == 1)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    # The batch was claimed, one message delivered, nothing recorded.
    assert Reminder.objects.filter(status="sending").count() >= 1
    assert Reminder.objects.filter(status="sent").count() == 0

    recovered = start_worker(worker_env(queue, sms_file))
    try:
        dispatch_due_reminders.delay()  # the periodic sweep
        assert wait_for(lambda: Reminder.objects.filter(status="sent").count() == 3)
        time.sleep(1)
        keys = [s["key"] for s in sends(sms_file)]
        assert len(keys) == 3
        assert len(set(keys)) == 3
    finally:
        recovered.terminate()
        recovered.wait(10)
        connection.close()


def test_a_task_lost_with_redis_is_sent_after_the_sweep(meeting, queue, tmp_path):
    import redis

    from month.reminders import services
    from month.reminders.tasks import dispatch_due_reminders, send_meeting_reminder

    sms_file = tmp_path / "sms.jsonl"
    services.reminders_plan()
    for reminder in Reminder.objects.all():
        send_meeting_reminder.delay(reminder.pk)
    redis.Redis.from_url(os.environ["REDIS_URL"]).delete(queue)  # Redis lost the tasks
    worker = start_worker(worker_env(queue, sms_file))
    try:
        time.sleep(2)
        assert sends(sms_file) == []
        dispatch_due_reminders.delay()
        assert wait_for(lambda: Reminder.objects.filter(status="sent").count() == 3)
        time.sleep(1)
        assert len(sends(sms_file)) == 3
    finally:
        worker.terminate()
        worker.wait(10)
        connection.close()


# --- Exactly once at a real gateway and a real SMTP server, through a crash -----------------


class FakeGateway:
    """An HTTP SMS gateway that honours ``reference`` as real ones do: a repeat is answered 409
    and is not a second message. Every raw request is kept, so a repeat is still visible.

    ``hold`` (a phone number): that message is accepted, then the answer waits (until
    ``release``) — the worst moment for the sender to die: delivered, not yet recorded.
    """

    def __init__(self):
        self.requests: list[dict] = []  # {"to", "reference", "outcome": accepted|duplicate}
        self.accepted: dict[str, str] = {}  # reference -> provider id
        self.hold = ""
        self.held = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                reference = body.get("reference", "")
                with gateway.lock:
                    duplicate = bool(reference) and reference in gateway.accepted
                    if not duplicate:
                        gateway.accepted[reference] = f"gw-{len(gateway.accepted) + 1}"
                    gateway.requests.append(
                        {
                            "to": body["to"],
                            "reference": reference,
                            "outcome": "duplicate" if duplicate else "accepted",
                        }
                    )
                    provider_id = gateway.accepted[reference]
                    hold = not duplicate and body["to"] == gateway.hold
                if hold:
                    gateway.held.set()
                    gateway.release.wait(30)
                status = 409 if duplicate else 200
                answer = {"id": provider_id, "duplicate": duplicate}
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(json.dumps(answer).encode())
                except OSError:
                    pass  # the sender died while we held the answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class FakeSmtp:
    """A real SMTP server (aiosmtpd) that keeps every message it accepted.

    ``hold`` (an address): the conversation for that recipient stops before the message is
    sent (until ``release``) — the sender dies in the middle of talking to the server.
    """

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list[dict] = []  # {"to", "message_id"}
        self.hold = ""
        self.held = threading.Event()
        self.release = threading.Event()
        smtp = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address == smtp.hold and not smtp.held.is_set():
                    smtp.held.set()
                    for _ in range(300):
                        if smtp.release.is_set():
                            break
                        await asyncio.sleep(0.1)
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                message = email.message_from_bytes(envelope.content)
                for to in envelope.rcpt_tos:
                    smtp.messages.append({"to": to, "message_id": message["Message-ID"]})
                return "250 Message accepted for delivery"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def close(self):
        self.release.set()
        self.controller.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def providers():
    gateway, smtp = FakeGateway(), FakeSmtp()
    yield gateway, smtp
    gateway.close()
    smtp.close()


def provider_env(gateway: FakeGateway, smtp: FakeSmtp) -> dict[str, str]:
    return {
        "ISHC_SMS_BACKEND": "http",
        "ISHC_SMS_GATEWAY_URL": gateway.url,
        "ISHC_SMS_GATEWAY_TIMEOUT": "60",  # a held answer is waited for, not timed out
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "EMAIL_TIMEOUT": "60",
        "DEFAULT_FROM_EMAIL": "ISHC Manager <noreply@ishc.example.org>",
    }


@pytest.mark.parametrize("crash_at", ["sms", "email"])
def test_a_worker_killed_mid_batch_delivers_each_reminder_once(
    cast, settings, queue, providers, tmp_path, crash_at
):
    """61 reminders in one batch, SMS and e-mail; the worker is killed (SIGKILL) in the
    middle of the 18th send, then a new worker and the sweep finish the batch. Each person
    gets exactly one message; the only repeat the gateway sees is the one send that was in
    flight, with the same reference, which the gateway answers as a duplicate."""
    from month.reminders import services
    from month.reminders.tasks import dispatch_due_reminders

    gateway, smtp = providers
    settings.ISHC_REMINDER_LEAD_DAYS = [1]
    settings.ISHC_REMINDER_SEND_HOUR = 0
    settings.ISHC_QUIET_HOURS = "off"
    phones, emails = [], []
    for i in range(61):
        if i % 3 == 2:
            address = f"member{i}@example.org"
            MemberFactory(club=cast.club_a, email=address, preferred_channel="email")
            emails.append(address)
        else:
            phone = f"09123{i:05d}"
            MemberFactory(club=cast.club_a, phone=phone, preferred_channel="sms")
            phones.append(phone)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Meeting.objects.create(club=cast.club_a, date=tomorrow, starts_at=datetime.time(12, 0))
    services.reminders_plan()
    assert Reminder.objects.filter(status="pending").count() == 61
    # The 18th reminder in sending order (due time, then id): the send the worker dies in.
    order = list(Reminder.objects.order_by("due_at", "pk"))
    victim = next(r for r in order[17:] if r.channel == crash_at)
    if crash_at == "sms":
        gateway.hold = victim.address
        held = gateway.held
    else:
        smtp.hold = victim.address
        held = smtp.held

    env = worker_env(queue, tmp_path / "unused.jsonl", **provider_env(gateway, smtp))
    worker = start_worker(env)
    try:
        dispatch_due_reminders.delay()
        assert held.wait(60), "the worker never reached the 18th send"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    gateway.release.set()
    smtp.release.set()
    # Everything before the crash is recorded; only the send in flight is left "sending".
    assert list(Reminder.objects.filter(status="sending").values_list("pk", flat=True)) == [
        victim.pk
    ]
    before = order[: order.index(victim)]
    assert Reminder.objects.filter(pk__in=[r.pk for r in before], status="sent").count() == len(
        before
    )

    gateway.hold = smtp.hold = ""
    recovered = start_worker(env)
    try:
        dispatch_due_reminders.delay()  # the periodic sweep
        assert wait_for(lambda: Reminder.objects.filter(status="sent").count() == 61, 90)
        time.sleep(1)
    finally:
        recovered.terminate()
        recovered.wait(10)
        connection.close()

    # SMS: one accepted message per person; raw requests counted, not de-duplicated.
    accepted = Counter(r["to"] for r in gateway.requests if r["outcome"] == "accepted")
    assert accepted == Counter(phones)
    raw = Counter(r["to"] for r in gateway.requests)
    repeats = {to: n for to, n in raw.items() if n > 1}
    if crash_at == "sms":
        # The one send in flight was retried with its reference and answered as a duplicate.
        assert repeats == {victim.address: 2}
        assert [r["reference"] for r in gateway.requests if r["outcome"] == "duplicate"] == [
            f"reminder-{victim.pk}"
        ]
    else:
        assert repeats == {}
    # E-mail: one message per person, one per Message-ID, derived from the reminder.
    assert Counter(m["to"] for m in smtp.messages) == Counter(emails)
    assert len({m["message_id"] for m in smtp.messages}) == len(emails)
    by_address = {r.address: r for r in Reminder.objects.filter(channel="email")}
    for message in smtp.messages:
        reminder = by_address[message["to"]]
        assert message["message_id"] == (
            f"<reminder-{reminder.pk}-{reminder.meeting_date:%Y%m%d}@ishc.example.org>"
        )
