import pytest
from django.urls import reverse

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
    assert client.get("/").status_code == 200
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
