"""Sign-in lock-out that cannot be turned against the people it protects.

Behind the reverse proxy every request comes from 127.0.0.1: the client's own address must
come from the proxy's header, and only when the request really comes from the proxy.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.lockout import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "Demo@12345"
ATTACKER = "198.51.100.7"
VICTIM = "203.0.113.5"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"


def sign_in(username: str, password: str, *, via_proxy_for: str | None = None, **meta):
    """One sign-in from a fresh browser; via_proxy_for: the address the proxy says it saw."""
    if via_proxy_for:
        meta["HTTP_X_FORWARDED_FOR"] = via_proxy_for
    return Client().post(reverse("login"), {"username": username, "password": password}, **meta)


def lock(username: str, address: str, failures: int = 5) -> None:
    AccessAttempt.objects.create(
        username=username,
        ip_address=address,
        user_agent="test",
        failures_since_start=failures,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )


# --- The client's address -------------------------------------------------------------------


def address_of(**meta) -> str | None:
    return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address_of(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=VICTIM) == "127.0.0.1"


def test_behind_a_trusted_proxy_the_address_it_saw_counts(behind_proxy):
    assert address_of(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=VICTIM) == VICTIM


def test_a_client_cannot_pass_itself_off_as_another_address(behind_proxy):
    # Straight to the app, not through the proxy: its own header counts for nothing.
    assert address_of(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=VICTIM) == ATTACKER
    # Through the proxy with a forged header: the proxy appends what it saw, which wins.
    forged = f"{VICTIM}, {ATTACKER}"
    assert address_of(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forged) == ATTACKER


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    chain = f"192.0.2.1, {VICTIM}, 10.1.2.3"
    assert address_of(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=chain) == VICTIM


def test_a_header_the_proxy_did_not_write_falls_back_to_the_proxy(behind_proxy):
    assert address_of(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="nonsense") == "127.0.0.1"
    assert address_of(REMOTE_ADDR="127.0.0.1") == "127.0.0.1"


def test_another_header_can_be_named(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.TRUSTED_PROXY_HEADER = "X-Real-IP"
    assert address_of(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=VICTIM) == VICTIM


# --- Locks ----------------------------------------------------------------------------------


def test_wrong_passwords_from_one_address_do_not_lock_the_user_out_elsewhere(cast, behind_proxy):
    for _ in range(5):
        sign_in("leader", "wrong", via_proxy_for=ATTACKER)
    assert sign_in("leader", PASSWORD, via_proxy_for=ATTACKER).status_code == 429
    # The leader, on their own phone's address, signs in as usual.
    assert sign_in("leader", PASSWORD, via_proxy_for=VICTIM).status_code == 302


def test_without_a_trusted_proxy_a_forged_header_does_not_dodge_the_lock(cast, settings):
    settings.TRUSTED_PROXIES = []
    for i in range(5):
        sign_in("leader", "wrong", via_proxy_for=f"192.0.2.{i}")
    assert sign_in("leader", PASSWORD, via_proxy_for="192.0.2.99").status_code == 429


def test_an_address_trying_many_user_names_is_throttled_at_its_own_limit(
    cast, behind_proxy, settings
):
    settings.AXES_FAILURE_LIMIT = 5
    settings.ISHC_LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for username in ("leader", "commune", "viewer"):
        for _ in range(2):  # no user name reaches 5 from this address
            sign_in(username, "wrong", via_proxy_for=ATTACKER)
    response = sign_in("province", PASSWORD, via_proxy_for=ATTACKER)
    assert response.status_code == 429
    assert "tạm bị khóa" in response.text
    assert sign_in("province", PASSWORD, via_proxy_for=VICTIM).status_code == 302


def test_a_few_failures_from_a_shared_address_lock_nobody_else(cast, behind_proxy):
    for username in ("leader", "commune"):
        for _ in range(4):
            sign_in(username, "wrong", via_proxy_for=VICTIM)
    assert sign_in("province", PASSWORD, via_proxy_for=VICTIM).status_code == 302


def test_someone_elses_sign_in_does_not_wipe_the_failures(cast, behind_proxy):
    """Signing in with one's own account between guesses must not reset the count."""
    for _ in range(4):
        sign_in("leader", "wrong", via_proxy_for=ATTACKER)
    assert sign_in("province", PASSWORD, via_proxy_for=ATTACKER).status_code == 302
    sign_in("leader", "wrong", via_proxy_for=ATTACKER)
    assert sign_in("leader", PASSWORD, via_proxy_for=ATTACKER).status_code == 429


