"""The fixed cast every test can use (healthchecks' alice/bob/charlie, here by role).

province  — provincial staff of province A
commune   — commune staff of commune A1 (in province A)
leader    — leader of club_a (in commune A1)
leader2   — leader of club_b (in commune B1, province B): the outsider for everyone above
viewer    — read-only, scoped to province A
admin     — superuser
"""

import copy
import uuid
from dataclasses import dataclass

import pytest

from accounts.models import Role, User
from clubs.models import Area, Club
from tests.factories import ClubFactory, CommuneFactory, ProvinceFactory, UserFactory


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hasher():
    """MD5 first, once for the session: PBKDF2's million rounds cost a third of a second a
    user, and no test here is about hashing. The project's hashers stay behind it, so a
    password hashed the production way still checks."""
    from django.conf import settings
    from django.test.utils import override_settings

    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


@pytest.fixture(autouse=True, scope="session")
def _celery_tasks_only_enqueue():
    """A task sent by the code under test goes to an in-memory broker and does not run,
    whatever REDIS_URL says (without Redis the settings would run it in-process). A test
    that needs the task's effect asks for `celery_eager` or calls the task itself; the
    integration tests (marked) start a real worker on a queue of their own."""
    from config.celery import app

    old = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://localhost/"
    yield
    app.conf.task_always_eager, app.conf.broker_url = old


@pytest.fixture
def celery_eager():
    """Tasks sent during the test run at once, in-process, and their errors propagate."""
    from config.celery import app

    old = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = old


@pytest.fixture
def celery_sent():
    """The tasks sent to the broker during the test, as (task name, args) in order."""
    from celery.signals import before_task_publish

    sent: list[tuple[str, tuple]] = []

    def record(sender=None, body=None, **kwargs):
        sent.append((sender, tuple(body[0])))

    before_task_publish.connect(record, weak=False)
    yield sent
    before_task_publish.disconnect(record)


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test starts with an empty cache of its own: with Redis the cache is shared by
    the parallel test processes, whose databases reuse the same primary keys."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture(autouse=True)
def _no_axes_lockout_leak(settings):
    settings.AXES_ENABLED = True


@dataclass
class Cast:
    province_a: Area
    province_b: Area
    commune_a1: Area
    commune_a2: Area
    commune_b1: Area
    club_a: Club
    club_a2: Club
    club_b: Club
    admin: User
    province: User
    commune: User
    leader: User
    leader2: User
    viewer: User


@pytest.fixture
def cast(db) -> Cast:
    province_a = ProvinceFactory(code="91", name="Tỉnh A")
    province_b = ProvinceFactory(code="92", name="Tỉnh B")
    commune_a1 = CommuneFactory(code="91001", name="Xã A Một", parent=province_a)
    commune_a2 = CommuneFactory(code="91002", name="Xã A Hai", parent=province_a)
    commune_b1 = CommuneFactory(code="92001", name="Xã B Một", parent=province_b)
    club_a = ClubFactory(name="CLB LTH Bản Mới", commune=commune_a1)
    club_a2 = ClubFactory(name="CLB LTH Bản Hon", commune=commune_a2)
    club_b = ClubFactory(name="CLB LTH Khu 3", commune=commune_b1)
    return Cast(
        province_a=province_a,
        province_b=province_b,
        commune_a1=commune_a1,
        commune_a2=commune_a2,
        commune_b1=commune_b1,
        club_a=club_a,
        club_a2=club_a2,
        club_b=club_b,
        admin=UserFactory(username="admin", role=Role.ADMIN, is_superuser=True, is_staff=True),
        province=UserFactory(username="province", role=Role.PROVINCE, area=province_a),
        commune=UserFactory(username="commune", role=Role.COMMUNE, area=commune_a1),
        leader=UserFactory(username="leader", role=Role.CLUB_LEADER, club=club_a),
        leader2=UserFactory(username="leader2", role=Role.CLUB_LEADER, club=club_b),
        viewer=UserFactory(username="viewer", role=Role.VIEWER, area=province_a),
    )


@pytest.fixture
def login(client):
    """login(user) -> the test client signed in as that user."""

    def _login(user: User):
        client.force_login(user)
        return client

    return _login


def pytest_configure(config):
    """pytest-django orders the tests so that those that flush the database (transactional)
    come after all the others: the flush also empties what the migrations put in (activity
    areas, composition targets, periodic tasks). xdist's default reordering would send the
    largest `xdist_group` (the browser tests, all transactional) first and break that order on
    its worker; keep the collection order instead (same as `--no-loadscope-reorder`)."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


@pytest.hookimpl(trylast=True)  # after tests/browser/conftest.py has marked its tests
def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL (row locks, concurrency): skip them elsewhere."""
    import os

    _keep_xdist_groups(config, items)
    _refuse_stray_browser_params(items)
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def _refuse_stray_browser_params(items) -> None:
    """A test outside tests/browser with an argument named like a Playwright fixture (``page``)
    is parametrized over the browsers and sorted among the browser tests, after the tests that
    flush the database: it then runs without the rows the migrations put in. Name it
    otherwise (``page_no``)."""
    stray = [
        item.nodeid
        for item in items
        if "browser_name" in getattr(getattr(item, "callspec", None), "params", {})
        and "/browser/" not in str(item.fspath)
    ]
    if stray:
        raise pytest.UsageError(
            "tests outside tests/browser are parametrized over browsers: " + ", ".join(stray)
        )


def _keep_xdist_groups(config, items) -> None:
    """`--dist loadgroup` sends the tests of one `xdist_group` to one worker by suffixing their
    node ids with `@group` in each worker; pytest 9.2's structured node ids ignore the field
    xdist 3.8 writes, so the groups were silently lost (pytest-xdist issue #1386). Until xdist
    writes the structured id itself, do it here; a no-op once the suffix is there."""
    if not getattr(config.option, "loadgroup", False):  # only set in xdist workers
        return
    try:
        from _pytest.nodeid import coerce_node_id
    except ImportError:  # pytest before 9.2: xdist's own suffix works
        return
    for item in items:
        names = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        if names and not item.nodeid.endswith("@" + "_".join(sorted(names))):
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(sorted(names))}")
