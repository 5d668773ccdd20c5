"""The training list counts the participants of the page's events only, after the page is
cut (``trainings.selectors.training_rows``): the same rows, order, columns and number of
queries as before, with work that does not grow with the number of events (issue 22)."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories_trainings import ParticipantFactory, TrainingFactory
from trainings.models import Training

pytestmark = pytest.mark.django_db

ROW = re.compile(r'href="/trainings/(\d+)/"')


def _events(cast, n: int, *, people: int = 2) -> list[Training]:
    """``n`` events of province A, one a week (two on the same day, to test the ties)."""
    events = []
    for i in range(n):
        training = TrainingFactory(
            organiser=cast.province_a,
            starts_on=datetime.date(2024, 1, 1) + datetime.timedelta(weeks=i // 2),
            ends_on=datetime.date(2024, 1, 2) + datetime.timedelta(weeks=i // 2),
            with_sessions=False,
        )
        ParticipantFactory.create_batch(people + i % 3, training=training)
        events.append(training)
    return events


def _expected(events: list[Training]) -> list[int]:
    return [t.pk for t in sorted(events, key=lambda t: (t.starts_on, t.pk), reverse=True)]


def _rows(html: str) -> list[int]:
    return [int(pk) for pk in ROW.findall(html)]


def test_each_row_shows_its_own_participant_count_in_the_same_order(cast, login):
    events = _events(cast, 30)
    TrainingFactory(organiser=cast.province_b)  # another province: not listed
    client = login(cast.province)

    first = client.get(reverse("trainings:list"))
    second = client.get(reverse("trainings:list"), {"page": 2})

    assert first.status_code == second.status_code == 200
    assert _rows(first.text) + _rows(second.text) == _expected(events)
    page = first.context["page_obj"]
    counts = {t.pk: t.participant_count for t in page}
    assert counts == {t.pk: t.participants.count() for t in events if t.pk in counts}
    assert {t.participant_count for t in page} == {2, 3, 4}
    shown = {t.organiser.name for t in page}  # the organiser, as before
    assert shown == {"Tỉnh A"}
    assert page.paginator.count == 30


def test_an_event_without_participants_shows_zero(cast, login):
    training = TrainingFactory(organiser=cast.province_a)
    page = login(cast.province).get(reverse("trainings:list")).context["page_obj"]
    assert [(t.pk, t.participant_count) for t in page] == [(training.pk, 0)]


def test_search_and_status_still_narrow_the_list(cast, login):
    _events(cast, 3)
    wanted = TrainingFactory(
        organiser=cast.province_a, title="Tập huấn Quỹ chăm sóc", status=Training.Status.DONE
    )
    client = login(cast.province)
    assert _rows(client.get(reverse("trainings:list"), {"q": "quy cham"}).text) == [wanted.pk]
    assert _rows(client.get(reverse("trainings:list"), {"status": "done"}).text) == [wanted.pk]
    empty = client.get(reverse("trainings:list"), {"q": "khong co"})
    assert empty.status_code == 200 and _rows(empty.text) == []


@pytest.mark.parametrize("n", [3, 60])
def test_the_list_runs_the_same_queries_for_three_events_and_for_sixty(
    cast, login, django_assert_num_queries, n
):
    _events(cast, n)
    client = login(cast.province)
    client.get(reverse("trainings:list"))  # warm the session
    # the session, the count of the events, the page's rows with their counts and organisers
    with django_assert_num_queries(3):
        response = client.get(reverse("trainings:list"), {"page": 2 if n > 25 else 1})
    assert response.status_code == 200


def test_the_participants_are_counted_for_the_pages_events_only(cast, login):
    _events(cast, 40)
    with CaptureQueriesContext(connection) as ctx:
        login(cast.province).get(reverse("trainings:list"))
    counted = [q["sql"] for q in ctx.captured_queries if "trainings_participant" in q["sql"]]
    assert len(counted) == 1  # the page's rows; the count reads the events only
    assert re.search(r"IN \(SELECT .* LIMIT 25\)", counted[0])


@pytest.mark.postgres
def test_the_page_reads_the_participants_of_its_events_through_their_index(cast, login):
    _events(cast, 40)
    with CaptureQueriesContext(connection) as ctx:
        login(cast.province).get(reverse("trainings:list"), {"page": 2})
    (sql,) = [q["sql"] for q in ctx.captured_queries if "trainings_participant" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE trainings_participant, trainings_training")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = on")
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def nodes(node):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)

    participants = [
        n for n in nodes(plan[0]["Plan"]) if n.get("Relation Name") == "trainings_participant"
    ]
    assert participants
    for n in participants:
        assert n["Node Type"] != "Seq Scan"
        assert "training_id" in n.get("Index Cond", "") + n.get("Recheck Cond", "")
