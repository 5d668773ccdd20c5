"""Rendered dashboards are kept in the cache, keyed by the summaries' version.

A dashboard reads only the summary tables (and area and club names), which change when
``reports.summary`` recomputes them: every recompute moves the version on, so a cached
dashboard is never older than its figures; the time limit
(``ISHC_DASHBOARD_CACHE_SECONDS``) covers renamed clubs and areas. Staff of a province open
the same few dashboards all day: one rendering serves them all.
"""

from __future__ import annotations

import contextlib
import time

from django.core.cache import cache

VERSION_KEY = "reports:summaries-version"


def summaries_version() -> int:
    """The current version (a new one, from the clock, when the cache lost it)."""
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
        value = cache.get(VERSION_KEY)
    return int(value or 0)


def summaries_changed() -> None:
    """Called after summary rows were written: cached dashboards are out of date."""
    # Not in the cache: the next reader starts a new version.
    with contextlib.suppress(ValueError):
        cache.incr(VERSION_KEY)
