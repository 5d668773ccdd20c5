"""A leader records today's meeting and submits the month on a phone; the commune returns it."""

import datetime

import pytest
from django.utils import timezone

from month.models import Attendance, HealthCheck, MonthlyReport
from tests.browser.conftest import assert_no_horizontal_overflow, log_out
from tests.factories import MemberFactory
from tests.factories_month import MeetingFactory, vi

pytestmark = pytest.mark.django_db(transaction=True)

READINGS = [
    ("150", "95", "52"),
    ("120", "80", "48,5"),
    ("135", "85", ""),
    ("110", "70", "60"),
    ("182", "112", "55"),
]


def test_leader_records_a_meeting_and_commune_returns_the_report(
    page, live_server, cast, browser_login, settings
):
    # This month's report may go up once its last meeting is held (the club's setting).
    settings.ISHC_REPORT_FROM_LAST_MEETING = True
    # They agreed to their health data being kept: readings need it.
    members = [
        MemberFactory(
            club=cast.club_a,
            full_name=f"Lò Thị Thành Viên {i}",
            consent_on=datetime.date(2024, 1, 10),
            consent_method="paper",
        )
        for i in range(8)
    ]
    today = timezone.localdate()
    meeting = MeetingFactory(club=cast.club_a, date=today, place="Nhà văn hóa bản Mới")
    MeetingFactory(club=cast.club_a, date=today + datetime.timedelta(days=30))

    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/clubs/{cast.club_a.pk}/meetings/")
    assert_no_horizontal_overflow(page)
    page.click("#open-next-meeting")
    page.click("#record-meeting")
    page.wait_for_selector("#record-form")
    assert_no_horizontal_overflow(page)

    page.click("#all-present")
    # Absent and excused members have no reading (the sheet refuses one for them).
    page.click(f"label[for=id_att_{members[5].pk}_absent]")
    page.click(f"label[for=id_att_{members[6].pk}_excused]")
    for member, (sys, dia, wt) in zip(members[:5], READINGS, strict=True):
        row = page.locator(f"#member-{member.pk}")
        row.locator(f"#id_sys_{member.pk}").fill(sys)
        row.locator(f"#id_dia_{member.pk}").fill(dia)
        if wt:
            row.locator(f"#id_wt_{member.pk}").fill(wt)
    assert page.locator(f"#member-{members[4].pk} [data-bp-warning]").is_visible()
    page.fill("#id_minutes", "Họp bàn kế hoạch nuôi gà")
    page.fill("#id_guests", "3")
    page.click("#save-meeting")
    page.wait_for_selector("#high-readings")
    assert vi("Meeting saved.") in page.content()
    high = page.locator("#high-readings").inner_text()
    assert "150/95" in high and "182/112" in high and "120/80" not in high
    assert_no_horizontal_overflow(page)
    marks = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))
    assert (
        len(marks) == 8 and marks[members[5].pk] == "absent" and marks[members[6].pk] == "excused"
    )
    assert HealthCheck.objects.filter(meeting=meeting).count() == 5

    # Compile and submit this month's report.
    page.goto(f"{live_server.url}/clubs/{cast.club_a.pk}/reports/")
    page.locator("form[action$='/reports/start/'] button").first.click()
    page.wait_for_selector("#submit-report")
    assert page.locator("[data-figure=meetings-held]").inner_text() == "1"
    assert page.locator("[data-figure=measured]").inner_text() == "5"
    assert page.locator("[data-figure=high]").inner_text() == "2"
    page.fill("#id_narrative", "Tổ chức sinh hoạt, đo huyết áp cho 5 thành viên.")
    page.click("form button[type=submit].btn-outline-primary")
    page.click("#submit-report")
    page.wait_for_selector("#confirm-action")  # the confirmation page: what will happen
    assert vi("Submit the report") in page.content()
    page.click("#confirm-action")
    page.wait_for_load_state()
    report = MonthlyReport.objects.get(club=cast.club_a, year=today.year, month=today.month)
    assert report.status == MonthlyReport.Status.SUBMITTED
    assert_no_horizontal_overflow(page)
    log_out(page)

    # The commune returns it with a comment.
    browser_login(page, live_server, "commune")
    page.goto(f"{live_server.url}/monthly-reports/")
    page.click(f"a[href='/monthly-reports/{report.pk}/']")
    page.fill("#id_comment", "Đề nghị ghi rõ khó khăn của CLB.")
    page.click("#return-report")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.RETURNED
    log_out(page)

    # The leader sees the comment.
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/monthly-reports/{report.pk}/")
    assert "Đề nghị ghi rõ khó khăn của CLB." in page.locator("#return-comment").inner_text()
    assert_no_horizontal_overflow(page)
