"""The monthly report: figures compiled from the records, the approval chain, the late list."""

import datetime
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck as HypothesisHealthCheck
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import Role
from clubs.models import Club
from config.months import add_months, month_bounds
from month import selectors as sel
from month.models import (
    Activity,
    ActivityArea,
    Attendance,
    HealthCheck,
    HomeCareVisit,
    Meeting,
    MonthlyReport,
    MonthlyReportEvent,
)
from month.services import report_start, report_submit
from tests.factories import ClubFactory, MemberFactory, UserFactory
from tests.factories_month import (
    ActivityFactory,
    HealthCheckFactory,
    HomeCareVisitFactory,
    MeetingFactory,
    MonthlyReportFactory,
    vi,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def last_month():
    first = timezone.localdate().replace(day=1)
    day = add_months(first, -1)
    return day.year, day.month


# --- The approval chain -----------------------------------------------------------------------


@pytest.fixture
def report(cast):
    year, month = last_month()
    return report_start(club=cast.club_a, year=year, month=month, by=cast.leader)


def step(client, name, report, comment=""):
    """A step as the confirmation page's button posts it (``confirmed=1``)."""
    return client.post(
        reverse(f"month:report_{name}", args=[report.pk]), {"comment": comment, "confirmed": "1"}
    )


def test_submit_review_approve_records_who_and_when(cast, login, client, report):
    assert step(login(cast.leader), "submit", report).status_code == 302
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.SUBMITTED and report.submitted_by == cast.leader
    assert step(login(cast.commune), "review", report, "Đủ số liệu").status_code == 302
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.REVIEWED and report.reviewed_by == cast.commune
    assert step(login(cast.province), "approve", report).status_code == 302
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.APPROVED and report.approved_by == cast.province
    assert report.approved_at is not None
    events = list(report.events.values_list("action", "by__username"))
    assert events == [
        ("created", "leader"),
        ("compiled", "leader"),
        ("compiled", "leader"),
        ("submitted", "leader"),
        ("reviewed", "commune"),
        ("approved", "province"),
    ]
    assert report.events.get(action="reviewed").comment == "Đủ số liệu"


def test_a_leader_can_neither_review_nor_approve(cast, login, report):
    client = login(cast.leader)
    step(client, "submit", report)
    assert step(client, "review", report).status_code == 403
    report.status = MonthlyReport.Status.REVIEWED
    report.save()
    assert step(client, "approve", report).status_code == 403
    assert step(client, "return", report, "x").status_code == 403
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.REVIEWED


def test_commune_staff_cannot_approve_or_return_at_the_province_step(cast, login, report):
    report_submit(report=report, by=cast.leader)
    client = login(cast.commune)
    assert step(client, "approve", report).status_code == 403
    step(client, "review", report)
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.REVIEWED
    assert step(client, "approve", report).status_code == 403
    assert step(client, "return", report, "Sửa lại").status_code == 403
    assert step(client, "reopen", report, "Sửa lại").status_code == 403
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.REVIEWED


def test_returning_needs_a_comment_and_the_leader_sees_it(cast, login, report):
    report_submit(report=report, by=cast.leader)
    client = login(cast.commune)
    response = client.post(
        reverse("month:report_return", args=[report.pk]), {"comment": " "}, follow=True
    )
    assert vi("Say what needs to change before returning the report.") in response.content.decode()
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.SUBMITTED
    step(client, "return", report, "Thiếu số người được đo huyết áp")
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.RETURNED and report.returned_by == cast.commune
    page = login(cast.leader).get(reverse("month:report_detail", args=[report.pk])).content.decode()
    assert "Thiếu số người được đo huyết áp" in page and vi("Returned with a comment") in page
    # The leader edits and submits again.
    assert step(login(cast.leader), "submit", report).status_code == 302
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.SUBMITTED


def test_province_returns_a_reviewed_report_and_reopens_an_approved_one(cast, login, report):
    report_submit(report=report, by=cast.leader)
    step(login(cast.commune), "review", report)
    province = login(cast.province)
    step(province, "return", report, "Bổ sung khó khăn")
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.RETURNED
    report_submit(report=report, by=cast.leader)
    step(login(cast.commune), "review", report)
    step(province := login(cast.province), "approve", report)
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.APPROVED
    response = step(province, "reopen", report, "")
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.APPROVED
    response = step(province, "reopen", report, "Sai số liệu quỹ")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.RETURNED and report.reopened_by == cast.province
    event = report.events.get(action=MonthlyReportEvent.Action.REOPENED)
    assert (event.by, event.comment, event.from_status) == (
        cast.province,
        "Sai số liệu quỹ",
        "approved",
    )


def test_a_viewer_cannot_submit(cast, login, report):
    assert step(login(cast.viewer), "submit", report).status_code == 403
    page = login(cast.viewer).get(reverse("month:report_detail", args=[report.pk]))
    assert page.status_code == 200  # but may read it
    assert f"{report.month:02d}/{report.year}" in page.content.decode()
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.DRAFT


def test_a_future_month_cannot_be_started(cast, login):
    future = add_months(timezone.localdate(), 2)
    response = login(cast.leader).post(
        reverse("month:report_start", args=[cast.club_a.pk]),
        {"year": future.year, "month": future.month},
        follow=True,
    )
    assert (
        vi("A report can be started for the current month or an earlier one.")
        in response.content.decode()
    )
    assert not MonthlyReport.objects.exists()


def test_the_leader_starts_a_month_from_the_club_page(cast, login):
    year, month = last_month()
    client = login(cast.leader)
    assert client.get(reverse("month:club_reports", args=[cast.club_a.pk])).status_code == 200
    response = client.post(
        reverse("month:report_start", args=[cast.club_a.pk]), {"year": year, "month": month}
    )
    report = MonthlyReport.objects.get(club=cast.club_a, year=year, month=month)
    assert response.url == reverse("month:report_detail", args=[report.pk])
    assert report.figures["period"] == f"{year:04d}-{month:02d}"
    response = client.post(
        reverse("month:report_detail", args=[report.pk]),
        {"narrative": "Tổ chức 1 buổi sinh hoạt", "difficulties": "Thiếu kinh phí"},
    )
    report.refresh_from_db()
    assert (report.narrative, report.difficulties) == ("Tổ chức 1 buổi sinh hoạt", "Thiếu kinh phí")


def test_the_report_carries_the_fund_figures_of_its_month(cast, monkeypatch):
    calls = []

    def fake(club, year, month):
        calls.append((club, year, month))
        return {"loans_disbursed": 10_000_000}

    monkeypatch.setattr(sel, "month_figures", fake)
    figures = sel.report_figures(cast.club_a, 2024, 5)
    assert figures["funds"] == {"loans_disbursed": 10_000_000}
    assert calls == [(cast.club_a, 2024, 5)]


# --- Query counts -----------------------------------------------------------------------------


def _fill_month(club, members, year, month):
    meeting = MeetingFactory(club=club, date=D(year, month, 21), status="held")
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=m, status="present") for m in members
    )
    HealthCheck.objects.bulk_create(
        HealthCheck(
            club=club, member=m, meeting=meeting, date=meeting.date, systolic=145, diastolic=90
        )
        for m in members
    )
    for _ in range(len(members) // 5 + 1):
        ActivityFactory(club=club, date=D(year, month, 3)).areas.set(ActivityArea.objects.all()[:2])
        HomeCareVisitFactory(club=club, date=D(year, month, 4))


@pytest.mark.parametrize("size", [5, 70])
def test_report_pages_run_a_fixed_number_of_queries(
    cast, login, size, django_assert_max_num_queries
):
    year, month = last_month()
    members = [MemberFactory(club=cast.club_a) for _ in range(size)]
    _fill_month(cast.club_a, members, year, month)
    report = report_start(club=cast.club_a, year=year, month=month, by=cast.leader)
    assert report.figures["health"]["high"] == size
    client = login(cast.leader)
    # session, user, report (+club, commune, the five step users), events (+by)
    for name in ("report_detail", "report_print"):
        with django_assert_max_num_queries(5):
            page = client.get(reverse(f"month:{name}", args=[report.pk]))
        assert page.status_code == 200
        assert f"{month:02d}/{year}" in page.content.decode(), name
    # session, user, report, savepoint + release, row lock, 7 aggregates, the funds app's
    # month_figures (4 when there), figures update, event insert
    with django_assert_max_num_queries(20):
        assert client.post(reverse("month:report_compile", args=[report.pk])).status_code == 302
    staff = login(cast.commune)
    # session, user, user's area (scope), reports page (+club, commune), count
    with django_assert_max_num_queries(5):
        assert staff.get(reverse("month:report_inbox")).status_code == 200


def test_the_print_view_is_an_a4_page_with_signatures(cast, login, report):
    html = login(cast.leader).get(reverse("month:report_print", args=[report.pk])).content.decode()
    assert 'href="/static/css/report-print.css"' in html  # a file: no inline <style> (CSP)
    css = Path(finders.find("css/report-print.css")).read_text()
    assert "@page { size: A4" in css and "@media print" in css
    assert vi("(signature, stamp)") in html


# --- Late or missing reports ------------------------------------------------------------------


def test_staff_see_the_clubs_that_missed_the_deadline_in_their_scope(cast, login, settings):
    settings.ISHC_REPORT_DEADLINE_DAY = 5
    on_time = timezone.make_aware(datetime.datetime(2024, 6, 3, 9, 0))
    late = timezone.make_aware(datetime.datetime(2024, 6, 9, 9, 0))
    MonthlyReportFactory(club=cast.club_a2, status="submitted", submitted_at=on_time)
    extra_late = ClubFactory(name="CLB LTH Nộp Muộn", commune=cast.commune_a1)
    MonthlyReportFactory(club=extra_late, status="reviewed", submitted_at=late)
    draft = ClubFactory(name="CLB LTH Bản Nháp", commune=cast.commune_a1)
    MonthlyReportFactory(club=draft, status="draft")
    url = reverse("month:late_list") + "?period=2024-05"
    page = login(cast.province).get(url).content.decode()
    assert "CLB LTH Bản Mới" in page and vi("No report") in page  # club_a: nothing at all
    assert "CLB LTH Nộp Muộn" in page and "09/06/2024" in page
    assert "CLB LTH Bản Nháp" in page and vi("Draft, not submitted") in page
    assert "CLB LTH Bản Hon" not in page  # submitted on time
    assert "CLB LTH Khu 3" not in page  # another province
    page = login(cast.commune).get(url).content.decode()
    assert "CLB LTH Bản Mới" in page and "CLB LTH Bản Hon" not in page


def test_the_late_list_runs_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries):
    for i in range(12):
        ClubFactory(name=f"CLB Thêm {i}", commune=cast.commune_a1)
    staff = login(cast.province)
    # session, user, user's area (scope), clubs page (+commune, report subqueries), count
    with django_assert_max_num_queries(5):
        page = staff.get(reverse("month:late_list"))
    assert page.status_code == 200
    assert "CLB Thêm 0" in page.content.decode() and "CLB Thêm 11" in page.content.decode()


