"""Two-step sign-in: an authenticator app's code (TOTP) or a recovery code after the password.

Required of provincial staff and administrators when ISHC_REQUIRE_2FA is on; optional for
everyone else; off by default, so the demo users sign in with their password alone.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor

pytestmark = pytest.mark.django_db

PASSWORD = "Demo@12345"


@pytest.fixture
def required(settings):
    settings.ISHC_REQUIRE_2FA = True


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """What the app shows now (or a step later: the same code is never accepted twice)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def with_app(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="codes", confirmed=True)
    StaticToken.objects.create(device=static, token="abcd2345")
    return device


def password_only(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def verify(client: Client, code: str, next_url: str = "/"):
    return client.post(reverse("two_factor_verify"), {"code": code, "next": next_url})


# --- Required, no app yet: enrolment first ---------------------------------------------------


def test_provincial_staff_without_an_app_are_sent_to_set_one_up(cast, required):
    client = password_only("province")
    for url in ("/", reverse("clubs:club_list"), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("two_factor_enroll") + "?" + urlencode({"next": url})
    assert client.post(reverse("clubs:club_list")).status_code == 302


def test_the_set_up_page_shows_a_qr_code_and_the_key(cast, required):
    client = password_only("province")
    page = client.get(reverse("two_factor_enroll"))
    assert page.status_code == 200
    assert "<svg" in page.text and "Cài đặt xác thực hai bước" in page.text
    device = TOTPDevice.objects.get(user=cast.province, confirmed=False)
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page.text)[1].replace(" ", "")
    assert f"secret={secret}" in device.config_url
    # Opened again (the app not scanned yet): the same key.
    client.get(reverse("two_factor_enroll"))
    assert TOTPDevice.objects.filter(user=cast.province).count() == 1


def test_an_htmx_request_is_sent_to_the_whole_step_page(cast, required):
    client = password_only("province")
    response = client.get(reverse("clubs:club_list"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("two_factor_enroll")


def test_setting_up_the_app_lets_them_in_and_shows_the_recovery_codes_once(cast, required):
    client = password_only("province")
    client.get(reverse("two_factor_enroll"))
    device = TOTPDevice.objects.get(user=cast.province)
    response = client.post(reverse("two_factor_enroll"), {"code": code_for(device)})
    assert response["Location"] == reverse("two_factor_recovery_codes")
    codes = StaticToken.objects.filter(device__user=cast.province).values_list("token", flat=True)
    assert len(codes) == two_factor.RECOVERY_CODES
    shown = client.get(reverse("two_factor_recovery_codes")).text
    assert all(code in shown for code in codes)
    again = client.get(reverse("two_factor_recovery_codes")).text
    assert not any(code in again for code in codes)
    assert client.get("/").status_code == 200


def test_a_wrong_code_does_not_set_up_the_app(cast, required):
    client = password_only("province")
    client.get(reverse("two_factor_enroll"))
    wrong = client.post(reverse("two_factor_enroll"), {"code": "000000"})
    assert wrong.status_code == 200 and "Mã không đúng" in wrong.text
    assert not TOTPDevice.objects.filter(user=cast.province, confirmed=True).exists()
    assert client.get("/").status_code == 302


def test_setting_up_the_app_signs_out_sessions_that_used_the_password_alone(cast, required):
    elsewhere = password_only("province")
    client = password_only("province")
    client.get(reverse("two_factor_enroll"))
    device = TOTPDevice.objects.get(user=cast.province)
    client.post(reverse("two_factor_enroll"), {"code": code_for(device)})
    assert client.get("/").status_code == 200
    response = elsewhere.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_commune_staff_are_not_required_to(cast, required):
    start = password_only("commune").get("/")
    assert start.status_code == 200
    assert 'action="/accounts/logout/"' in start.text  # signed in, on the start page


# --- With an app: the password alone is not enough ------------------------------------------


def test_with_an_app_the_password_alone_is_not_enough(cast, required):
    with_app(cast.province)
    client = password_only("province")
    response = client.get(reverse("clubs:club_list"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert client.get(reverse("admin:index")).status_code == 302
    page = client.get(reverse("two_factor_verify"))
    assert page.status_code == 200 and "mã dự phòng" in page.text


def test_a_wrong_code_is_refused_in_vietnamese(cast, required):
    with_app(cast.province)
    client = password_only("province")
    response = verify(client, "123456")
    assert response.status_code == 200
    assert "Mã không đúng hoặc đã hết hạn" in response.text
    assert client.get("/").status_code == 302


def test_a_valid_code_from_the_app_lets_them_in(cast, required):
    device = with_app(cast.province)
    client = password_only("province")
    response = verify(client, code_for(device), next_url=reverse("clubs:club_list"))
    assert response["Location"] == reverse("clubs:club_list")
    assert client.get(reverse("clubs:club_list")).status_code == 200


def test_a_code_is_accepted_only_once(cast, required):
    device = with_app(cast.province)
    code = code_for(device)
    assert verify(password_only("province"), code).status_code == 302
    other = password_only("province")
    assert verify(other, code).status_code == 200  # refused: the same code again
    assert other.get("/").status_code == 302


def test_a_recovery_code_works_once(cast, required):
    with_app(cast.province)
    client = password_only("province")
    response = verify(client, "ABCD 2345")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    other = password_only("province")
    assert verify(other, "abcd2345").status_code == 200
    assert other.get("/").status_code == 302


def test_repeated_wrong_codes_make_them_wait(cast, required):
    with_app(cast.province)
    client = password_only("province")
    verify(client, "111111")
    response = verify(client, "222222")
    assert "Hãy đợi một phút" in response.text


def test_an_unsafe_next_address_is_ignored(cast, required):
    device = with_app(cast.province)
    client = password_only("province")
    response = verify(client, code_for(device), next_url="https://evil.example/")
    assert response["Location"] == reverse("home")


def test_the_step_pages_show_no_menu(cast, required):
    with_app(cast.province)
    page = password_only("province").get(reverse("two_factor_verify")).text
    assert 'id="mainnav"' not in page
    assert f'action="{reverse("logout")}"' in page  # but they can sign out


def test_a_session_signed_in_before_the_requirement_must_pass_it(cast, settings):
    client = password_only("province")
    assert client.get("/").status_code == 200
    settings.ISHC_REQUIRE_2FA = True
    assert client.get("/")["Location"].startswith(reverse("two_factor_enroll"))


# --- Optional for everyone else ------------------------------------------------------------


def test_with_the_setting_off_the_demo_users_sign_in_with_the_password_alone(cast):
    for username in ("admin", "province", "commune", "leader", "leader2", "viewer"):
        start = password_only(username).get("/")
        assert start.status_code == 200, username
        assert 'action="/accounts/logout/"' in start.text, username  # signed in


def test_a_leader_may_turn_it_on_and_then_needs_a_code(cast):
    client = password_only("leader")
    assert "Đang tắt" in client.get(reverse("two_factor")).text
    client.get(reverse("two_factor_enroll"))
    device = TOTPDevice.objects.get(user=cast.leader)
    client.post(reverse("two_factor_enroll"), {"code": code_for(device)})
    assert "Đang bật" in client.get(reverse("two_factor")).text
    again = password_only("leader")
    assert again.get("/")["Location"].startswith(reverse("two_factor_verify"))
    verify(again, code_for(device, steps_ahead=1))
    assert again.get("/").status_code == 200


def test_turning_it_off_takes_a_code(cast):
    device = with_app(cast.leader)
    client = password_only("leader")
    verify(client, code_for(device))
    refused = client.post(reverse("two_factor_disable"), {"code": "000000"})
    assert refused.status_code == 200 and "Mã không đúng" in refused.text
    assert TOTPDevice.objects.filter(user=cast.leader).exists()
    client.post(reverse("two_factor_disable"), {"code": "abcd2345"})
    assert not TOTPDevice.objects.filter(user=cast.leader).exists()
    assert not StaticDevice.objects.filter(user=cast.leader).exists()
    assert password_only("leader").get("/").status_code == 200


def test_new_recovery_codes_replace_the_old_ones(cast):
    device = with_app(cast.leader)
    client = password_only("leader")
    verify(client, code_for(device))
    client.post(reverse("two_factor_recovery_codes"))
    tokens = set(
        StaticToken.objects.filter(device__user=cast.leader).values_list("token", flat=True)
    )
    assert len(tokens) == two_factor.RECOVERY_CODES and "abcd2345" not in tokens
    shown = client.get(reverse("two_factor_recovery_codes")).text
    assert all(token in shown for token in tokens)


def test_the_two_step_pages_need_a_signed_in_user(db):
    for name in (
        "two_factor",
        "two_factor_enroll",
        "two_factor_verify",
        "two_factor_recovery_codes",
    ):
        response = Client().get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_password_page_links_to_two_step_sign_in(cast, login):
    assert reverse("two_factor") in login(cast.leader).get(reverse("password_change")).text
