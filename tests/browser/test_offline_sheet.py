"""A club leader records a meeting with no signal (issue: offline meeting entry).

The phone is a persistent Chromium profile, so closing the browser and opening it again keeps
what a real phone keeps: the service worker, its caches and IndexedDB. The network is cut
with Playwright's offline switch, for the page and for the service worker.
"""

import contextlib
import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import IdempotencyKey, Role
from month.models import Attendance, HealthCheck, Meeting
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, PHONE, log_out
from tests.factories import MemberFactory, UserFactory
from tests.factories_month import MeetingFactory, vi

pytestmark = pytest.mark.django_db(transaction=True)

CONSENT = {"consent_on": datetime.date(2024, 1, 10), "consent_method": "paper"}


@pytest.fixture
def phone(playwright, tmp_path):
    """phone() -> a browser context on one phone's profile; call again after closing it to
    open the same phone again. ``offline``: the phone is switched on with no signal (its
    service worker, which wakes with the browser, never sees a network)."""
    opened = []

    def _open(offline=False):
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport=PHONE,
            locale="vi-VN",
            offline=offline,
        )
        context.set_default_timeout(15_000)
        opened.append(context)
        return context

    yield _open
    for context in opened:
        with contextlib.suppress(Exception):  # already closed by the test
            context.close()


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Demo@12345")
    page.click("form button[type=submit]")
    # The click only starts the navigation: wait until it has left the login page.
    page.wait_for_url(lambda url: "/accounts/login/" not in url, timeout=15_000)
    assert "/accounts/login/" not in page.url


def _kept(page, user_id, path):
    return page.evaluate(
        """([user, path]) => caches.open('ishc-pages-' + user)
            .then(c => c.match(path)).then(r => !!r)""",
        [user_id, path],
    )


def _drafts(page):
    return page.evaluate(
        """() => new Promise(resolve => {
            const open = indexedDB.open('ishc-offline');
            open.onsuccess = () => {
              const db = open.result;
              if (!db.objectStoreNames.contains('drafts')) { resolve([]); return; }
              const all = db.transaction('drafts').objectStore('drafts').getAll();
              all.onsuccess = () => resolve(all.result.map(d => [d.user, d.meeting, d.state]));
            };
            open.onerror = () => resolve([]);
        })"""
    )


def _state(page):
    return page.locator("#offline-state [data-state-text]")


def test_a_sheet_filled_with_no_signal_survives_reloads_and_a_restart_and_arrives_once(
    phone, live_server, cast
):
    members = [
        MemberFactory(club=cast.club_a, full_name=f"Lò Thị Bản {i:02d}", **CONSENT)
        for i in range(24)
    ]
    meeting = MeetingFactory(club=cast.club_a, date=timezone.localdate())
    sheet = f"/meetings/{meeting.pk}/record/"
    context = phone()
    page = context.new_page()
    _login(page, live_server, "leader")
    page.goto(live_server.url + sheet)
    # The service worker takes the page; the sheet opened with a signal is kept.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function(
        "([u, p]) => caches.open('ishc-pages-' + u).then(c => c.match(p)).then(r => !!r)",
        arg=[cast.leader.pk, sheet],
    )

    context.set_offline(True)
    page.click("#all-present")
    absent = members[:3]
    for m in absent:
        page.click(f"label[for=id_att_{m.pk}_absent]")
    readings = {m: (str(120 + i), str(70 + i), f"{45 + i},5") for i, m in enumerate(members[3:])}
    for m, (sys, dia, wt) in readings.items():
        page.fill(f"#id_sys_{m.pk}", sys)
        page.fill(f"#id_dia_{m.pk}", dia)
        page.fill(f"#id_wt_{m.pk}", wt)
    page.fill("#id_minutes", "Họp khi mất sóng")
    page.click("#save-meeting")
    expect(_state(page)).to_have_text("Đã lưu trên máy — chưa gửi")
    expect(page.locator("#send-again")).to_be_visible()
    assert not Attendance.objects.filter(meeting=meeting).exists()

    # A reload with no signal: the kept sheet, with the draft in it.
    page.reload()
    expect(_state(page)).to_have_text("Đã lưu trên máy — chưa gửi")
    first = next(iter(readings))
    assert page.locator(f"#id_sys_{first.pk}").input_value() == readings[first][0]
    assert page.locator(f"#id_att_{absent[0].pk}_absent").is_checked()
    assert page.locator("#id_minutes").input_value() == "Họp khi mất sóng"
    context.close()

    # The phone is switched off and on again, still with no signal.
    context = phone(offline=True)
    page = context.new_page()
    page.goto(live_server.url + sheet)
    expect(_state(page)).to_have_text("Đã lưu trên máy — chưa gửi")
    assert page.locator(f"#id_wt_{first.pk}").input_value() == readings[first][2]
    assert not Attendance.objects.filter(meeting=meeting).exists()

    # The signal comes back: the sheet is sent by itself, once.
    context.set_offline(False)
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert vi("Meeting saved.") in page.content()
    marks = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))
    assert len(marks) == 24
    assert {pk for pk, s in marks.items() if s == "absent"} == {m.pk for m in absent}
    saved = {
        h.member_id: (str(h.systolic), str(h.diastolic), str(h.weight).replace(".", ","))
        for h in HealthCheck.objects.filter(meeting=meeting)
    }
    assert saved == {m.pk: r for m, r in readings.items()}
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.minutes == "Họp khi mất sóng"
    assert IdempotencyKey.objects.filter(user=cast.leader).count() == 1

    # Opened again: the server's sheet, and the phone says when it was sent.
    page.goto(live_server.url + sheet)
    expect(_state(page)).to_have_text(re.compile(r"^Đã gửi lúc \d\d:\d\d$"))
    assert page.locator(f"#id_sys_{first.pk}").input_value() == readings[first][0]


