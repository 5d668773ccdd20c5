"""Data built once and read by every test of a module (Django's setUpTestData, for pytest)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import connection, transaction

T = TypeVar("T")


def loaded_for_the_module(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """For a module-scoped fixture: `yield from loaded_for_the_module(django_db_blocker, build)`.

    `build()` runs once, inside a transaction left open while the module's tests run. Each
    test's own transaction is a savepoint in it, so what a test writes is rolled back to the
    built data; when the module ends the whole transaction is rolled back, and no test of
    another module ever sees the rows. Mark the module `xdist_group`: one worker then runs all
    its tests in a row, in its own database; otherwise `--dist loadgroup` spreads them, and
    every worker, and every return to the module after another one, builds it again. Not for
    transactional tests: their flush would empty the tables under the open transaction.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            value = build()
            # Deferred foreign-key checks run now, once: left pending they would run again at
            # the end of every test (rolling back a test's savepoint puts them back).
            connection.check_constraints()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield value
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
