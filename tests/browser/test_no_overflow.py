"""Nothing scrolls sideways on a 360 px phone, at normal and at 150 % text size: every page a
club leader and a commune's staff can reach from their home, with long names and large
sums (issue 16, item 4). Also checked on each page with axe-core (npm, served to the test only): no serious
or critical accessibility violation.
"""

import datetime
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from django.utils import timezone

from month.models import MonthlyReport
from month.services import Reading, meeting_record
from tests.factories import MemberFactory
from tests.factories_funds import make_loan
from tests.factories_month import (
    ActivityFactory,
    HomeCareVisitFactory,
    MeetingFactory,
    MonthlyReportFactory,
)
from tests.factories_trainings import make_event

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Links that are not pages to look at: files, sign-out, language, the admin.
SKIP = re.compile(
    r"/(accounts/logout|i18n|admin|static|media)/|\.(xlsx|csv|pdf|png|svg|zip)$|/export|/download|pdf"
    r"|/print/?$"
)
PER_PATTERN = 2  # pages of the same shape (ids aside) checked at most
MAX_PAGES = 90
OVERFLOW = """() => {
  const doc = document.documentElement;
  if (doc.scrollWidth <= doc.clientWidth) return null;
  const out = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > doc.clientWidth + 1);
  const inner = out.filter(e => !e.closest('.table-responsive, .overflow-auto'));
  const wide = (inner.length ? inner : out).slice(-3)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
         (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''));
  return [doc.scrollWidth, doc.clientWidth, wide];
}"""


@pytest.fixture
def demo(cast):
    """A club with what its pages show: long names, large sums, meetings held and planned, a
    report, an activity, a visit, loans; a training in the commune."""
    today = timezone.localdate()
    club = cast.club_a
    members = [
        MemberFactory(
            club=club,
            full_name=f"Nguyễn Thị Hoàng Phương Thảo Quỳnh {i}",
            consent_on=datetime.date(2024, 1, 10),
            consent_method="paper",
            is_volunteer=i % 2 == 0,
        )
        for i in range(8)
    ]
    last_month = today.replace(day=1) - datetime.timedelta(days=10)
    held = MeetingFactory(club=club, date=last_month, place="Nhà văn hóa bản Nậm Tăm Thượng")
    meeting_record(
        meeting=held,
        attendance={m.pk: "present" for m in members},
        readings={m.pk: Reading(150, 95, Decimal("52.5")) for m in members[:4]},
        minutes="Họp bàn kế hoạch nuôi gà và trồng rau sạch cho các hộ khó khăn",
        by=cast.leader,
        today=today,
    )
    MeetingFactory(club=club, date=today)
    MeetingFactory(club=club, date=today + datetime.timedelta(days=30))
    ActivityFactory(
        club=club,
        date=last_month,
        title="Tập huấn kỹ thuật chăn nuôi gà thả vườn và phòng chống dịch bệnh",
        cost=125_000_000,
    )
    HomeCareVisitFactory(club=club, date=last_month, volunteer=members[0], recipient=members[1])
    MonthlyReportFactory(
        club=club,
        year=last_month.year,
        month=last_month.month,
        status=MonthlyReport.Status.SUBMITTED,
    )
    make_loan(club, principal=45_000_000, borrower=members[2], by=cast.leader)
    make_event(cast.commune_a1, people=3)
    return club


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Demo@12345")
    page.click("form button[type=submit]")
    # The click only starts the navigation: wait until it has left the login page.
    page.wait_for_url(lambda url: "/accounts/login/" not in url, timeout=15_000)
    assert "/accounts/login/" not in page.url


def _links(page, host):
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    out = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        parsed = urlparse(url)
        if parsed.netloc == host and not SKIP.search(parsed.path):
            out.append(url)
    return out


def _axe(page):
    page.evaluate(AXE.read_text())
    found = page.evaluate(
        """() => axe.run(document, {resultTypes: ['violations']}).then(r =>
            r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => v.id + ': ' + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(', ')))"""
    )
    return found


def _visit_all(page, live_server, username):
    host = urlparse(live_server.url).netloc
    _login(page, live_server, username)
    queue, seen, shapes = [page.url], set(), Counter()
    problems: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        path = urlparse(url).path + ("?" + urlparse(url).query if urlparse(url).query else "")
        shape = re.sub(r"\d+", "N", path)
        if url in seen or shapes[shape] >= PER_PATTERN:
            continue
        seen.add(url)
        shapes[shape] += 1
        head = page.request.head(url)
        if "html" not in head.headers.get("content-type", ""):
            continue  # a file (a certificate, a workbook), not a page
        response = page.goto(url)
        if (
            response is None
            or response.status != 200
            or "html" not in (response.headers.get("content-type", ""))
        ):
            continue
        for size in ("100%", "150%"):
            page.evaluate(f"document.documentElement.style.fontSize = '{size}'")
            wide = page.evaluate(OVERFLOW)
            if wide:
                problems.append(f"{path} at {size} text: {wide}")
        page.evaluate("document.documentElement.style.fontSize = ''")
        for violation in _axe(page):
            problems.append(f"{path} axe {violation}")
        queue.extend(link for link in _links(page, host) if link not in seen)
    return seen, problems


@pytest.mark.parametrize("username", ["leader", "commune"])
def test_no_page_scrolls_sideways_on_a_phone_nor_fails_accessibility(
    page, live_server, demo, username
):
    seen, problems = _visit_all(page, live_server, username)
    print(f"{username}: {len(seen)} pages")
    assert len(seen) >= 15, seen
    assert problems == [], "\n".join(problems)
