"""Celery tasks: thin, id-based and safe to run twice (the outbox decides what is sent)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from config.tasks import enqueue
from month.models import Reminder
from month.reminders import services
from month.reminders.notifications import notifications_send_due

BATCH = services.BATCH


@shared_task(name="reminders.plan", ignore_result=True, soft_time_limit=600, time_limit=660)
def plan_meeting_reminders() -> int:
    """Periodic: create the missing reminders, then hand out what is due."""
    result = services.reminders_plan()
    dispatch_due_reminders.delay()
    return result.created


@shared_task(name="reminders.dispatch", ignore_result=True)
def dispatch_due_reminders() -> int:
    """Periodic sweep: retry interrupted sends and enqueue every due pending reminder.

    This is what makes the outbox the source of truth: a task lost with the broker is simply
    enqueued again here.
    """
    services.release_interrupted()
    ids = services.due_ids()
    for start in range(0, len(ids), BATCH):
        send_reminder_batch.delay(ids[start : start + BATCH])
    # The notifications' outbox is swept on the same beat (docs/notifications.md).
    enqueue(send_notifications)
    return len(ids)


@shared_task(name="reminders.send_batch", ignore_result=True, acks_late=True)
def send_reminder_batch(reminder_ids: list[int]) -> dict:
    """Sends a batch; what must wait (backoff, quiet hours) is picked up by the next sweep."""
    return dict(services.send_batch(reminder_ids).counts)


@shared_task(name="reminders.send", ignore_result=True, acks_late=True)
def send_meeting_reminder(reminder_id: int) -> str:
    return _send_one(reminder_id)


def _send_one(reminder_id: int) -> str:
    status = services.reminder_send(reminder_id)
    if status == Reminder.Status.PENDING:
        # A temporary failure or quiet hours: come back when the row says so.
        reminder = Reminder.objects.only("next_attempt_at").get(pk=reminder_id)
        if reminder.next_attempt_at and not settings.CELERY_TASK_ALWAYS_EAGER:
            send_meeting_reminder.apply_async((reminder_id,), eta=reminder.next_attempt_at)
    return status


@shared_task(name="notifications.send", ignore_result=True, soft_time_limit=240, time_limit=300)
def send_notifications() -> dict[str, int]:
    """Send the notifications due by SMS or e-mail (``month.reminders.notifications``); run
    every minute by the sweep above. Safe to run twice: each row is claimed before sending."""
    return dict(notifications_send_due())
