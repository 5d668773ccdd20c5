"""The record sheet of a large club on a 360 px phone: find a member by name without accents,
tap big attendance buttons, type readings in the member's row, be told when numbers look
wrong, and save, in as few taps as the job needs (figures in docs/month.md)."""

import datetime

import pytest
from django.utils import timezone

from month.models import Attendance, HealthCheck, Meeting
from tests.factories import MemberFactory
from tests.factories_month import MeetingFactory, vi

pytestmark = pytest.mark.django_db(transaction=True)

CONSENT = {"consent_on": datetime.date(2024, 1, 10), "consent_method": "paper"}
# A tap is a touch on the screen (a button, a box); typing on the keypad is not a tap.
BEFORE = {"taps": 224, "height": 7584, "height_filled": 11256}  # measured on the old sheet


def _club(cast, n):
    names = [f"Lò Thị Thành Viên {i}" for i in range(n - 1)] + ["Đỗ Văn Tường"]
    return [MemberFactory(club=cast.club_a, full_name=name, **CONSENT) for name in names]


def test_a_60_member_meeting_is_recorded_in_few_taps_on_a_short_page(
    page, live_server, cast, browser_login
):
    members = _club(cast, 60)
    meeting = MeetingFactory(club=cast.club_a, date=timezone.localdate())
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/")
    page.wait_for_selector("#sheet-search")
    height = page.evaluate("document.documentElement.scrollHeight")

    taps = 0
    page.click("#all-present")
    taps += 1
    absent, measured = members[:6], members[6:]
    for m in absent:
        page.click(f"label[for=id_att_{m.pk}_absent]")
        taps += 1
    for m in measured:
        page.click(f"#id_sys_{m.pk}")
        taps += 1
        # Three digits go on to the diastolic box; Enter goes on to the weight.
        page.keyboard.type("130")
        page.keyboard.type("80")
        page.keyboard.press("Enter")
        page.keyboard.type("50")
    filled = page.evaluate("document.documentElement.scrollHeight")
    page.click("#save-meeting")
    taps += 1
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert vi("Meeting saved.") in page.content()

    marks = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))
    assert len(marks) == 60 and sum(s == "absent" for s in marks.values()) == 6
    readings = HealthCheck.objects.filter(meeting=meeting)
    assert readings.count() == 54
    assert set(readings.values_list("systolic", "diastolic")) == {(130, 80)}
    assert {str(w) for w in readings.values_list("weight", flat=True)} == {"50.0"}
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD
    print(f"\nrecord sheet, 60 members at 360 px: {taps} taps (before {BEFORE['taps']}), "
          f"page {height} px (before {BEFORE['height']}), filled {filled} px "
          f"(before {BEFORE['height_filled']})")  # fmt: skip
    assert taps <= 70 < BEFORE["taps"]
    # While readings are typed the old sheet had every member's "Readings" open.
    assert filled < 0.7 * BEFORE["height_filled"]


def test_the_search_box_finds_a_member_typed_without_accents(
    page, live_server, cast, browser_login
):
    members = _club(cast, 12)
    meeting = MeetingFactory(club=cast.club_a, date=timezone.localdate())
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/")
    page.fill("#sheet-search", "do van tuong")
    visible = page.locator("[data-member-row]:visible")
    assert visible.count() == 1
    assert "Đỗ Văn Tường" in visible.inner_text()
    page.fill("#sheet-search", "thanh vien 1")  # 1, 10
    assert page.locator("[data-member-row]:visible").count() == 2
    page.fill("#sheet-search", "")
    assert page.locator("[data-member-row]:visible").count() == len(members)


def test_buttons_are_big_hints_are_right_and_absent_members_get_no_readings(
    page, live_server, cast, browser_login
):
    a, b, c = _club(cast, 3)
    meeting = MeetingFactory(club=cast.club_a, date=timezone.localdate())
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/record/")

    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.att-group label')].map(l => {
            const r = l.getBoundingClientRect(); return [r.width, r.height]; })"""
    )
    assert sizes and all(w >= 44 and h >= 44 for w, h in sizes), sizes

    hint = page.locator(f"#member-{a.pk} [data-hint]")
    page.fill(f"#id_sys_{a.pk}", "80")
    page.fill(f"#id_dia_{a.pk}", "120")
    assert hint.is_visible()
    assert "Hai số có vẻ bị đảo" in hint.inner_text()
    assert "Rất cao" not in hint.inner_text()
    page.fill(f"#id_sys_{a.pk}", "185")
    page.fill(f"#id_dia_{a.pk}", "100")
    assert "Rất cao" in hint.inner_text()
    page.fill(f"#id_sys_{a.pk}", "120")
    page.fill(f"#id_dia_{a.pk}", "80")
    assert not hint.is_visible()

    page.click(f"label[for=id_att_{b.pk}_excused]")
    assert page.locator(f"#id_sys_{b.pk}").is_disabled()
    assert page.locator(f"#id_wt_{b.pk}").is_disabled()
    page.click(f"label[for=id_att_{b.pk}_present]")
    assert page.locator(f"#id_sys_{b.pk}").is_enabled()

    # Every mark, checked or not, reads at 4.5:1 or more (the old "excused" was 1.6:1).
    page.click(f"label[for=id_att_{c.pk}_excused]")
    ratios = page.evaluate(
        """() => {
          const lum = (rgb) => { const [r, g, b] = rgb.match(/\\d+/g).slice(0, 3).map(Number)
              .map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
              return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          const ratio = (f, b) => { const [x, y] = [lum(f), lum(b)].sort((p, q) => q - p);
              return (x + 0.05) / (y + 0.05); };
          return [...document.querySelectorAll('.att-group label')].map(l => {
              const s = getComputedStyle(l);
              return [l.textContent + ' ' + l.htmlFor + ' ' + s.color + ' ' + s.backgroundColor, ratio(s.color, s.backgroundColor)]; });
        }"""
    )
    low = [(label, round(r, 2)) for label, r in ratios if r < 4.5]
    assert not low, low
