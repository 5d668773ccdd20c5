"""Reminders through a real Celery worker and Redis (CI: PostgreSQL + Redis).

The worker is a separate process on the test database; sends are counted by the console SMS
backend in a file, so a send is visible even when the worker dies right after it.
"""

import datetime
import json
import os
import signal
import subprocess
import sys
import time
import uuid
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
