import pytest
from django.urls import reverse

from accounts.models import Role

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.text
    assert "Đăng nhập" in response.text
    assert 'name="username"' in response.text
    assert 'name="password"' in response.text


def test_login_and_logout(cast, client):
    response = client.post("/accounts/login/", {"username": "leader", "password": "Demo@12345"})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and cast.club_a.name in home.text  # the leader's club
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_says_so_in_vietnamese(cast, client):
    response = client.post("/accounts/login/", {"username": "leader", "password": "sai"})
    assert response.status_code == 200
    assert "không đúng" in response.text


def test_lockout_after_repeated_failures(cast, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/accounts/login/", {"username": "leader", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "leader", "password": "Demo@12345"})
    assert response.status_code == 429
    assert "tạm bị khóa" in response.text
    assert client.get("/").status_code == 302  # still not signed in


def test_password_change(cast, client):
    client.force_login(cast.leader)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Demo@12345",
            "new_password1": "Bản-Mới-2026!",
            "new_password2": "Bản-Mới-2026!",
        },
    )
    assert response.status_code == 302
    cast.leader.refresh_from_db()
    assert cast.leader.check_password("Bản-Mới-2026!")


def test_password_change_rejects_a_weak_password_in_vietnamese(cast, client):
    client.force_login(cast.leader)
    response = client.post(
        reverse("password_change"),
        {"old_password": "Demo@12345", "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    assert "Mật khẩu" in response.text or "mật khẩu" in response.text
    cast.leader.refresh_from_db()
    assert cast.leader.check_password("Demo@12345")


def test_language_switch_to_english_and_back(cast, client):
    client.force_login(cast.leader)
    assert '<html lang="vi">' in client.get("/").text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").text
    assert '<html lang="en">' in page
    assert "Log out" in page
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Đăng xuất" in client.get("/").text


def test_home_needs_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_vietnamese_even_when_the_browser_asks_for_english(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").text
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page


def test_sessions_signed_in_through_the_plain_backend_stay_signed_in(cast, client):
    """Sessions that name Django's own backend (signed in before the area-aware one) work."""
    client.force_login(cast.province, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user == cast.province


@pytest.fixture
def user_cache(settings):
    settings.ISHC_USER_CACHE_SECONDS = 60


def test_the_signed_in_user_comes_from_the_cache(cast, client, user_cache):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.province)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").wsgi_request.user == cast.province
    assert not [q for q in ctx.captured_queries if 'FROM "accounts_user"' in q["sql"]]


def test_a_change_of_role_or_a_deactivation_counts_at_once(cast, client, user_cache):
    client.force_login(cast.commune)
    assert client.get(reverse("month:report_inbox")).status_code == 200
    cast.commune.role, cast.commune.area = Role.CLUB_LEADER, None
    cast.commune.club = cast.club_a
    cast.commune.save()
    assert client.get("/").wsgi_request.user.role == Role.CLUB_LEADER
    cast.commune.is_active = False
    cast.commune.save()
    response = client.get(reverse("month:report_inbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_password_change_elsewhere_signs_the_session_out(cast, client, user_cache):
    client.force_login(cast.leader)
    assert client.get("/").wsgi_request.user == cast.leader
    cast.leader.set_password("Another@98765")
    cast.leader.save()
    assert not client.get("/").wsgi_request.user.is_authenticated