def test_a_successful_sign_in_clears_the_users_own_failures(cast, behind_proxy):
    for _ in range(4):
        sign_in("leader", "wrong", via_proxy_for=VICTIM)
    assert sign_in("leader", PASSWORD, via_proxy_for=VICTIM).status_code == 302
    for _ in range(4):
        sign_in("leader", "wrong", via_proxy_for=VICTIM)
    assert sign_in("leader", PASSWORD, via_proxy_for=VICTIM).status_code == 302


# --- Lifting a lock -------------------------------------------------------------------------


def test_provincial_staff_see_the_locked_users_of_their_province(cast, login):
    lock("leader", ATTACKER)
    lock("leader2", ATTACKER)  # province B
    lock("leader", VICTIM, failures=2)  # not locked from there: does not count
    page = login(cast.province).get(reverse("login_lockouts"))
    assert page.status_code == 200
    assert str(cast.leader) in page.text
    assert str(cast.leader2) not in page.text
    assert ATTACKER not in page.text  # addresses are not shown


def test_nobody_locked_says_so(cast, login):
    page = login(cast.province).get(reverse("login_lockouts"))
    assert "Không có ai" in page.text


def test_provincial_staff_unlock_a_user_of_their_province(cast, login):
    lock("leader", "127.0.0.1")
    assert sign_in("leader", PASSWORD).status_code == 429
    client = login(cast.province)
    response = client.post(reverse("login_lockout_lift", args=[cast.leader.pk]))
    assert response.status_code == 302
    assert "đăng nhập lại" in client.get(response["Location"]).text
    assert sign_in("leader", PASSWORD).status_code == 302


def test_provincial_staff_cannot_unlock_a_user_of_another_province(cast, login):
    lock("leader2", "127.0.0.1")
    client = login(cast.province)
    assert client.post(reverse("login_lockout_lift", args=[cast.leader2.pk])).status_code == 404
    assert sign_in("leader2", PASSWORD).status_code == 429


def test_provincial_staff_cannot_unlock_an_administrator(cast, login):
    lock("admin", "127.0.0.1")
    client = login(cast.province)
    assert client.post(reverse("login_lockout_lift", args=[cast.admin.pk])).status_code == 404


def test_an_administrator_unlocks_anyone(cast, login):
    lock("leader2", "127.0.0.1")
    client = login(cast.admin)
    assert str(cast.leader2) in client.get(reverse("login_lockouts")).text
    client.post(reverse("login_lockout_lift", args=[cast.leader2.pk]))
    assert sign_in("leader2", PASSWORD).status_code == 302


@pytest.mark.parametrize("who", ["commune", "leader", "viewer"])
def test_other_roles_may_not_open_or_lift_locks(cast, login, who):
    lock("leader", "127.0.0.1")
    client = login(getattr(cast, who))
    assert client.get(reverse("login_lockouts")).status_code == 403
    assert client.post(reverse("login_lockout_lift", args=[cast.leader.pk])).status_code == 403
    assert sign_in("leader", PASSWORD).status_code == 429


def test_lifting_a_lock_needs_a_post_and_a_signed_in_user(cast, login):
    url = reverse("login_lockout_lift", args=[cast.leader.pk])
    assert Client().post(url).status_code == 302  # to the login page
    assert login(cast.province).get(url).status_code == 405


def test_the_lock_page_is_in_the_provincial_menu(cast, login):
    assert reverse("login_lockouts") in login(cast.province).get("/").text