def test_another_user_of_the_phone_never_sees_the_drafts_and_logging_out_clears_them(
    phone, live_server, cast
):
    member = MemberFactory(club=cast.club_a, full_name="Lò Văn Một", **CONSENT)
    meeting = MeetingFactory(club=cast.club_a, date=timezone.localdate())
    deputy = UserFactory(username="deputy", role=Role.CLUB_LEADER, club=cast.club_a)
    sheet = f"/meetings/{meeting.pk}/record/"
    context = phone()
    page = context.new_page()
    _login(page, live_server, "leader")
    page.goto(live_server.url + sheet)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function(
        "([u, p]) => caches.open('ishc-pages-' + u).then(c => c.match(p)).then(r => !!r)",
        arg=[cast.leader.pk, sheet],
    )
    context.set_offline(True)
    page.fill(f"#id_sys_{member.pk}", "150")
    page.fill(f"#id_dia_{member.pk}", "95")
    page.click("#save-meeting")
    expect(_state(page)).to_have_text("Đã lưu trên máy — chưa gửi")
    # The leader's session ends without logging out (the phone is handed over).
    page.goto("about:blank")
    context.clear_cookies()
    context.set_offline(False)

    _login(page, live_server, "deputy")
    page.goto(live_server.url + sheet)
    assert page.locator(f"#id_sys_{member.pk}").input_value() == ""
    assert page.locator("#offline-state").is_hidden(), page.locator("#offline-state").inner_text()
    # The leader's kept pages are gone from this phone; the leader's draft is not shown.
    assert not _kept(page, cast.leader.pk, sheet)
    page.reload()
    page.wait_for_function(
        "([u, p]) => caches.open('ishc-pages-' + u).then(c => c.match(p)).then(r => !!r)",
        arg=[deputy.pk, sheet],
    )
    context.set_offline(True)
    page.goto(live_server.url + sheet)  # the deputy's own kept copy, without the draft
    assert page.locator(f"#id_sys_{member.pk}").input_value() == ""
    context.set_offline(False)
    page.goto("about:blank")
    context.clear_cookies()

    # The leader comes back: the draft is there; logging out deletes it, after asking.
    _login(page, live_server, "leader")  # the first page with a signal sends what waits
    for _ in range(150):
        if HealthCheck.objects.filter(meeting=meeting).exists():
            break
        page.wait_for_timeout(100)
    assert HealthCheck.objects.get(meeting=meeting).systolic == 150
    page.goto(live_server.url + sheet)
    page.fill(f"#id_sys_{member.pk}", "160")
    page.wait_for_function(
        "() => document.querySelector('#offline-state [data-state-text]').textContent"
        " === 'Đã lưu trên máy — chưa gửi'"
    )
    assert [d for d in _drafts(page) if d[0] == str(cast.leader.pk)]
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    log_out(page)
    assert asked and "chưa gửi: 1" in asked[0]
    assert [d for d in _drafts(page) if d[0] == str(cast.leader.pk)] == []
    assert not _kept(page, cast.leader.pk, sheet)
    assert HealthCheck.objects.get(meeting=meeting).systolic == 150