def test_the_last_due_month_follows_the_deadline(settings):
    settings.ISHC_REPORT_DEADLINE_DAY = 5
    assert sel.last_due_month(D(2024, 6, 6)) == (2024, 5)
    assert sel.last_due_month(D(2024, 6, 5)) == (2024, 4)
    assert sel.last_due_month(D(2024, 1, 2)) == (2023, 11)


# --- Figures equal the raw records (property-based) ------------------------------------------

STATUS = st.sampled_from(["present", "absent", "excused", None])
BP = st.tuples(st.integers(90, 200), st.integers(50, 85)).filter(lambda t: t[1] < t[0])

month_records = st.fixed_dictionaries(
    {
        "month": st.integers(1, 12),
        "members": st.lists(
            st.tuples(st.integers(-40, 40), st.one_of(st.none(), st.integers(0, 60))),
            min_size=1,
            max_size=6,
        ),
        "meetings": st.lists(
            st.tuples(
                st.integers(-15, 45),
                st.sampled_from(["held", "planned", "cancelled"]),
                st.integers(0, 5),
                st.lists(STATUS, min_size=6, max_size=6),
            ),
            max_size=3,
        ),
        "readings": st.lists(
            st.tuples(
                st.integers(0, 5),
                st.integers(-10, 40),
                st.one_of(st.none(), BP),
                st.one_of(st.none(), st.integers(35, 90)),
            ).filter(lambda r: r[2] is not None or r[3] is not None),
            max_size=8,
        ),
        "activities": st.lists(
            st.tuples(
                st.integers(-10, 40),
                st.sets(st.integers(0, 7), min_size=1, max_size=3),
                st.integers(0, 50),
                st.integers(0, 50),
                st.integers(0, 5_000_000),
            ),
            max_size=5,
        ),
        "visits": st.lists(
            st.tuples(
                st.integers(-10, 40), st.integers(0, 5), st.integers(0, 5), st.integers(10, 180)
            ).filter(lambda v: v[1] != v[2]),
            max_size=6,
        ),
    }
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HypothesisHealthCheck.function_scoped_fixture],
)
@given(data=month_records)
def test_report_figures_equal_the_raw_records(cast, data):
    year, month = 2024, data["month"]
    first, last = month_bounds(year, month)
    club = ClubFactory(commune=cast.commune_a1)
    areas = list(ActivityArea.objects.order_by("order"))
    members = []
    for joined_offset, stay in data["members"]:
        joined = first + datetime.timedelta(days=joined_offset)
        left = joined + datetime.timedelta(days=stay) if stay is not None else None
        members.append(MemberFactory(club=club, joined_on=joined, left_on=left))

    def member(i):
        return members[i % len(members)]

    def day(offset):
        return first + datetime.timedelta(days=offset)

    expected_att = {"present": 0, "absent": 0, "excused": 0}
    held = cancelled = planned = guests = 0
    for offset, status, n_guests, marks in data["meetings"]:
        meeting = Meeting.objects.create(
            club=club, date=day(offset), status=status, guests=n_guests
        )
        in_month = first <= meeting.date <= last
        for m, mark in zip(members, marks, strict=False):
            if mark:
                Attendance.objects.create(meeting=meeting, member=m, status=mark)
                if in_month and status == "held":
                    expected_att[mark] += 1
        if in_month:
            held += status == "held"
            cancelled += status == "cancelled"
            planned += status == "planned"
            guests += n_guests if status == "held" else 0
    measured, bp_measured, weighed, high = set(), set(), set(), set()
    for idx, offset, bp, weight in data["readings"]:
        m = member(idx)
        sys, dia = bp if bp else (None, None)
        HealthCheckFactory(
            member=m, club=club, date=day(offset), systolic=sys, diastolic=dia, weight=weight
        )
        if first <= day(offset) <= last:
            measured.add(m.pk)
            if bp:
                bp_measured.add(m.pk)
                if sys >= 140 or dia >= 90:
                    high.add(m.pk)
            if weight is not None:
                weighed.add(m.pk)
    per_area = dict.fromkeys([a.code for a in areas], 0)
    act = {"count": 0, "participants": 0, "beneficiaries": 0, "cost": 0}
    for offset, area_idx, count, beneficiaries, cost in data["activities"]:
        a = Activity.objects.create(
            club=club, date=day(offset), title="Hoạt động", participant_count=count,
            beneficiaries=beneficiaries, cost=cost,
        )  # fmt: skip
        a.areas.set([areas[i] for i in area_idx])
        if first <= a.date <= last:
            act["count"] += 1
            act["participants"] += count
            act["beneficiaries"] += beneficiaries
            act["cost"] += cost
            for i in area_idx:
                per_area[areas[i].code] += 1
    visit_count, minutes, people, volunteers = 0, 0, set(), set()
    for offset, vol, rec, mins in data["visits"]:
        if member(vol) == member(rec):
            continue
        HomeCareVisit.objects.create(
            club=club, date=day(offset), volunteer=member(vol), recipient=member(rec),
            services="company", duration_minutes=mins,
        )  # fmt: skip
        if first <= day(offset) <= last:
            visit_count += 1
            minutes += mins
            people.add(member(rec).pk)
            volunteers.add(member(vol).pk)

    figures = sel.report_figures(club, year, month)

    assert figures["meetings"] == {
        "held": held,
        "planned": planned,
        "cancelled": cancelled,
        "guests": guests,
    }
    marks = sum(expected_att.values())
    rate = round(100 * expected_att["present"] / marks, 1) if marks else None
    assert figures["attendance"] == {**expected_att, "rate": rate}
    assert figures["health"]["measured"] == len(measured)
    assert figures["health"]["bp_measured"] == len(bp_measured)
    assert figures["health"]["weighed"] == len(weighed)
    assert figures["health"]["high"] == len(high)
    assert {k: figures["activities"][k] for k in act} == act
    assert {a["code"]: a["count"] for a in figures["activities"]["by_area"]} == per_area
    assert figures["visits"] == {
        "count": visit_count,
        "people": len(people),
        "volunteers": len(volunteers),
        "minutes": minutes,
    }
    joined = sum(1 for m in members if first <= m.joined_on <= last)
    left = sum(1 for m in members if m.left_on and first <= m.left_on <= last)
    at_end = sum(
        1 for m in members if m.joined_on <= last and (m.left_on is None or m.left_on > last)
    )
    assert figures["members"] == {"joined": joined, "left": left, "at_end": at_end}


