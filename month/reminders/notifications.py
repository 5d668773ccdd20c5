"""Sending the notifications (``accounts.models.Notification``) whose users chose an SMS or
an e-mail, with the reminders' channels, quiet hours, retries with backoff and
claim-before-send (docs/reminders.md, docs/notifications.md): a row is claimed
(``pending -> sending``, a conditional UPDATE) before the provider is called and its outcome
written at once, so a notification is sent once, and a worker that dies leaves one row that
the next sweep releases and sends again with the same key. The sweep runs every minute with
the reminders' (``reminders.dispatch`` enqueues ``notifications.send``).
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import Notification
from month.reminders import timing
from month.reminders.channels import DeliveryError, channel_for, sms_fits, sms_text
from month.reminders.services import backoff

logger = logging.getLogger(__name__)

SUBJECT = "ISHC: thông báo"
# How many notifications one sweep sends at most; the rest waits for the next minute.
SWEEP_LIMIT = 500


def _due(qs: QuerySet[Notification], now: datetime.datetime) -> QuerySet[Notification]:
    return qs.filter(delivery=Notification.Delivery.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def _sms_body(text: str) -> str:
    """The SMS: the text as the gateway needs it, cut to one message (the whole text is in
    the app, under the bell)."""
    body = sms_text(text)
    if sms_fits(body):
        return body
    limit = settings.ISHC_SMS_MAX_LENGTH
    if not body.isascii():
        limit = min(limit, settings.ISHC_SMS_MAX_LENGTH_UNICODE)
    return body[: limit - 3].rstrip() + "..."


def _deliver(note: Notification, now: datetime.datetime) -> dict[str, object]:
    """Hand one claimed notification to its channel; returns the outcome's fields."""
    if timing.in_quiet_hours(now):
        return {
            "delivery": Notification.Delivery.PENDING,
            "attempts": note.attempts - 1,  # waiting is not an attempt
            "next_attempt_at": timing.quiet_hours_end(now),
            "last_error": gettext_noop("quiet hours: waiting for the morning"),
        }
    text = note.text
    if note.channel == "sms":
        text = _sms_body(text)
    else:
        text = f"{text}\n\n{settings.ISHC_SITE_URL.rstrip('/')}{note.url}"
    try:
        provider_id = channel_for(note.channel).send(
            to=note.address, text=text, subject=SUBJECT, key=f"notification-{note.pk}"
        )
    except DeliveryError as exc:
        error = str(exc)[:500]
        if exc.temporary and note.attempts < settings.ISHC_REMINDER_MAX_ATTEMPTS:
            return {
                "delivery": Notification.Delivery.PENDING,
                "next_attempt_at": now + backoff(note.attempts),
                "last_error": error,
            }
        return {"delivery": Notification.Delivery.FAILED, "last_error": error}
    except Exception as exc:  # an unexpected bug: keep the reason, never lose the row
        logger.exception("notification %s failed unexpectedly", note.pk)
        return {"delivery": Notification.Delivery.FAILED, "last_error": repr(exc)[:500]}
    return {
        "delivery": Notification.Delivery.SENT,
        "sent_at": timezone.now(),
        "provider_id": provider_id[:100],
        "last_error": "",
    }


def release_interrupted(now: datetime.datetime) -> int:
    """Rows left 'sending' by a worker that died go back to 'pending' to be retried."""
    cutoff = now - datetime.timedelta(minutes=settings.ISHC_REMINDER_SENDING_TIMEOUT_MINUTES)
    return Notification.objects.filter(
        delivery=Notification.Delivery.SENDING, sending_started_at__lt=cutoff
    ).update(
        delivery=Notification.Delivery.PENDING,
        last_error=gettext_noop("interrupted while sending; retried"),
    )


def notifications_send_due(*, now: datetime.datetime | None = None) -> Counter[str]:
    """Send every due notification, one row at a time (claim, send, record); returns the
    count of each outcome."""
    now = now or timezone.now()
    release_interrupted(now)
    result: Counter[str] = Counter()
    ids = list(
        _due(Notification.objects.all(), now)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    for pk in ids:
        claimed = _due(Notification.objects.filter(pk=pk), now).update(
            delivery=Notification.Delivery.SENDING,
            attempts=F("attempts") + 1,
            sending_started_at=now,
        )
        if not claimed:
            continue  # another worker took it
        note = Notification.objects.get(pk=pk)
        outcome = _deliver(note, now)
        Notification.objects.filter(pk=pk, delivery=Notification.Delivery.SENDING).update(**outcome)
        result[str(outcome["delivery"])] += 1
    return result


__all__ = ["notifications_send_due", "release_interrupted"]
