"""Redis is a cache and a broker, not a single point of failure.

A Redis server of the test's own (``redis-server`` on a free port) backs the cache and the
broker; the test signs in, opens pages, stops Redis in the middle, and checks what a user
would notice: signing in and every page still answer 200, /healthz says the broker is down,
work asked for meanwhile is not lost, and with Redis back the cache is used again.
"""

from __future__ import annotations

import datetime
import shutil
import socket
import subprocess
import time
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config import cache as resilient
from month.models import Meeting, Reminder
from tests.factories import MemberFactory
from tests.factories_members import member_row, xlsx

pytestmark = pytest.mark.integration

PASSWORD = "Demo@12345"  # tests.factories.UserFactory


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A redis-server process on its own port, with nothing saved to disk."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary
        self.process = subprocess.Popen(  # noqa: S603 - fixed command line
            [
                binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_connect_timeout=0.2)

    def keys(self) -> int:
        return self.client().dbsize()


@pytest.fixture
def redis_server():
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def on_redis(settings, redis_server):
    """The cache, the signed-in user's cache, /healthz and the Celery broker on that Redis."""
    from config.celery import app

    settings.REDIS_URL = redis_server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.ISHC_USER_CACHE_SECONDS = 60
    queue = f"test-{uuid.uuid4().hex[:8]}"
    old = (app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    app.conf.broker_url = redis_server.url
    _reset_connections(app)
    resilient.outages.reset()
    yield redis_server, queue
    resilient.outages.reset()
    app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url = old
    _reset_connections(app)


def _reset_connections(app) -> None:
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def back_again(server: RedisServer) -> None:
    """Redis is back: the next cache call tries it at once (not after the retry pause)."""
    server.start()
    resilient.outages.reset()


def pages(cast) -> list[str]:
    meeting = Meeting.objects.filter(club=cast.club_a).first()
    return [
        reverse("home"),
        reverse("reports:area", args=[cast.province_a.pk]),
        reverse("clubs:club_list"),
        reverse("clubs:club_detail", args=[cast.club_a.pk]),
        reverse("members:member_list", args=[cast.club_a.pk]),
        reverse("month:meeting_detail", args=[meeting.pk]),
    ]


def sign_in(client, user) -> None:
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.session.get("_auth_user_id") == str(user.pk)


def assert_all_open(client, urls: list[str]) -> None:
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert response.wsgi_request.user.is_authenticated, url


@pytest.fixture
def meeting(cast):
    for i in range(3):
        MemberFactory(club=cast.club_a, phone=f"098765432{i}")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return Meeting.objects.create(club=cast.club_a, date=tomorrow, starts_at=datetime.time(12, 0))


@pytest.mark.django_db
def test_pages_and_sign_in_work_while_redis_is_down(
    cast, meeting, on_redis, client, monkeypatch, django_capture_on_commit_callbacks
):
    from members import imports
    from members.models import ImportJob

    server, _queue = on_redis
    urls = pages(cast)
    sign_in(client, cast.province)
    assert_all_open(client, urls)
    assert server.keys() > 0  # the user, the menu and the dashboard went to the cache
    assert client.get("/healthz").json()["broker"] == "ok"

    server.stop()  # in the middle of the session

    assert_all_open(client, urls)
    client.post(reverse("logout"))
    sign_in(client, cast.province)  # the login POST itself
    assert_all_open(client, urls)
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json() == {"status": "error", "database": "ok", "broker": "error"}

    # Work that goes to the broker after the commit: the page answers, the job is recorded.
    monkeypatch.setattr(imports, "ASYNC_THRESHOLD", 1)
    leader = client.__class__()
    sign_in(leader, cast.leader)
    response = leader.post(
        reverse("members:import_upload", args=[cast.club_a.pk]),
        {"file": xlsx([member_row("A Páo"), member_row("A Dế")])},
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = leader.post(reverse("members:import_preview", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "queued"  # the stale-job sweep fails it later; it can be run again
    assert leader.get(reverse("members:import_preview", args=[job.pk])).status_code == 200

    back_again(server)
    assert_all_open(client, urls)
    assert server.keys() > 0  # the cache is used again
    assert client.get("/healthz").status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reminder_planned_while_redis_is_down_is_sent_when_it_is_back(
    cast, meeting, on_redis, settings, tmp_path
):
    from config.tasks import enqueue
    from month.reminders import services
    from month.reminders.tasks import dispatch_due_reminders
    from tests.test_reminders_worker import sends, start_worker, wait_for, worker_env

    server, queue = on_redis
    settings.ISHC_REMINDER_LEAD_DAYS = [1]
    settings.ISHC_REMINDER_SEND_HOUR = 0
    settings.ISHC_QUIET_HOURS = "off"
    server.stop()

    services.reminders_plan()  # the outbox is in the database
    assert Reminder.objects.filter(status="pending").count() == 3
    assert not enqueue(dispatch_due_reminders)  # the broker is down: logged, not raised

    back_again(server)
    sms_file = tmp_path / "sms.jsonl"
    worker = start_worker(worker_env(queue, sms_file, REDIS_URL=server.url))
    try:
        assert enqueue(dispatch_due_reminders)  # the periodic sweep, once the broker is back
        assert wait_for(lambda: Reminder.objects.filter(status="sent").count() == 3, 60)
        time.sleep(1)
        assert len(sends(sms_file)) == 3
    finally:
        worker.terminate()
        worker.wait(10)
        connection.close()
