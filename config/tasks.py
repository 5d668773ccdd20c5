"""Sending Celery tasks from a request without making the broker a reason for an error page.

Work is recorded in the database first (an outbox row, a job with a status) and the task only
says "look at it now". If the broker cannot be reached when the transaction commits, the page
still answers: the failure is logged, and the periodic sweep that looks for that work in the
database finds it (reminders: ``reminders.dispatch``; member imports:
``members.fail_stale_imports``, after which the job can be run again).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task: Task, *args: Any) -> bool:
    """``task.delay(*args)``; False (and a log line) when the broker cannot be reached."""
    try:
        task.delay(*args)
    except Exception:  # kombu's OperationalError, redis' ConnectionError, a timeout …
        logger.exception(
            "could not send task %s%r: the broker is unreachable; the periodic sweep will find "
            "the work in the database",
            task.name,
            args,
        )
        return False
    return True


def enqueue_on_commit(task: Task, *args: Any) -> None:
    """Sends the task once the current transaction commits (never for a rolled-back one)."""
    transaction.on_commit(lambda: enqueue(task, *args))


__all__ = ["enqueue", "enqueue_on_commit"]
