"""A club leader takes the dues at the meeting with no signal (issue: offline meeting entry,
item 5). The phone is a persistent Chromium profile, as in test_offline_sheet.py; the network
is cut with Playwright's offline switch, for the page and for the service worker."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import IdempotencyKey, Role
from funds import services
from funds.models import Contribution, LedgerEntry
from tests.browser.conftest import log_out
from tests.browser.test_offline_sheet import _drafts, _kept, _login, _state, phone  # noqa: F401
from tests.factories import MemberFactory, UserFactory
from tests.factories_funds import operating

pytestmark = pytest.mark.django_db(transaction=True)


def _open_dues(open_phone, live_server, cast, *, kept: bool):
    """The leader's phone on this month's quick entry -> (context, page, path); ``kept``: once
    the service worker has taken the page and keeps it for opening with no signal."""
    today = timezone.localdate()
    path = f"/clubs/{cast.club_a.pk}/dues/record/?year={today.year}&month={today.month}"
    context = open_phone()
    page = context.new_page()
    _login(page, live_server, "leader")
    page.goto(live_server.url + path)
    if kept:
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()
        is_kept = "([u, p]) => caches.open('ishc-pages-' + u).then(c => c.match(p)).then(r => !!r)"
        page.wait_for_function(is_kept, arg=[cast.leader.pk, path])
    return context, page, path


def test_dues_taken_with_no_signal_survive_a_reload_and_are_recorded_once(
    phone,  # noqa: F811
    live_server,
    cast,
):
    members = [MemberFactory(club=cast.club_a, full_name=f"Lò Thị Bản {i:02d}") for i in range(6)]
    today = timezone.localdate()
    # The service worker takes the page; the quick entry opened with a signal is kept.
    context, page, path = _open_dues(phone, live_server, cast, kept=True)

    context.set_offline(True)
    paying = {m: f"{20 + 5 * i}.000" for i, m in enumerate(members[:4])}
    for member, amount in paying.items():
        page.fill(f"#id_m{member.pk}", amount)
    expect(_state(page)).to_have_text("Đã lưu trên máy — chưa gửi")  # kept at once
    page.click("#save-dues")
    expect(_state(page)).to_have_text("Đã lưu trên máy — chưa gửi")
    expect(page.locator("#send-again")).to_be_visible()
    assert not Contribution.objects.exists()

    # A reload with no signal: the kept page, with the draft in it and when it was changed.
    page.reload()
    expect(_state(page)).to_have_text("Đã lưu trên máy — chưa gửi")
    expect(page.locator("#offline-state [data-state-detail]")).to_contain_text(
        re.compile(r"\d\d:\d\d")
    )
    for member, amount in paying.items():
        assert page.locator(f"#id_m{member.pk}").input_value() == amount
    assert page.locator(f"#id_m{members[4].pk}").input_value() == ""
    assert [d for d in _drafts(page) if d[0] == str(cast.leader.pk)]
    assert not Contribution.objects.exists()

    # The signal comes back: the dues are sent by themselves, once, into the ledger.
    context.set_offline(False)
    page.wait_for_url(re.compile(r"/dues/\?year="))
    recorded = dict(
        Contribution.objects.filter(year=today.year, month=today.month).values_list(
            "member_id", "amount"
        )
    )
    assert recorded == {m.pk: int(a.replace(".", "")) for m, a in paying.items()}
    entries = LedgerEntry.objects.filter(category=LedgerEntry.Category.DUES)
    assert sorted(e.amount for e in entries) == sorted(recorded.values())
    assert operating(cast.club_a).balance == sum(recorded.values())
    assert IdempotencyKey.objects.filter(user=cast.leader).count() == 1

    # Opened again: the server's form (only who has not paid), and when it was sent.
    page.goto(live_server.url + path)
    expect(_state(page)).to_have_text(re.compile(r"^Đã gửi lúc \d\d:\d\d$"))
    assert page.locator(f"#id_m{members[0].pk}").count() == 0

    # A new draft, then logging out: asked, and the dues drafts and kept pages are gone.
    page.fill(f"#id_m{members[5].pk}", "20.000")
    expect(_state(page)).to_have_text("Đã lưu trên máy — chưa gửi")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    log_out(page)
    assert asked
    assert [d for d in _drafts(page) if d[0] == str(cast.leader.pk)] == []
    assert not _kept(page, cast.leader.pk, path)
    assert Contribution.objects.count() == 4


def test_dues_recorded_meanwhile_on_the_server_are_refused_by_row_with_both_versions(
    phone,  # noqa: F811
    live_server,
    cast,
):
    first, second = (
        MemberFactory(club=cast.club_a, full_name="Lò Thị Một"),
        MemberFactory(club=cast.club_a, full_name="Tòng Văn Hai"),
    )
    deputy = UserFactory(
        username="deputy", role=Role.CLUB_LEADER, club=cast.club_a, first_name="Lò", last_name="Phó"
    )
    today = timezone.localdate()
    context, page, _ = _open_dues(phone, live_server, cast, kept=False)
    context.set_offline(True)
    page.fill(f"#id_m{first.pk}", "20.000")
    page.fill(f"#id_m{second.pk}", "20.000")
    page.click("#save-dues")
    expect(_state(page)).to_have_text("Đã lưu trên máy — chưa gửi")
    # Meanwhile the deputy records the first member's dues with a signal.
    services.dues_record(
        club=cast.club_a, year=today.year, month=today.month, amounts={first: 25_000}, on=today,
        by=deputy,
    )  # fmt: skip

    context.set_offline(False)
    expect(_state(page)).to_have_text("Lỗi — cần sửa")
    row = page.locator(f"#member-{first.pk}")
    expect(row.locator("[data-offline-error]").first).to_contain_text("Lò Phó")
    expect(row.locator("[data-version=mine]")).to_contain_text("20.000 ₫")
    expect(row.locator("[data-version=theirs]")).to_contain_text("25.000 ₫")
    assert not Contribution.objects.filter(member=second).exists()  # all or none
    assert [d for d in _drafts(page) if d[2] == "error"]  # the draft stays

    row.get_by_role("button", name="Lấy bản máy chủ").click()
    assert page.locator(f"#id_m{first.pk}").input_value() == ""
    page.click("#save-dues")
    page.wait_for_url(re.compile(r"/dues/\?year="))
    assert dict(Contribution.objects.values_list("member_id", "amount")) == {
        first.pk: 25_000,
        second.pk: 20_000,
    }
