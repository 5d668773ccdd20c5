"""What every request pays for, kept small (docs/performance.md, "CPU per request").

A page's cost under load is the app's CPU (and PostgreSQL's) per request, not its time alone:
these guard the two causes a profile found, so they do not come back unnoticed.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import services
from config.cache import ResilientRedisCache
from tests.factories import MemberFactory
from tests.factories_campaigns import drive

DECIDED = "10/05/2025"


@pytest.mark.skipif(not settings.REDIS_URL, reason="the cache is Redis only with REDIS_URL")
def test_the_cache_reuses_its_redis_client_between_calls():
    """Django builds a new ``redis.Redis`` (and its 170 reply handlers) for every command; the
    cache keeps one per connection pool, and it still answers."""
    cache = ResilientRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "test-request-cost"})
    client = cache._cache
    assert client.get_client() is client.get_client()
    assert client.get_client(write=True) is client.get_client(write=False)  # one server
    cache.set("answer", "ok", 5)
    assert cache.get("answer") == "ok"


def test_the_club_page_lists_commendations_without_joining_six_tables(cast, login):
    """The club page's commendations read the drive's title only: joining the tables the
    drive's own page shows made PostgreSQL plan for 7 ms for a handful of rows."""
    the_drive = drive(cast, criteria=[("Phát triển hội viên", 30, "Danh sách")])
    services.registration_create(
        drive=the_drive, club=cast.club_a, pledges="Phát triển 10 hội viên", by=cast.leader
    )
    member = MemberFactory(club=cast.club_a, full_name="Lò Thị Hoa")
    client = login(cast.province)
    for data in (
        {"recipient_kind": "unit", "unit": f"club:{cast.club_a.pk}", "level": "bk_province"},
        {"recipient_kind": "member", "member": member.pk, "level": "gk_province"},
    ):
        response = client.post(
            reverse("campaigns:commendation_add", args=[the_drive.pk]),
            {**data, "decision_number": "15/QĐ-UBND", "decision_date": DECIDED},
        )
        assert response.status_code == 302
    leader = login(cast.leader)
    with CaptureQueriesContext(connection) as queries:
        page = leader.get(reverse("clubs:club_detail", args=[cast.club_a.pk]))
    text = page.content.decode()
    assert text.count("15/QĐ-UBND") == 2 and the_drive.title in text
    [sql] = [q["sql"] for q in queries if 'FROM "campaigns_commendation"' in q["sql"]]
    assert len(re.findall(r"\bJOIN\b", sql)) <= 2, sql  # the drive (and the registration)

    with CaptureQueriesContext(connection) as queries:
        page = leader.get(reverse("members:member_detail", args=[member.pk]))
    assert "15/QĐ-UBND" in page.content.decode()
    [sql] = [q["sql"] for q in queries if 'FROM "campaigns_commendation"' in q["sql"]]
    assert len(re.findall(r"\bJOIN\b", sql)) <= 1, sql


@pytest.mark.postgres
def test_a_full_rebuild_leaves_the_planner_fresh_statistics(cast):
    """After ``rebuild_summaries`` (and ``seed_scale``) PostgreSQL knows how many summary rows
    there are: planned with the figures of an empty table, the clubs behind a figure read a
    province's month rows once per club."""
    from reports import summary
    from reports.models import ClubMonthSummary

    MemberFactory(club=cast.club_a)
    summary.rebuild(months=3)
    rows = ClubMonthSummary.objects.count()
    assert rows >= 3
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = %s",
            [ClubMonthSummary._meta.db_table],
        )
        assert cursor.fetchone()[0] == rows
