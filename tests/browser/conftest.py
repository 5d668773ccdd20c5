"""Browser tests: Debian's Chromium driven by Playwright, phone-sized, offline.

Never downloads a browser: pytest-playwright launches /usr/bin/chromium. Every request to a
host other than the live server is blocked and fails the test.
"""

import os
import threading
import time
from urllib.parse import urlparse

import pytest
from django.core.signals import request_finished, request_started

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
            # One browser test per worker at a time keeps two cores responsive.
            item.add_marker(pytest.mark.xdist_group("browser"))
            if not os.path.exists(CHROMIUM):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "locale": "vi-VN"}


@pytest.fixture
def quiet_server(live_server):
    """After the test, once its browser is closed, waits until the live server has finished
    the requests it was still serving (a page's last fetches, a service worker's), so that
    the database is emptied while nothing writes to it. Django signals each request's start,
    and its end once the server has closed the response."""
    lock = threading.Lock()
    serving = {"busy": 0, "last": time.monotonic()}

    def started(**kwargs):
        with lock:
            serving["busy"] += 1

    def finished(**kwargs):
        with lock:
            serving["busy"] -= 1
            serving["last"] = time.monotonic()

    request_started.connect(started, weak=False)
    request_finished.connect(finished, weak=False)
    yield
    deadline = time.monotonic() + 15
    try:
        while time.monotonic() < deadline:
            with lock:
                if serving["busy"] <= 0 and time.monotonic() - serving["last"] >= 0.2:
                    break
            time.sleep(0.05)
    finally:
        request_started.disconnect(started)
        request_finished.disconnect(finished)


@pytest.fixture(autouse=True)
def only_the_app(quiet_server, page, live_server):
    """Blocks and records any request that leaves the app; the test fails if there was one."""
    app_host = urlparse(live_server.url).netloc
    foreign: list[str] = []

    def route(route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).netloc == app_host:
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    page.route("**/*", route)
    page.set_default_timeout(15_000)
    yield foreign
    assert foreign == [], f"the page asked other hosts for: {foreign}"


@pytest.fixture(autouse=True)
def within_the_policies(page):
    """Fails the test when the browser refused something under the Content-Security-Policy
    (an inline script, a handler, a <style>) or could not read the Permissions-Policy."""
    refused: list[str] = []

    def console(message):
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            refused.append(text)

    page.on("console", console)
    yield refused
    assert refused == [], f"the browser refused: {refused}"


@pytest.fixture
def browser_login(transactional_db):
    """browser_login(page, live_server, username, password="Demo@12345")."""

    def _login(page, live_server, username: str, password: str = "Demo@12345") -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("form button[type=submit]")
        # The click only starts the navigation: wait until it has left the login page.
        page.wait_for_url(lambda url: "/accounts/login/" not in url, timeout=15_000)
        assert "/accounts/login/" not in page.url, "login failed"

    return _login


def assert_no_horizontal_overflow(page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"page is {widths[0]} px wide on a {widths[1]} px screen"


def log_out(page) -> None:
    """Open the phone menu, then the user menu, and press "Đăng xuất" (as a person would)."""
    page.click("button.navbar-toggler")
    page.locator("#mainnav.collapse.show").wait_for()  # the opening animation has finished
    page.locator("#mainnav .dropdown-toggle").click()
    button = page.get_by_role("button", name="Đăng xuất")
    button.wait_for()
    button.click()
    page.wait_for_url("**/accounts/login/")
