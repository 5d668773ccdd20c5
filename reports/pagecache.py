"""Rendered dashboards are kept in the cache, keyed by the summaries' version of their province.

A dashboard reads only the summary tables (and area and club names), which change when
``reports.summary`` recomputes them. Each province has its own version, moved on when
summaries of its clubs or areas are written; the whole country's dashboard has one moved on
by every change; a rebuild of everything moves an epoch that all versions carry. So a
cached dashboard is never older than its figures, and a write in one commune does not make
every other province's dashboards cold. The time limit (``ISHC_DASHBOARD_CACHE_SECONDS``)
covers renamed clubs and areas. Staff of a province open the same few dashboards all day:
one rendering serves them all.

A cold dashboard is rendered once: the first request takes a short lock in the cache
(``render_once``) while the others wait for its rendering instead of computing the same
figures side by side. When the cache is unreachable nobody waits. Where the caller keeps
the last drawing of the same dashboard (``stale_key``: what it varies on except the
version), the others do not wait either: they are shown that drawing, at most one refresh
of the summaries old, while the first request draws the new one. Under load a request that
waits holds a worker that others queue for (docs/performance.md, "CPU per request").
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key

T = TypeVar("T")

VERSION_KEY = "reports:summaries-version"  # the whole country's dashboards
EPOCH_KEY = "reports:summaries-epoch"  # moved by a rebuild of everything
PROVINCE_KEY = "reports:summaries-version:%s"
LOCK_KEY = "reports:rendering:%s"
# How long a request waits for another one rendering the same dashboard, and how long a
# lock lives if its holder dies.
WAIT_SECONDS = 8.0
LOCK_SECONDS = 30
POLL_SECONDS = 0.05
# How long the last drawing of a dashboard is kept to be shown while the next is drawn.
STALE_SECONDS = 600


def _fresh() -> int:
    return int(time.time() * 1000)


def _versions(keys: list[str]) -> list[int]:
    """The values of ``keys``, each started from the clock when the cache lost it."""
    found = cache.get_many(keys)
    values = []
    for key in keys:
        value = found.get(key)
        if value is None:
            cache.add(key, _fresh(), timeout=None)
            value = cache.get(key)
        values.append(int(value or 0))
    return values


def summaries_version(province_id: int | None = None) -> str:
    """The version of a province's summaries (``None``: the whole country's)."""
    if province_id is None:
        epoch, version = _versions([EPOCH_KEY, VERSION_KEY])
    else:
        epoch, version = _versions([EPOCH_KEY, PROVINCE_KEY % province_id])
    return f"{epoch}.{version}"


def _move(key: str) -> None:
    # Not in the cache: the next reader starts a new version.
    with contextlib.suppress(ValueError):
        cache.incr(key)


def summaries_changed(province_ids: Iterable[int | None] | None = None) -> None:
    """Called after summary rows were written: the dashboards of those provinces (and the
    country's) are out of date; with no provinces given, every dashboard is."""
    if province_ids is None:
        _move(EPOCH_KEY)
    else:
        for pk in {p for p in province_ids if p is not None}:
            _move(PROVINCE_KEY % pk)
    _move(VERSION_KEY)


def dashboard_key(*parts: object) -> tuple[str, str]:
    """The ``{% cache %}`` variable of a dashboard (what it varies on) and the key the
    fragment is stored under."""
    vary = ":".join(str(p) for p in parts)
    return vary, make_template_fragment_key("dashboard", [vary])


def render_once(
    fragment_key: str,
    render: Callable[[], T],
    *,
    stale_key: str | None = None,
    render_stale: Callable[[str], T] | None = None,
) -> T:
    """``render()``, the request that draws and caches the fragment ``fragment_key``; when
    another request is already drawing it, wait (up to ``WAIT_SECONDS``) for its fragment and
    render from the cache. Single flight per dashboard, not a queue: a holder that dies
    leaves a lock that expires, and a cache that cannot be reached makes no one wait.

    With ``stale_key``, the fragment a drawing made is also kept there (``STALE_SECONDS``),
    and a request that finds the fragment being drawn gets ``render_stale(that copy)`` at once
    instead of waiting, when there is one."""
    if cache.get(fragment_key) is not None:
        return render()
    lock = LOCK_KEY % fragment_key
    if cache.add(lock, 1, timeout=LOCK_SECONDS):
        try:
            result = render()
        finally:
            cache.delete(lock)
        if stale_key is not None and (drawn := cache.get(fragment_key)) is not None:
            cache.set(stale_key, drawn, STALE_SECONDS)
        return result
    if stale_key is not None and render_stale is not None:
        previous = cache.get(stale_key)
        if previous is not None:
            return render_stale(previous)
    deadline = time.monotonic() + WAIT_SECONDS
    # The lock is not visible either: the cache is unreachable or the holder just finished.
    while cache.get(lock) is not None and time.monotonic() < deadline:
        if cache.get(fragment_key) is not None:
            break
        time.sleep(POLL_SECONDS)
    return render()
