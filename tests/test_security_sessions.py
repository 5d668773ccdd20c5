"""Sessions on shared phones and office PCs: an idle session ends (30 minutes for staff, a
working day for club leaders on their own phones), and a user can end every session they
have ("log out of every device")."""

from __future__ import annotations

import datetime
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import sessions
from accounts.models import Role, User

pytestmark = pytest.mark.django_db

PASSWORD = "Demo@12345"


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def store(client: Client):
    """The session as the server keeps it (a fresh read, not the client's copy)."""
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def stored_expiry(client: Client) -> datetime.datetime:
    """The expiry the database keeps (the sessions live in it, or are written through)."""
    from django.contrib.sessions.models import Session

    if not settings.SESSION_ENGINE.endswith(("backends.db", "backends.cached_db")):
        pytest.skip("sessions are not kept in the database")
    return Session.objects.get(session_key=store(client).session_key).expire_date


def idle_for(client: Client, minutes: int, monkeypatch) -> None:
    """The clock moves on, as the session store sees it. A copy of the session in the cache
    (Redis) expires on the real clock: it is forgotten, as it would have been by then."""
    session = store(client)
    if hasattr(session, "cache_key"):
        session._cache.delete(session.cache_key)
    later = timezone.now() + datetime.timedelta(minutes=minutes)
    monkeypatch.setattr(timezone, "now", lambda: later)


def is_signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


# --- Idle time ------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["province", "commune", "viewer", "admin"])
def test_staff_sessions_last_thirty_idle_minutes(cast, username):
    client = signed_in(username)
    assert store(client).get_expiry_age() == 30 * 60
    expires = stored_expiry(client)
    assert abs(expires - (timezone.now() + datetime.timedelta(minutes=30))).total_seconds() < 30


def test_a_club_leader_on_their_own_phone_stays_signed_in_for_a_working_day(cast):
    client = signed_in("leader")
    assert store(client).get_expiry_age() == 8 * 60 * 60


def test_a_staff_session_idle_for_thirty_minutes_is_signed_out(cast, monkeypatch):
    client = signed_in("commune")
    idle_for(client, 31, monkeypatch)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_leader_idle_for_an_hour_is_still_signed_in(cast, monkeypatch):
    client = signed_in("leader")
    idle_for(client, 60, monkeypatch)
    assert is_signed_in(client)


def test_the_idle_times_are_settings(cast, settings):
    settings.ISHC_SESSION_IDLE_MINUTES = 10
    settings.ISHC_SESSION_IDLE_MINUTES_LEADER = 120
    assert store(signed_in("province")).get_expiry_age() == 10 * 60
    assert store(signed_in("leader")).get_expiry_age() == 120 * 60


def test_a_request_moves_the_expiry_on_at_most_once_a_minute(cast):
    client = signed_in("province")
    first = stored_expiry(client)
    # A page right after signing in does not write the session.
    with CaptureQueriesContext(connection) as ctx:
        assert is_signed_in(client)
    writes = [q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"]]
    assert not [sql for sql in writes if sql.lstrip().upper().startswith(("UPDATE", "INSERT"))]
    # A minute later, the next page moves the expiry on.
    session = client.session
    session[sessions.SEEN_KEY] -= sessions.REFRESH_SECONDS + 1
    session.save()
    assert is_signed_in(client)
    assert stored_expiry(client) >= first
    assert store(client)[sessions.SEEN_KEY] > session[sessions.SEEN_KEY]


def test_a_change_of_role_changes_the_idle_time_at_once(cast):
    client = signed_in("leader")
    user = User.objects.get(username="leader")
    user.role, user.club, user.area = Role.COMMUNE, None, cast.commune_a1
    user.save()
    assert is_signed_in(client)
    assert store(client).get_expiry_age() == 30 * 60


def test_a_session_from_before_the_idle_limit_gets_one(cast):
    """Sessions signed in before the limit existed (14 days) are brought under it."""
    client = Client()
    client.force_login(cast.province)
    session = client.session
    for key in (sessions.SEEN_KEY, sessions.IDLE_KEY):
        del session[key]
    session.set_expiry(None)
    session.save()
    assert is_signed_in(client)
    assert store(client).get_expiry_age() == 30 * 60


# --- Every device ---------------------------------------------------------------------------


def test_log_out_of_every_device_ends_every_session_of_the_user(cast, settings):
    settings.ISHC_USER_CACHE_SECONDS = 60  # the signed-in user kept between requests too
    phone, office = signed_in("commune"), signed_in("commune")
    someone_else = signed_in("province")
    assert is_signed_in(phone) and is_signed_in(office)
    response = office.post(reverse("logout_everywhere"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "đăng xuất khỏi mọi thiết bị" in office.get(response["Location"]).text
    assert not is_signed_in(phone)
    assert not is_signed_in(office)
    assert is_signed_in(someone_else)
    # The password still signs in, on any device.
    assert is_signed_in(signed_in("commune"))


def test_the_button_is_on_the_password_page(cast, login):
    page = login(cast.leader).get(reverse("password_change")).text
    assert f'action="{reverse("logout_everywhere")}"' in page
    assert "Đăng xuất khỏi mọi thiết bị" in page


def test_log_out_of_every_device_needs_a_post_and_a_signed_in_user(cast, login):
    assert Client().post(reverse("logout_everywhere")).status_code == 302
    client = login(cast.leader)
    assert client.get(reverse("logout_everywhere")).status_code == 405
    assert is_signed_in(client)


def test_sessions_from_before_keep_their_hash(cast):
    """Until a user signs out everywhere, the hash is Django's own: nobody is signed out by
    the upgrade that brought the feature."""
    from django.contrib.auth.base_user import AbstractBaseUser

    user = cast.leader
    assert user.session_generation == 0
    assert user.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(user)
    sessions.sessions_end_all(user=user)
    assert user.get_session_auth_hash() != AbstractBaseUser.get_session_auth_hash(user)


def test_a_signed_out_session_has_no_user_left_in_it(cast):
    client = signed_in("leader")
    client.post(reverse("logout_everywhere"))
    assert SESSION_KEY not in client.session
