"""Background work of the accounts app.

- ``prune_access_log`` (daily, django-celery-beat, migration 0005): delete the rows of the
  access log older than ``ISHC_ACCESS_LOG_DAYS``;
- ``prune_idempotency_keys`` (daily, migration 0007): forget the write-once keys older than
  ``ISHC_IDEMPOTENCY_KEY_DAYS``.
"""

from __future__ import annotations

from celery import shared_task

from accounts.access_log.services import access_log_prune
from accounts.once import keys_prune


@shared_task(name="accounts.tasks.prune_access_log", time_limit=600, soft_time_limit=570)
def prune_access_log() -> int:
    return access_log_prune()


@shared_task(name="accounts.tasks.prune_idempotency_keys", time_limit=600, soft_time_limit=570)
def prune_idempotency_keys() -> int:
    return keys_prune()
