"""Benchmark: the record sheet of a 70-member club opened in a real browser on a slow network
(issue 20, item 6: usable in ≤ 3 s on Chromium's "Slow 3G", ≤ 150 KB first, ≤ 20 KB later).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ishc_x REDIS_URL=redis://127.0.0.1:6379/2 \\
        .venv/bin/python -m bench.offline_browser [--members 70] [--runs 5]

The app runs as deployed: ``collectstatic`` into a folder of its own (``--static-root``;
WhiteNoise's compressed manifest storage: hashed names, gzip and Brotli files, cached for
ever), gunicorn from
``gunicorn.conf.py`` with DEBUG off (GZipMiddleware compresses the pages). On the database
given (migrated; the club "CLB LTH Bản Đo (đo tải)", its 70 members, a meeting today and its
leader ``bench-offline-leader`` are made once and kept for the next run) Debian's Chromium,
driven by Playwright (``/usr/bin/chromium``, never a downloaded browser), opens the sheet in
a 360 × 740 phone context signed in as the leader, with Chromium's own network emulation
(CDP ``Network.emulateNetworkConditions``) on the page and on its service worker:

- ``devtools-slow-3g``: DevTools' "Slow 3G" preset (named "3G" in recent DevTools), exactly
  its values: 2,000 ms of latency per request, 500 kbit/s × 0.8 = 50,000 bytes/s down and up;
- ``wpt-3g-slow``: WebPageTest's "3G Slow" profile, 400 ms, 400 kbit/s = 50,000 bytes/s.

Each run is a fresh context: the **first load** (empty HTTP cache, no service worker), then,
once the service worker has installed the app shell, a **later load** of the same sheet in a
new tab of the same context (HTTP cache and service worker warm). For each it records:

- bytes transferred: the sum of CDP ``Network.loadingFinished`` ``encodedDataLength`` (what
  came over the wire, compressed, headers included) of the page's requests until its load
  event and of its service worker's (installing the shell; a later load's page is fetched by
  the service worker, network first), the budget's figure, which also counts the sheet's
  first stylesheet when the page fetches it after its load event (it came inside the page;
  the file is for the later loads); and apart, what the page fetches after its load event
  (the leader's other pages, kept for use with no signal);
- FCP: the browser's ``first-contentful-paint`` entry;
- usable: the first animation frame (``requestAnimationFrame``, which does not run while
  render-blocking files are missing) in which the first member's first attendance button
  (``#sheet-rows .att-group label``) is in the document, has a box inside the screen, is
  visible (``checkVisibility`` with opacity and visibility) and its radio input is enabled.
  The sheet is a plain form: it can be filled and posted before any script has run. Usable
  is reported no sooner than FCP (the frame is painted after its callbacks).

Times are from the start of the navigation; the medians of ``--runs`` runs are printed. Exit
status 1 when a budget of bytes is exceeded (seconds are reported, not judged).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 360, "height": 740}
FIRST_LOAD_BUDGET = 150 * 1024
LATER_LOAD_BUDGET = 20 * 1024
USABLE_BUDGET_MS = 3000
# (name, latency in ms, bytes per second down, bytes per second up)
PROFILES = {
    "devtools-slow-3g": (2000, 500 * 1000 / 8 * 0.8, 500 * 1000 / 8 * 0.8),
    "wpt-3g-slow": (400, 400 * 1000 / 8, 400 * 1000 / 8),
}
FIRST_STYLES = "/css/record-sheet-critical."
CLUB_NAME = "CLB LTH Bản Đo (đo tải)"
LEADER = "bench-offline-leader"

# Installed before any script of the page: FCP, and the first frame in which the first
# attendance button can be tapped (window.__usable, ms from the start of the navigation).
WATCH = """
(() => {
  window.__usable = null;
  const ready = () => {
    const label = document.querySelector("#sheet-rows .att-group label");
    if (!label) return false;
    const input = label.htmlFor ? document.getElementById(label.htmlFor) : null;
    const box = label.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.top < innerHeight && box.bottom > 0 &&
      label.checkVisibility({opacityProperty: true, visibilityProperty: true}) &&
      !(input && input.disabled);
  };
  const frame = () => {
    if (ready()) { window.__usable = performance.now(); return; }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(static_root: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "bench.offline_settings",
        "ISHC_BENCH_STATIC_ROOT": static_root,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-0123456789-abcdef"),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def collected(root: Path) -> bool:
    """Whether the folder already holds every static file as it is now (collectstatic
    compresses every file again, minutes on a small machine)."""
    from django.contrib.staticfiles import finders

    manifest = root / "staticfiles.json"
    if not manifest.exists():
        return False
    newest = max(
        os.path.getmtime(storage.path(path))
        for finder in finders.get_finders()
        for path, storage in finder.list([])
    )
    return manifest.stat().st_mtime > newest


def prepare(members: int) -> dict[str, Any]:
    """The club, its members, today's meeting and a signed-in leader (kept between runs)."""
    from django.test import Client
    from django.utils import timezone

    from accounts.models import Role, User
    from clubs.models import Club
    from members.models import Member
    from month.models import Meeting

    factories: Any = importlib.import_module("tests.factories")
    month_factories: Any = importlib.import_module("tests.factories_month")
    club = Club.objects.filter(name=CLUB_NAME).first() or factories.ClubFactory(name=CLUB_NAME)
    have = Member.objects.filter(club=club).count()
    for i in range(have, members):
        factories.MemberFactory(club=club, full_name=f"Lò Thị Thành Viên Số {i:02d}")
    # Members who agreed to their health data being kept: each row has its reading fields.
    Member.objects.filter(club=club).update(
        consent_on=datetime.date(2024, 1, 10), consent_method="paper"
    )
    today = timezone.localdate()
    meeting = Meeting.objects.filter(club=club, date=today).first()
    if meeting is None:
        meeting = month_factories.MeetingFactory(club=club, date=today)
    leader = User.objects.filter(username=LEADER).first() or factories.UserFactory(
        username=LEADER, role=Role.CLUB_LEADER, club=club
    )
    client = Client()
    client.force_login(leader)
    return {
        "url": f"/meetings/{meeting.pk}/record/",
        "session": client.cookies["sessionid"].value,
        "members": Member.objects.filter(club=club).count(),
    }


class Wire:
    """Bytes over the wire (``encodedDataLength``) of the page's and its service workers'
    requests, by part: the sheet (the page's requests until its load event), the service
    worker (installing the app shell, answering the page), and what the page fetches after its
    load event (pages kept for offline use by ``static/js/offline.js``)."""

    PARTS = ("sheet", "service worker", "after load")

    def __init__(self) -> None:
        self.loaded = False
        self.sent: dict[tuple[str, str], tuple[str, str]] = {}
        self.done: list[tuple[str, str, int]] = []

    def on_sent(self, source: str, event: dict[str, Any]) -> None:
        part = source if source != "page" else ("after load" if self.loaded else "sheet")
        if part == "after load" and FIRST_STYLES in event["request"]["url"]:
            # The first stylesheet, fetched after the load event when it came inside the page
            # (for the later loads): part of the first load's cost, counted in the budget.
            part = "sheet"
        self.sent[(source, event["requestId"])] = (part, event["request"]["url"])

    def on_finished(self, source: str, event: dict[str, Any]) -> None:
        # A request not seen being sent is the service worker's script or one of its fetches.
        part, url = self.sent.get((source, event["requestId"]), ("service worker", "(worker)"))
        self.done.append((part, url, int(event.get("encodedDataLength", 0))))

    def bytes(self, *parts: str) -> int:
        return sum(size for part, _url, size in self.done if part in parts)


def throttle_params(profile: str) -> dict[str, Any]:
    latency, down, up = PROFILES[profile]
    return {
        "offline": False,
        "latency": latency,
        "downloadThroughput": down,
        "uploadThroughput": up,
    }


def watch_workers(browser_cdp: Any, profile: str, wire: Wire) -> None:
    """Throttles the service workers too, as DevTools does (the page's emulation does not
    reach a worker's own fetches), and counts their bytes: every service worker target, as it
    appears, is attached (messages through the browser session) and given the same profile."""
    attached: set[str] = set()

    def attach(info: dict[str, Any]) -> None:
        if info["type"] != "service_worker" or info["targetId"] in attached:
            return
        attached.add(info["targetId"])
        session = browser_cdp.send(
            "Target.attachToTarget", {"targetId": info["targetId"], "flatten": False}
        )["sessionId"]
        for n, (method, params) in enumerate(
            [("Network.enable", {}), ("Network.emulateNetworkConditions", throttle_params(profile))]
        ):
            message = json.dumps({"id": 1000 + n, "method": method, "params": params})
            browser_cdp.send(
                "Target.sendMessageToTarget", {"sessionId": session, "message": message}
            )

    def received(event: dict[str, Any]) -> None:
        message = json.loads(event["message"])
        if message.get("method") == "Network.requestWillBeSent":
            wire.on_sent("service worker", message["params"])
        elif message.get("method") == "Network.loadingFinished":
            wire.on_finished("service worker", message["params"])

    browser_cdp.on("Target.receivedMessageFromTarget", received)
    browser_cdp.on("Target.targetCreated", lambda event: attach(event["targetInfo"]))
    browser_cdp.send("Target.setDiscoverTargets", {"discover": True})
    for info in browser_cdp.send("Target.getTargets")["targetInfos"]:
        attach(info)


def wait_until(page: Any, condition: str, seconds: float = 120) -> None:
    """Polls from outside the page (the CSP forbids the eval of Playwright's waits)."""
    deadline = time.time() + seconds
    while not page.evaluate(condition):
        if time.time() > deadline:
            raise TimeoutError(condition)
        time.sleep(0.05)


def open_sheet(browser: Any, context: Any, host: str, url: str, profile: str) -> dict[str, Any]:
    page = context.new_page()
    page.add_init_script(WATCH)
    wire = Wire()
    workers = browser.new_browser_cdp_session()
    watch_workers(workers, profile, wire)
    cdp = context.new_cdp_session(page)
    cdp.on("Network.requestWillBeSent", lambda event: wire.on_sent("page", event))
    cdp.on("Network.loadingFinished", lambda event: wire.on_finished("page", event))
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", throttle_params(profile))
    page.goto(host + url, wait_until="load", timeout=120_000)
    wire.loaded = True
    wait_until(page, "window.__usable !== null")
    fcp = page.evaluate(
        "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null"
    )
    usable = page.evaluate("window.__usable")
    # The service worker installs the shell and takes the page (clients.claim); the page
    # keeps the leader's other pages; then the network is quiet.
    wait_until(page, "!!(navigator.serviceWorker && navigator.serviceWorker.controller)")
    page.wait_for_load_state("networkidle")
    time.sleep(1)
    cdp.detach()
    workers.detach()
    page.close()
    return {
        # Usable: the frame in which the button was first ready, painted no sooner than FCP.
        "fcp_ms": fcp,
        "usable_ms": max(usable, fcp or 0),
        **{part: wire.bytes(part) for part in Wire.PARTS},
        "files": wire.done,
    }


def measure(browser: Any, host: str, plan: dict[str, Any], profile: str) -> dict[str, Any]:
    context = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers="allow")
    # Signed in as on a phone: the session, and the CSRF cookie the login form left.
    context.add_cookies(
        [
            {"name": "sessionid", "value": plan["session"], "url": host, "httpOnly": True},
            {"name": "csrftoken", "value": secrets.token_hex(16), "url": host},
        ]
    )
    try:
        first = open_sheet(browser, context, host, plan["url"], profile)
        later = open_sheet(browser, context, host, plan["url"], profile)
    finally:
        context.close()
    return {"first": first, "later": later}


def median(runs: list[dict[str, Any]], load: str, key: str) -> float:
    return statistics.median(run[load][key] for run in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=70)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", choices=[*PROFILES, "all"], default="all")
    parser.add_argument("--files", action="store_true", help="print each file of the last run")
    parser.add_argument("--json", help="write the runs to this file")
    parser.add_argument(
        "--static-root",
        default=str(ROOT / "var" / "bench-offline-static"),
        help="where collectstatic puts the files (kept: the next run only adds what changed)",
    )
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    static_root = args.static_root
    env = server_env(static_root)
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "ISHC_BENCH_STATIC_ROOT")})
    os.environ.update({k: env[k] for k in ("DEBUG", "SECRET_KEY")})
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    if not collected(Path(static_root)):
        call_command("collectstatic", interactive=False, verbosity=0)
    plan = prepare(args.members)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    gunicorn = subprocess.Popen(  # noqa: S603 - fixed command line
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    profiles = list(PROFILES) if args.profile == "all" else [args.profile]
    results: dict[str, list[dict[str, Any]]] = {}
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(host + "/healthz", timeout=2):  # noqa: S310
                    break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("gunicorn did not answer") from None
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
            )
            for profile in profiles:
                results[profile] = [measure(browser, host, plan, profile) for _ in range(args.runs)]
            browser.close()
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            gunicorn.wait(timeout=30)

    ok = True
    print(
        f"Record sheet of {plan['members']} members, Chromium {chromium_version()}, "
        f"{PHONE['width']}×{PHONE['height']}, median of {args.runs} runs "
        "(KB over the wire: the sheet until its load event + the service worker; "
        "then what the page keeps for offline use after it):"
    )
    print(
        f"{'profile':<18} {'load':<6} {'sheet+sw KB':>11} {'after KB':>9} {'total KB':>9} "
        f"{'FCP s':>6} {'usable s':>9}"
    )
    for profile, runs in results.items():
        for load, budget in (("first", FIRST_LOAD_BUDGET), ("later", LATER_LOAD_BUDGET)):
            own = statistics.median(r[load]["sheet"] + r[load]["service worker"] for r in runs)
            after = median(runs, load, "after load")
            total = statistics.median(sum(r[load][p] for p in Wire.PARTS) for r in runs)
            fcp = median(runs, load, "fcp_ms") / 1000
            usable = median(runs, load, "usable_ms") / 1000
            print(
                f"{profile:<18} {load:<6} {own / 1024:>11.1f} {after / 1024:>9.1f} "
                f"{total / 1024:>9.1f} {fcp:>6.2f} {usable:>9.2f}"
            )
            ok = ok and own <= budget
        if args.files:
            for load in ("first", "later"):
                print(f"  {load} load, last run:")
                for part, url, size in runs[-1][load]["files"]:
                    print(f"    {size / 1024:7.1f} KB  {part:<15} {url.removeprefix(host)[:70]}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0 if ok else 1


def chromium_version() -> str:
    out = subprocess.run(  # noqa: S603 - fixed command line
        [CHROMIUM, "--version"], capture_output=True, text=True, check=False
    ).stdout
    return out.split()[1] if len(out.split()) > 1 else "?"


if __name__ == "__main__":
    sys.exit(main())
