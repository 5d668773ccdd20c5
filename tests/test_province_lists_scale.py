"""The province's fund list holds as the province grows (issue 22): the funds are picked by
the fund's own indexed columns, a fixed number of queries whatever the number of clubs, and
the same funds, in the same order, as the scope gives."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import scoping
from funds import selectors, services
from funds.models import Fund
from tests.factories import ClubFactory, CommuneFactory

pytestmark = pytest.mark.django_db

SCAN = re.compile(r"(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan)(?: using \w+)? on (\w+)")
# The funds are what the fix picks by index; the clubs joined to them are looked up by
# primary key at scale, but on a handful of test rows the planner may hash them whole.
GROWING = ("funds_fund",)


def _whole_reads(plan: str) -> list[str]:
    """The growing tables a plan reads whole: a sequential scan, or an index walked from end
    to end (no ``Index Cond``), which is what ``enable_seqscan = off`` turns one into."""
    lines = plan.splitlines()
    found = []
    for i, line in enumerate(lines):
        match = SCAN.search(line)
        if not match or match.group(2) not in GROWING:
            continue
        depth = len(line) - len(line.lstrip(" ->"))
        details = []
        for below in lines[i + 1 :]:
            if "->" in below or len(below) - len(below.lstrip(" ")) <= depth - 4:
                break
            details.append(below)
        bounded = any("Index Cond" in d or "Recheck Cond" in d for d in details)
        # A bitmap scan always starts from an index condition (on its child node).
        if match.group(1) == "Seq Scan" or (match.group(1) != "Bitmap Heap Scan" and not bounded):
            found.append(match.group(2))
    return found


def _care_funds(cast) -> None:
    services.fund_create(
        kind=Fund.Kind.CARE, name="Quỹ chăm sóc tỉnh A", owner_area=cast.province_a
    )
    services.fund_create(kind=Fund.Kind.CARE, name="Quỹ chăm sóc xã A1", owner_area=cast.commune_a1)
    services.fund_create(
        kind=Fund.Kind.CARE, name="Quỹ chăm sóc tỉnh B", owner_area=cast.province_b
    )


def test_province_sees_exactly_its_funds(cast, login):
    _care_funds(cast)
    expected = set(scoping.for_user(Fund, cast.province).values_list("pk", flat=True))
    assert set(selectors.fund_list(viewer=cast.province).values_list("pk", flat=True)) == expected
    # The province's own and its communes' care funds, its clubs' funds; not province B's.
    page = login(cast.province).get(reverse("funds:fund_list")).content.decode()
    assert "Quỹ chăm sóc tỉnh A" in page and "Quỹ chăm sóc xã A1" in page
    assert cast.club_a2.name in page
    assert "Quỹ chăm sóc tỉnh B" not in page and cast.club_b.name not in page


@pytest.mark.parametrize("n", [3, 40])
def test_province_fund_list_query_count(cast, login, django_assert_max_num_queries, n):
    _care_funds(cast)
    for i in range(n):
        ClubFactory(commune=cast.commune_a1 if i % 2 else CommuneFactory(parent=cast.province_a))
    client = login(cast.province)
    # session, user, user's area, count, page of funds
    with django_assert_max_num_queries(6):
        response = client.get(reverse("funds:fund_list"))
    assert response.status_code == 200
    with django_assert_max_num_queries(6):
        last = client.get(reverse("funds:fund_list") + "?page=9999")
    assert last.status_code == 200 and "Quỹ chăm sóc tỉnh B" not in last.content.decode()


@pytest.mark.postgres
def test_province_fund_list_is_served_by_indexes(cast, login):
    """With sequential scans priced out, no query of the page reads every fund."""
    _care_funds(cast)
    client = login(cast.province)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("funds:fund_list"))
    assert response.status_code == 200
    failures = []
    funds_queries = 0
    for query in ctx.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT") or "funds_fund" not in sql:
            continue
        funds_queries += 1
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("SET LOCAL enable_seqscan = on")
        scans = _whole_reads(plan)
        if scans:
            failures.append(f"{', '.join(scans)}: {sql[:300]}\n{plan}")
    assert funds_queries >= 2  # the count and the page
    assert not failures, "\n".join(failures)