# --- The provincial inbox reads the report's own copy of the province ------------------------


def _reviewed(club, year, month):
    report = report_start(club=club, year=year, month=month, by=None)
    MonthlyReport.objects.filter(pk=report.pk).update(status=MonthlyReport.Status.REVIEWED)
    return report


def test_each_province_approves_only_its_own_reports(cast, login):
    year, month = last_month()
    mine, other = _reviewed(cast.club_a2, year, month), _reviewed(cast.club_b, year, month)
    assert (mine.province, other.province) == (cast.province_a, cast.province_b)
    page = login(cast.province).get(reverse("month:report_inbox"))
    assert list(page.context["page_obj"].object_list) == [mine]
    assert cast.club_b.name not in page.content.decode()
    assert (
        login(cast.province).get(reverse("month:report_detail", args=[other.pk])).status_code == 404
    )


def test_a_club_moved_to_another_province_takes_its_reports_along(cast, login):
    year, month = last_month()
    report = _reviewed(cast.club_a2, year, month)
    cast.club_a2.commune = cast.commune_b1
    cast.club_a2.save()
    report.refresh_from_db()
    assert report.province == cast.province_b
    assert Club.objects.get(pk=cast.club_a2.pk).province == cast.province_b
    assert (
        cast.club_a2 not in login(cast.province).get(reverse("clubs:club_list")).context["page_obj"]
    )
    assert report not in login(cast.province).get(reverse("month:report_inbox")).context["page_obj"]
    other_province = UserFactory(role=Role.PROVINCE, area=cast.province_b)
    inbox = login(other_province).get(reverse("month:report_inbox")).context["page_obj"]
    assert report in inbox.object_list


def test_a_commune_moved_to_another_province_takes_its_clubs_reports_along(cast):
    year, month = last_month()
    report = _reviewed(cast.club_a2, year, month)
    untouched = _reviewed(cast.club_a, year, month)
    cast.commune_a2.parent = cast.province_b
    cast.commune_a2.province = cast.province_b
    cast.commune_a2.save()
    report.refresh_from_db()
    untouched.refresh_from_db()
    assert (report.province, untouched.province) == (cast.province_b, cast.province_a)
    assert Club.objects.get(pk=cast.club_a2.pk).province == cast.province_b
    assert Club.objects.get(pk=cast.club_a.pk).province == cast.province_a
