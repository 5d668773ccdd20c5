"""Every query of the big pages can be served by an index: EXPLAIN on PostgreSQL finds no
sequential scan over a table that grows with the country (members, attendance, health
checks, ledger entries, home-care visits, monthly reports).

The test data is small, so the planner would rightly read these tables whole; with
``enable_seqscan = off`` PostgreSQL still plans a sequential scan where no index can serve
the query, and that is what fails here. (Whether the chosen index is the best one at
national scale is measured with ``bench/http_pages.py`` against ``seed_scale`` data,
docs/performance.md.)
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funds.models import Fund
from month.models import Meeting, MonthlyReport
from tests.factories import MemberFactory
from tests.factories_funds import deposit, make_loan, operating
from tests.factories_month import AttendanceFactory, HealthCheckFactory, MeetingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

BIG_TABLES = (
    "members_member",
    "clubs_attendance",
    "clubs_healthcheck",
    "clubs_homecarevisit",
    "clubs_monthlyreport",
    "funds_ledgerentry",
    "funds_installment",
    "funds_repayment",
)
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")


@pytest.fixture
def world(cast):
    day = datetime.date.today().replace(day=1) - datetime.timedelta(days=20)
    for club in (cast.club_a, cast.club_a2, cast.club_b):
        members = [
            MemberFactory(club=club, consent_on=datetime.date(2024, 1, 10), consent_method="paper")
            for _ in range(4)
        ]
        meeting = MeetingFactory(club=club, date=day, status=Meeting.Status.HELD)
        for m in members:
            AttendanceFactory(meeting=meeting, member=m)
            HealthCheckFactory(member=m, club=club, date=day)
        deposit(operating(club), 1_000_000)
        make_loan(club, borrower=members[0])
        MonthlyReport.objects.create(club=club, year=day.year, month=day.month)
    return cast


def _seq_scans(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    return [t for t in SEQ_SCAN.findall(plan) if t in BIG_TABLES]


def _pages(cast) -> list[tuple[object, str]]:
    club = cast.club_a
    meeting = Meeting.objects.filter(club=club).first()
    report = MonthlyReport.objects.filter(club=club).first()
    fund = Fund.objects.get(club=club, kind=Fund.Kind.OPERATING)
    assert meeting and report
    period = f"{report.year:04d}-{report.month:02d}"
    province, commune, leader = cast.province, cast.commune, cast.leader
    return [
        (province, reverse("reports:area", args=[cast.province_a.pk])),
        (province, reverse("reports:area", args=[cast.province_a.pk]) + f"?period={report.year}"),
        (province, reverse("clubs:club_list")),
        (province, reverse("clubs:club_list") + "?page=9999"),
        (province, reverse("clubs:area_composition", args=[cast.province_a.pk])),
        (province, reverse("month:report_inbox")),
        (province, reverse("month:report_inbox") + "?status=&page=9999"),
        (
            province,
            reverse("reports:figure_list", args=["members"])
            + f"?area={cast.province_a.pk}&period={period}",
        ),
        (province, reverse("members:area_export", args=[cast.province_a.pk])),
        (commune, reverse("reports:area", args=[cast.commune_a1.pk])),
        (leader, reverse("reports:club", args=[club.pk])),
        (leader, reverse("members:member_list", args=[club.pk])),
        (leader, reverse("members:member_list", args=[club.pk]) + "?q=lo"),
        (leader, reverse("month:meeting_record", args=[meeting.pk])),
        (leader, reverse("month:report_detail", args=[report.pk])),
        (leader, reverse("funds:fund_detail", args=[fund.pk])),
        (leader, reverse("funds:loan_list", args=[club.pk])),
    ]


def test_no_big_page_reads_a_big_table_whole(login, world):
    from django.core.cache import cache

    failures = []
    explained = 0
    for user, url in _pages(world):
        client = login(user)
        cache.clear()  # cold: the dashboards compute their figures
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        for query in ctx.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            explained += 1
            scans = _seq_scans(sql)
            if scans:
                failures.append(f"{url}: {', '.join(scans)}\n    {sql[:400]}")
    assert not failures, "\n".join(failures)
    assert explained > 50  # every page's queries, not a handful


def test_a_query_no_index_serves_is_caught(world):
    """The check itself: members found by phone number (no index) are read whole."""
    assert _seq_scans("SELECT id FROM members_member WHERE phone = '0912345678'") == [
        "members_member"
    ]
    club_id = int(world.club_a.pk)
    assert _seq_scans(f"SELECT id FROM members_member WHERE club_id = {club_id}") == []  # noqa: S608
