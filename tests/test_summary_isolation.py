"""The dashboards' freshness and isolation (reports/pagecache.py, config/celery.py): the summary
refresh has a queue of its own, a change in one province leaves the others' cached
dashboards warm, and a cold dashboard is drawn by one request while the others wait."""

from __future__ import annotations

import datetime
import re
import threading
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Role
from config.celery import SUMMARY_QUEUE, app
from reports import pagecache, summary
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def _queue(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_the_summary_refresh_has_a_queue_of_its_own():
    assert _queue("reports.tasks.refresh_summaries") == SUMMARY_QUEUE
    assert _queue("reports.tasks.rebuild_recent_summaries") == SUMMARY_QUEUE
    default = app.conf.task_default_queue
    for other in (
        "reminders.plan",
        "reminders.send_batch",
        "members.build_member_export",
        "reports.tasks.build_export",
    ):
        assert _queue(other) == default != SUMMARY_QUEUE
    # A worker started without -Q serves both; each queue has its own routing key.
    queues = {q.name: q.routing_key for q in app.amqp.queues.values()}
    assert queues[SUMMARY_QUEUE] == SUMMARY_QUEUE and queues[default] == default


def test_a_change_moves_its_provinces_version_only(cast):
    a, b = cast.province_a.pk, cast.province_b.pk
    before = {p: pagecache.summaries_version(p) for p in (a, b, None)}
    pagecache.summaries_changed([a])
    after = {p: pagecache.summaries_version(p) for p in (a, b, None)}
    assert after[a] != before[a]
    assert after[None] != before[None]  # the whole country includes province A
    assert after[b] == before[b]
    pagecache.summaries_changed()  # a rebuild of everything
    assert pagecache.summaries_version(b) != after[b]


def test_a_write_in_one_province_leaves_the_others_dashboards_cached(
    login, cast, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):  # the set-up's marks, written
        for club in (cast.club_a, cast.club_b):
            MemberFactory(club=club)
    summary.rebuild(months=2)
    staff_b = UserFactory(role=Role.PROVINCE, area=cast.province_b)
    other = login(staff_b)
    url_b = reverse("reports:area", args=[cast.province_b.pk])
    other.get(url_b)
    with django_assert_max_num_queries(3):
        other.get(url_b)

    with django_capture_on_commit_callbacks(execute=True):
        MemberFactory(club=cast.club_a)
    result = summary.recompute_dirty()
    assert result.pairs >= 1

    # Province B's dashboard is still the cached one: no figures computed again.
    with django_assert_max_num_queries(3):
        assert other.get(url_b).status_code == 200
    # Province A's shows the new member.
    html = login(cast.province).get(reverse("reports:area", args=[cast.province_a.pk])).text
    assert "/reports/lists/members/" in html


def test_a_cold_dashboard_is_drawn_by_the_first_request_only(monkeypatch):
    monkeypatch.setattr(pagecache, "WAIT_SECONDS", 5.0)
    key = "template.cache.dashboard.test-single-flight"
    cache.delete(key)
    drawn: list[str] = []
    started = threading.Event()

    def slow_render() -> str:
        started.set()
        time.sleep(0.3)
        cache.set(key, "fragment", 60)
        drawn.append("first")
        return "first"

    def from_cache() -> str:
        drawn.append("cached" if cache.get(key) else "computed")
        return "second"

    first = threading.Thread(target=lambda: pagecache.render_once(key, slow_render))
    first.start()
    started.wait(2)
    t0 = time.monotonic()
    assert pagecache.render_once(key, from_cache) == "second"
    waited = time.monotonic() - t0
    first.join()
    assert drawn == ["first", "cached"]
    assert waited < 4  # it waited for the first one, not for the time limit
    assert cache.get(pagecache.LOCK_KEY % key) is None  # the lock is released


def test_nobody_waits_for_a_lock_that_cannot_be_seen(monkeypatch):
    """The cache unreachable: ``add`` fails and nothing can be read; render at once."""

    class Unreachable:
        def add(self, *args: object, **kwargs: object) -> bool:
            return False

        def get(self, *args: object, **kwargs: object) -> None:
            return None

    monkeypatch.setattr(pagecache, "cache", Unreachable())
    t0 = time.monotonic()
    assert pagecache.render_once("any-key", lambda: "page") == "page"
    assert time.monotonic() - t0 < 0.5


def test_a_lock_whose_holder_died_is_waited_for_a_bounded_time(monkeypatch):
    monkeypatch.setattr(pagecache, "WAIT_SECONDS", 0.3)
    key = "template.cache.dashboard.test-dead-holder"
    cache.delete(key)
    cache.set(pagecache.LOCK_KEY % key, 1, 30)  # taken by a request that never finishes
    t0 = time.monotonic()
    assert pagecache.render_once(key, lambda: "page") == "page"
    assert 0.25 <= time.monotonic() - t0 < 2
    cache.delete(pagecache.LOCK_KEY % key)


def test_the_printable_report_is_cached_like_its_dashboard_and_follows_a_write(
    login, cast, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    def members(html: str) -> int:
        found = re.search(r'>(?:Thành viên|Members)</th><td class="text-end">([\d.]+)<', html)
        assert found, html
        return int(found.group(1).replace(".", ""))

    with django_capture_on_commit_callbacks(execute=True):
        MemberFactory(club=cast.club_a)
    summary.rebuild(months=2)
    client = login(cast.province)
    # The year so far: the members who join today count in it.
    year = datetime.date.today().year
    url = reverse("reports:area_print", args=[cast.province_a.pk]) + f"?period={year}"
    before = members(client.get(url).text)
    with django_assert_max_num_queries(3):  # session, user, area: the figures are cached
        assert members(client.get(url).text) == before

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            MemberFactory(club=cast.club_a)
    summary.recompute_dirty()
    assert members(client.get(url).text) == before + 3  # its province's figures moved


def _without_tokens(html: str) -> str:
    """A page without what changes from one response to the next (CSRF token, CSP nonce)."""
    return re.sub(r'[A-Za-z0-9]{64}|nonce="[^"]*"', "", html)


def test_while_a_dashboard_is_drawn_again_the_others_see_its_last_drawing_at_once(
    login, cast, django_capture_on_commit_callbacks, django_assert_max_num_queries, monkeypatch
):
    """A write moved the province's figures and one request is drawing the dashboard again:
    the others get its last drawing (one refresh old) at once, instead of holding a worker
    while they wait; once the new one is drawn, everyone sees it."""
    from reports.views import _dashboard_vary

    monkeypatch.setattr(pagecache, "WAIT_SECONDS", 5.0)
    with django_capture_on_commit_callbacks(execute=True):
        MemberFactory(club=cast.club_a)
    summary.rebuild(months=2)
    client = login(cast.province)
    url = reverse("reports:area", args=[cast.province_a.pk])
    drawn = client.get(url)  # drawn, and kept as the dashboard's last drawing

    # The province's figures move; another request holds the lock of the new version.
    pagecache.summaries_changed([cast.province_a.pk])
    vary = _dashboard_vary(drawn.wsgi_request, cast.province_a, drawn.context["period"].param)
    version = pagecache.summaries_version(cast.province_a.pk)
    lock = pagecache.LOCK_KEY % pagecache.dashboard_key(vary, version)[1]
    cache.set(lock, 1, 30)
    try:
        started = time.monotonic()
        with django_assert_max_num_queries(4):  # no figure computed
            shown = client.get(url)
        assert time.monotonic() - started < 2  # not the 5 s a waiting request could take
        assert shown.context["drawn_before"]
        assert _without_tokens(shown.text) == _without_tokens(drawn.text)
    finally:
        cache.delete(lock)
    # Drawn again once the lock is free: the page is the new version's, no longer the copy.
    assert not client.get(url).context.get("drawn_before")
