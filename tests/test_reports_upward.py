"""Reports upward (six-month, annual, programme progress): the annex equals the raw records,
the chain commune → province → central with its roles, locks and reasons, the outputs, and
the door (another commune or province: 404)."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck as HC
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import Role
from config.months import shift, split
from funds import services as fund_services
from funds.models import Fund
from reports import periodic, periodic_services, periods, summary
from reports.models import PeriodicReport, PeriodicReportStep
from tests.factories import UserFactory
from tests.factories_month import vi
from tests.factories_reports import activity_areas, expected_totals
from tests.test_reports_figures import build, club_st

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# The half-year under way: its last month has begun only in June and December.
HALF = 1 if TODAY.month <= 6 else 2


@dataclass
class SpanPeriod:
    """A report's span read as the dashboards' reference reads a period."""

    span: periodic.Span

    @property
    def months(self) -> list[int]:
        return self.span.months

    @property
    def stock_ym(self) -> int:
        return self.span.stock_ym

    @property
    def last_three(self) -> list[int]:
        return [shift(self.stock_ym, -2), shift(self.stock_ym, -1), self.stock_ym]

    @property
    def due_months(self) -> list[int]:
        return self.span.due_months

    @property
    def today(self) -> datetime.date:
        return self.span.today


def _values(annex) -> dict[tuple[str, str], object]:
    return {(s["key"], r["key"]): r["value"] for s in annex["sections"] for r in s["rows"]}


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HC.function_scoped_fixture, HC.too_slow, HC.data_too_large],
)
@given(specs=st.lists(club_st, min_size=2, max_size=2), kind=st.sampled_from(["year", "half"]))
def test_the_annex_equals_the_raw_records(cast, django_capture_on_commit_callbacks, specs, kind):
    sid = transaction.savepoint()
    try:
        areas = activity_areas()
        clubs = [cast.club_a, cast.club_a2]
        with django_capture_on_commit_callbacks(execute=True):
            for club, spec in zip(clubs, specs, strict=True):
                build(club, spec, TODAY, areas)
        summary.rebuild(months=12)
        args = ("annual", TODAY.year, None) if kind == "year" else ("six_month", TODAY.year, HALF)
        span = periodic.span_of(*args)
        # Months of the span not begun yet have no figures: read the span up to this month.
        span = periodic.Span(span.start_ym, min(span.end_ym, periods.current_ym()), TODAY)
        expected = expected_totals(clubs, SpanPeriod(span))
        got = _values(
            periodic.compile_annex(
                area=cast.province_a, kind=args[0], year=TODAY.year, half=args[2]
            )
        )
        assert got[("clubs", "active")] == len(clubs)
        pairs = {
            ("clubs", "members"): "members",
            ("clubs", "volunteers"): "volunteers",
            ("clubs", "joined"): "joined",
            ("clubs", "left"): "left",
            ("meetings", "held"): "meetings_held",
            ("meetings", "reports_submitted"): "reports_submitted",
            ("meetings", "reports_approved"): "reports_approved",
            ("meetings", "reports_late"): "reports_late",
            ("activities", "total"): "activities",
            ("care", "needing_care"): "needing_care",
            ("care", "cared_for"): "cared_for",
            ("care", "visits"): "visits",
            ("care", "health_checked"): "health_checked",
            ("care", "health_high"): "health_high",
            ("funds", "club_revolving"): "fund_revolving",
            ("funds", "club_operating"): "fund_operating",
            ("loans", "outstanding"): "loans_outstanding",
            ("loans", "at_risk"): "loans_at_risk",
            ("loans", "disbursed"): "loans_disbursed",
            ("loans", "borrowers"): "borrowers",
        }
        if span.end_ym == periodic.span_of(*args).end_ym:
            assert {k: got[k] for k in pairs} == {k: expected[v] for k, v in pairs.items()}
        by_area = {
            int(r["key"].removeprefix("area_")): r["value"]
            for s in periodic.compile_annex(
                area=cast.province_a, kind=args[0], year=TODAY.year, half=args[2]
            )["sections"]
            if s["key"] == "activities"
            for r in s["rows"]
            if r["key"].startswith("area_")
        }
        assert by_area == {k: v for k, v in expected["by_area"].items() if v}
    finally:
        transaction.savepoint_rollback(sid)


def test_care_fund_money_in_and_out_by_source(cast):
    fund = Fund.objects.create(owner_area=cast.commune_a1, kind=Fund.Kind.CARE, name="Quỹ CS")
    day = datetime.date(TODAY.year, 1, 15)
    for amount, category in ((2_000_000, "donation"), (500_000, "government")):
        fund_services.entry_record(
            fund=fund, date=day, amount=amount, direction="in", category=category, by=None
        )
    out = fund_services.entry_record(
        fund=fund, date=day, amount=300_000, direction="out", category="hardship", by=None
    )
    wrong = fund_services.entry_record(
        fund=fund, date=day, amount=999_000, direction="in", category="other", by=None
    )
    fund_services.entry_reverse(entry=wrong, by=None, date=day)
    annex = periodic.compile_annex(area=cast.commune_a1, kind="annual", year=TODAY.year, half=None)
    got = _values(annex)
    assert got[("funds", "care_raised")] == 2_500_000
    assert got[("funds", "care_spent")] == 300_000
    assert got[("funds", "care_in_donation")] == 2_000_000
    assert out.amount == 300_000


def _report(cast, area=None, state="draft", kind="annual", year=None, half=None, compiled=True):
    report = PeriodicReport.objects.create(
        area=area or cast.commune_a1,
        kind=kind,
        year=year or TODAY.year - 1,
        half=half,
        state=state,
        results="Kết quả [[clubs.active]] CLB.",
        shortcomings="Tồn tại",
        tasks="Nhiệm vụ",
    )
    if compiled:
        periodic_services._queue_compile(report)
        periodic_services.compile_run(report_id=report.pk)
        report.refresh_from_db()
    return report


@pytest.fixture
def staff(cast):
    """Commune staff of commune A1 and provincial staff of province A exist in the cast."""
    return cast


def test_the_commune_starts_a_report_and_its_figures_compile(
    cast, login, celery_sent, django_capture_on_commit_callbacks
):
    client = login(cast.commune)
    page = client.get(reverse("reports:periodic_new"))
    assert vi("New report upward") in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:periodic_new"),
            {"area": cast.commune_a1.pk, "kind": "annual", "year": TODAY.year - 1},
        )
    report = PeriodicReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.compile_status == "queued"
    assert "reports.tasks.compile_periodic_report" in [t for t, _ in celery_sent]
    assert periodic_services.compile_run(report_id=report.pk)
    assert not periodic_services.compile_run(report_id=report.pk)  # a retried task: once
    page = client.get(report.get_absolute_url()).content.decode()
    assert vi("Intergenerational self-help clubs") in page
    assert vi("Same period a year before") in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "six_month", "year": 2025}, "half", "Choose the first or the second half of the year."),
        ({"kind": "annual", "year": 2025, "half": 1}, "half", "An annual or programme report covers the whole year: leave this empty."),
        ({"kind": "annual", "year": 1899}, "year", "The year must be between 2000 and 2100."),
        ({"kind": "annual", "year": TODAY.year + 1}, "year", None),
    ],
)  # fmt: skip
def test_a_period_that_is_not_a_half_year_or_a_year_is_refused(cast, login, data, field, message):
    response = login(cast.commune).post(
        reverse("reports:periodic_new"), {"area": cast.commune_a1.pk, **data}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert vi(message) in errors[field]
    assert not PeriodicReport.objects.exists()


def test_a_second_report_for_the_same_period_is_refused_beside_the_year(cast, login):
    _report(cast, compiled=False)
    response = login(cast.commune).post(
        reverse("reports:periodic_new"),
        {"area": cast.commune_a1.pk, "kind": "annual", "year": TODAY.year - 1},
    )
    assert (
        vi("This area already has a report of this kind for this period.")
        in response.context["form"].errors["year"]
    )
    assert PeriodicReport.objects.count() == 1


def test_submitting_asks_first_and_lists_what_is_missing(cast, login):
    report = _report(cast)
    report.shortcomings = ""
    report.save()
    client = login(cast.commune)
    url = reverse("reports:periodic_submit", args=[report.pk])
    page = client.post(url).content.decode()
    assert vi("Submit this report?") in page
    assert "confirm-warnings" in page
    report.refresh_from_db()
    assert report.state == "draft"
    client.post(url, {"confirmed": "1"})
    report.refresh_from_db()
    assert report.state == "draft"  # an empty required section: refused


def test_the_chain_commune_province_and_roles(cast, login):
    report = _report(cast)

    def post(user, name, data):
        return login(user).post(reverse(f"reports:{name}", args=[report.pk]), data)

    post(cast.commune, "periodic_submit", {"confirmed": "1"})
    report.refresh_from_db()
    assert report.state == "submitted" and report.submitted_by == cast.commune
    # The commune cannot accept its own report; the province can.
    assert post(cast.commune, "periodic_accept", {"confirmed": "1"}).status_code == 403
    response = post(cast.province, "periodic_return", {"comment": ""})
    assert vi("Say what needs to change before it is sent again.") in response.content.decode()
    post(cast.province, "periodic_return", {"comment": "Bổ sung số liệu"})
    report.refresh_from_db()
    assert report.state == "returned" and report.review_comment == "Bổ sung số liệu"
    # The province reviews; it does not write the commune's narrative.
    assert post(cast.province, "periodic_edit", {}).status_code == 403
    post(cast.commune, "periodic_submit", {"confirmed": "1"})
    post(cast.province, "periodic_accept", {"confirmed": "1"})
    report.refresh_from_db()
    assert report.state == "accepted"
    # Locked: no edits; reopening needs a reason and is recorded.
    response = post(
        cast.commune, "periodic_edit", {"results": "x", "shortcomings": "y", "tasks": "z"}
    )
    assert vi("A submitted or accepted report cannot be changed.") in response.content.decode()
    report.refresh_from_db()
    assert report.results != "x"
    post(cast.province, "periodic_reopen", {"comment": "Sai số hội viên"})
    report.refresh_from_db()
    assert report.state == "returned"
    actions = list(report.steps.values_list("action", flat=True))
    assert actions[-5:] == ["submitted", "returned", "submitted", "accepted", "reopened"]
    assert PeriodicReportStep.objects.filter(
        report=report, action="reopened", by=cast.province, comment="Sai số hội viên"
    ).exists()


def test_the_province_report_goes_to_the_admin_and_shows_the_communes(cast, login):
    _report(cast, state="accepted")
    report = _report(cast, area=cast.province_a)
    page = login(cast.province).get(report.get_absolute_url()).content.decode()
    assert cast.commune_a1.name in page and vi("missing") in page
    login(cast.province).post(
        reverse("reports:periodic_submit", args=[report.pk]), {"confirmed": "1"}
    )
    report.refresh_from_db()
    assert report.state == "submitted"
    assert (
        login(cast.province)
        .post(reverse("reports:periodic_accept", args=[report.pk]), {"confirmed": "1"})
        .status_code
        == 403
    )
    login(cast.admin).post(reverse("reports:periodic_accept", args=[report.pk]), {"confirmed": "1"})
    report.refresh_from_db()
    assert report.state == "accepted"


def test_outputs_quote_the_figures(cast, login):
    report = _report(cast)
    client = login(cast.commune)
    page = client.get(reverse("reports:periodic_print", args=[report.pk])).content.decode()
    assert "[[clubs.active]]" not in page and "Kết quả 1 CLB." in page
    assert vi("Independence – Freedom – Happiness") in page
    docx = client.get(reverse("reports:periodic_docx", args=[report.pk]))
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Kết quả 1 CLB." in text
    xlsx = client.get(reverse("reports:periodic_xlsx", args=[report.pk]))
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.content)).active
    labels = [row[0] for row in ws.iter_rows(values_only=True)]
    assert any(label and vi("Active clubs at the period's end") in label for label in labels)


def test_the_door(cast, login):
    report = _report(cast)
    urls = [
        reverse(name, args=[report.pk])
        for name in (
            "reports:periodic_detail",
            "reports:periodic_print",
            "reports:periodic_docx",
            "reports:periodic_xlsx",
            "reports:periodic_progress",
        )
    ]
    outsider = UserFactory(role=Role.COMMUNE, area=cast.commune_b1)
    for user in (outsider, cast.leader, cast.leader2):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert (
            client.post(
                reverse("reports:periodic_submit", args=[report.pk]), {"confirmed": "1"}
            ).status_code
            == 404
        )
    viewer = login(cast.viewer)
    assert viewer.get(urls[0]).status_code == 200
    assert (
        viewer.post(
            reverse("reports:periodic_submit", args=[report.pk]), {"confirmed": "1"}
        ).status_code
        == 403
    )
    assert viewer.get(reverse("reports:periodic_new")).status_code == 403


def test_the_list_runs_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries):
    for year in range(2015, 2025):
        _report(cast, year=year, compiled=False)
    client = login(cast.province)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reports:periodic_list")).content.decode()
    assert "2024" in page and cast.commune_a1.name in page
    assert split(periods.current_ym())[0] >= 2026


def test_older_persons_and_the_association_come_from_their_records(cast):
    from tests.factories_association import BranchFactory, ReturnFactory, UnitFactory
    from tests.factories_elders import OlderPersonFactory

    year = TODAY.year - 1
    for birth_year, sex in (
        (year - 65, "F"),
        (year - 72, "M"),
        (year - 101, "F"),
        (year - 50, "M"),
    ):
        OlderPersonFactory(commune=cast.commune_a1, birth_year=birth_year, sex=sex)
    OlderPersonFactory(
        commune=cast.commune_a2, birth_year=year - 80, died_on=datetime.date(year, 3, 1)
    )
    unit = UnitFactory(area=cast.commune_a1)
    UnitFactory(area=cast.commune_a2)
    BranchFactory(unit=unit)
    ReturnFactory(unit=unit, year=year, members=900, new_members=40, status="reviewed")
    ReturnFactory(unit__area=cast.commune_b1, year=year, members=500, status="reviewed")
    got = _values(periodic.compile_annex(area=cast.province_a, kind="annual", year=year, half=None))
    assert got[("older_persons", "total")] == 3  # the 50-year-old and the dead are not counted
    assert got[("older_persons", "women")] == 2
    assert got[("older_persons", "age_60_69")] == 1
    assert got[("older_persons", "age_100")] == 1
    assert got[("association", "members")] == 900  # province B's return is not province A's
    assert got[("association", "units")] == 2
    assert got[("association", "branches")] == 1
