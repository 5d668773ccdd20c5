"""A leader's start page on a 360 px phone: the meeting of today is one tap from its sheet,
the bell and the large-text switch are in the top bar, nothing scrolls sideways."""

import pytest
from django.utils import timezone

from accounts.notifications import notify
from tests.browser.conftest import assert_no_horizontal_overflow
from tests.factories_month import MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_leader_opens_todays_meeting_from_the_start_page(
    page, live_server, cast, browser_login
):
    meeting = MeetingFactory(club=cast.club_a, date=timezone.localdate(), place="Nhà văn hóa bản")
    browser_login(page, live_server, "leader")
    assert page.locator("#todo-meeting").is_visible()
    assert_no_horizontal_overflow(page)
    page.get_by_role("link", name="Ghi kết quả buổi sinh hoạt").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/record/")


def test_the_bell_and_the_large_text_switch(page, live_server, cast, browser_login):
    notify(
        users=[cast.leader],
        kind="report_returned",
        event="e-1",
        text="Báo cáo tháng bị trả lại: thiếu số liệu hoạt động",
        url="/",
    )
    browser_login(page, live_server, "leader")
    bell = page.locator("#bell")
    assert bell.is_visible()  # without opening the menu
    box = bell.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44
    assert page.locator(".bell-count").inner_text() == "1"
    page.locator("#display-toggle").click()
    page.wait_for_load_state()
    assert "large-text" in (page.locator("body").get_attribute("class") or "")
    size = page.evaluate("() => getComputedStyle(document.body).fontSize")
    assert size == "20px"
    assert_no_horizontal_overflow(page)
    bell.click()
    page.wait_for_url("**/accounts/notifications/")
    assert "thiếu số liệu hoạt động" in page.content()
    assert_no_horizontal_overflow(page)
