"""Sending a record sheet kept on the phone: a connection lost mid-send, a sheet the server
refuses, a meeting changed on the server meanwhile (issue: offline meeting entry).

The service worker is left out here (it is in test_offline_sheet.py) so that Playwright sees
and cuts the page's own requests.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import IdempotencyKey, Role
from month.models import Attendance, HealthCheck, MonthlyReport
from month.services import Reading, meeting_record
from tests.factories import MemberFactory, UserFactory
from tests.factories_month import MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)

CONSENT = {"consent_on": datetime.date(2024, 1, 10), "consent_method": "paper"}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "service_workers": "block"}


@pytest.fixture
def sitting(cast):
    members = [
        MemberFactory(club=cast.club_a, full_name=f"Lò Thị Gửi {i}", **CONSENT) for i in range(5)
    ]
    return MeetingFactory(club=cast.club_a, date=timezone.localdate()), members


def _state(page):
    return page.locator("#offline-state [data-state-text]")


def _settled(page, tries, n):
    """Wait until the phone has tried ``n`` times and offers "Gửi lại" again."""
    for _ in range(150):
        if len(tries) >= n and page.locator("#send-again").is_visible():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{len(tries)} tries, send-again hidden")


def _fill(page, members):
    page.click("#all-present")
    for i, m in enumerate(members):
        page.fill(f"#id_sys_{m.pk}", str(130 + i))
        page.fill(f"#id_dia_{m.pk}", "80")


def test_a_connection_lost_mid_send_and_two_retries_record_the_sheet_once(
    page, live_server, cast, browser_login, sitting
):
    meeting, members = sitting
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/")
    tries = []

    def flaky(route):
        tries.append(route.request.post_data)
        if len(tries) == 1:
            route.fetch()  # the server gets it and records it; the answer is lost
            route.abort()
        elif len(tries) == 2:
            route.abort()  # lost on the way out
        else:
            route.continue_()

    page.route("**/sync/", flaky)
    _fill(page, members)
    page.click("#save-meeting")
    _settled(page, tries, 1)
    expect(_state(page)).to_have_text("Đã lưu trên máy — chưa gửi")
    assert HealthCheck.objects.filter(meeting=meeting).count() == 5  # it did arrive
    page.click("#send-again")
    _settled(page, tries, 2)
    page.click("#send-again")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert len(tries) == 3
    keys = {part for t in tries for part in t.split("&") if part.startswith("once_key=")}
    assert len(keys) == 1  # the same key every time
    assert IdempotencyKey.objects.filter(user=cast.leader).count() == 1
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == 5
    assert sorted(HealthCheck.objects.filter(meeting=meeting).values_list("systolic", flat=True)) == [
        130, 131, 132, 133, 134
    ]  # fmt: skip


def test_a_refused_sheet_shows_the_errors_beside_the_rows_and_keeps_the_draft(
    page, live_server, cast, browser_login, sitting
):
    meeting, members = sitting
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/")
    _fill(page, members)
    page.fill(f"#id_sys_{members[2].pk}", "300")  # not a blood pressure
    page.click("#save-meeting")
    page.wait_for_function(
        "() => document.querySelector('#offline-state [data-state-text]').textContent"
        " === 'Lỗi — cần sửa'"
    )
    row = page.locator(f"#member-{members[2].pk}")
    assert "260" in row.locator("[data-offline-error]").inner_text()
    assert page.locator(f"#id_sys_{members[2].pk}.is-invalid").count() == 1
    assert page.locator(f"#member-{members[1].pk} [data-offline-error]").count() == 0
    assert not Attendance.objects.filter(meeting=meeting).exists()

    page.reload()  # the draft stays until the server takes it
    assert page.locator(f"#id_sys_{members[2].pk}").input_value() == "300"
    expect(_state(page)).to_have_text("Lỗi — cần sửa")
    assert "260" in page.locator(f"#member-{members[2].pk} [data-offline-error]").inner_text()

    # The month gets locked meanwhile: refused with the reason, still kept.
    MonthlyReport.objects.create(
        club=cast.club_a,
        year=meeting.date.year,
        month=meeting.date.month,
        status=MonthlyReport.Status.APPROVED,
    )
    page.fill(f"#id_sys_{members[2].pk}", "140")
    page.click("#save-meeting")
    page.wait_for_function(
        "() => document.querySelector('#sheet-errors').textContent.includes('khóa')"
    )
    expect(_state(page)).to_have_text("Lỗi — cần sửa")
    assert not Attendance.objects.filter(meeting=meeting).exists()

    MonthlyReport.objects.all().delete()
    page.click("#send-again")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert HealthCheck.objects.get(meeting=meeting, member=members[2]).systolic == 140


def test_a_meeting_recorded_by_another_board_member_shows_both_versions_to_choose(
    page, live_server, cast, browser_login, sitting
):
    meeting, members = sitting
    a, b, c, *_ = members
    deputy = UserFactory(
        username="deputy", role=Role.CLUB_LEADER, club=cast.club_a, first_name="Lò", last_name="Phó"
    )
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/")
    # Meanwhile the deputy records the meeting from another phone.
    meeting_record(
        meeting=meeting,
        attendance={a.pk: "present", b.pk: "absent", c.pk: "present"},
        readings={a.pk: Reading(150, 95, None), c.pk: Reading(120, 80, None)},
        guests=0, minutes="Bản của phó chủ nhiệm", decisions="", agenda="", by=deputy,
    )  # fmt: skip
    page.click(f"label[for=id_att_{a.pk}_present]")
    page.fill(f"#id_sys_{a.pk}", "135")
    page.fill(f"#id_dia_{a.pk}", "85")
    page.click(f"label[for=id_att_{b.pk}_present]")
    page.fill(f"#id_sys_{b.pk}", "125")
    page.fill(f"#id_dia_{b.pk}", "75")
    page.click(f"label[for=id_att_{c.pk}_present]")
    page.fill(f"#id_sys_{c.pk}", "120")
    page.fill(f"#id_dia_{c.pk}", "80")
    page.click("#save-meeting")
    page.locator("#conflict").wait_for()
    reason = page.locator("[data-conflict-reason]").inner_text()
    assert "Lò Phó" in reason and "đã ghi buổi sinh hoạt này" in reason
    # Both versions of each member that differs; the member entered alike is not asked about.
    conflict_a = page.locator(f"[data-conflict-member='{a.pk}']")
    assert "135/85" in conflict_a.locator("[data-version=mine]").inner_text()
    assert "150/95" in conflict_a.locator("[data-version=theirs]").inner_text()
    conflict_b = page.locator(f"[data-conflict-member='{b.pk}']")
    assert "Vắng" in conflict_b.locator("[data-version=theirs]").inner_text()
    assert page.locator(f"[data-conflict-member='{c.pk}']").count() == 0
    assert HealthCheck.objects.get(meeting=meeting, member=a).systolic == 150  # not overwritten

    conflict_a.locator("[data-version=theirs] button").click()  # the deputy's reading of A
    conflict_b.locator("[data-version=mine] button").click()  # this phone's mark of B
    page.locator("[data-conflict-member='meeting'] [data-version=theirs] button").click()
    page.click("#save-meeting")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    marks = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))
    assert marks[a.pk] == "present" and marks[b.pk] == "present"
    assert HealthCheck.objects.get(meeting=meeting, member=a).systolic == 150
    assert HealthCheck.objects.get(meeting=meeting, member=b).systolic == 125
    meeting.refresh_from_db()
    assert meeting.minutes == "Bản của phó chủ nhiệm" and meeting.recorded_by == cast.leader
