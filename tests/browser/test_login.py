import pytest

from tests.browser.conftest import assert_no_horizontal_overflow, log_out

pytestmark = pytest.mark.django_db(transaction=True)


def test_leader_logs_in_on_a_phone(page, live_server, cast, browser_login):
    browser_login(page, live_server, "leader")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "CLB LTH Bản Mới" in page.content()
    assert_no_horizontal_overflow(page)
    # The menu opens on a narrow screen and offers logging out.
    log_out(page)


def test_login_page_loads_only_local_files(page, live_server):
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{live_server.url}/accounts/login/")
    assert any("/static/vendor/bootstrap/" in url for url in requested)
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requested)
    assert_no_horizontal_overflow(page)
