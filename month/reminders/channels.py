"""Delivery channels behind one small interface: ``channel.send(to=…, text=…) -> provider id``.

A channel raises ``TemporaryError`` for failures worth retrying (timeouts, 5xx, connection
errors) and ``PermanentError`` for those that are not (4xx, a bad number). SMS goes to the
console/log backend by default, or to an HTTP gateway configured by settings; e-mail uses
Django's e-mail backends.
"""

from __future__ import annotations

import json
import logging
import smtplib
import threading
import time
import uuid
from email.utils import parseaddr
from typing import Protocol

import requests
from django.conf import settings
from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    temporary = False


class TemporaryError(DeliveryError):
    temporary = True


class PermanentError(DeliveryError):
    temporary = False


class Channel(Protocol):
    def send(self, *, to: str, text: str, subject: str = "", key: str = "") -> str:
        """Deliver ``text``; ``key`` identifies the message so a retried call is not a second
        message where the provider supports it. Returns the provider's message id."""
        ...


def sms_text(text: str) -> str:
    """The SMS body as the gateway needs it: without diacritics unless configured otherwise."""
    if settings.ISHC_SMS_STRIP_DIACRITICS:
        # fold() lower-cases; keep the case, only drop the marks (đ -> d, Ư -> U).
        from unidecode import unidecode

        text = unidecode(text)
    return text


def sms_fits(text: str) -> bool:
    """Whether the text fits the configured SMS length (160 GSM characters, 70 with accents)."""
    limit = settings.ISHC_SMS_MAX_LENGTH
    if not text.isascii():
        limit = min(limit, settings.ISHC_SMS_MAX_LENGTH_UNICODE)
    return len(text) <= limit


class ConsoleSmsBackend:
    """Writes each SMS to the log (and, if set, appends a JSON line to ISHC_SMS_CONSOLE_FILE).

    ``sent`` keeps the messages of this process so tests can count deliveries.
    """

    sent: list[dict] = []
    _by_key: dict[str, str] = {}
    _lock = threading.Lock()

    def send(self, *, to: str, text: str, subject: str = "", key: str = "") -> str:
        with self._lock:
            previous = self._already_sent(key)
            if previous:
                logger.info("SMS %s was already delivered as %s; not sent again", key, previous)
                return previous
            provider_id = f"console-{uuid.uuid4().hex[:12]}"
            record = {"to": to, "text": text, "id": provider_id, "key": key}
            ConsoleSmsBackend.sent.append(record)
            if key:
                ConsoleSmsBackend._by_key[key] = provider_id
            path = settings.ISHC_SMS_CONSOLE_FILE
            if path:
                with open(path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                    fh.flush()
        if settings.ISHC_SMS_CONSOLE_DELAY:
            # Simulates a slow provider (used to test a worker dying mid-send).
            time.sleep(settings.ISHC_SMS_CONSOLE_DELAY)
        logger.info("SMS to %s: %s", to, text)
        return provider_id

    @staticmethod
    def _already_sent(key: str) -> str:
        """Like a real gateway's client reference: the same key is delivered once."""
        if not key:
            return ""
        if key in ConsoleSmsBackend._by_key:
            return ConsoleSmsBackend._by_key[key]
        path = settings.ISHC_SMS_CONSOLE_FILE
        if path:
            try:
                with open(path, encoding="utf-8") as fh:
                    for line in fh:
                        record = json.loads(line)
                        if record.get("key") == key:
                            return record["id"]
            except FileNotFoundError:
                pass
        return ""


class HttpSmsBackend:
    """POSTs ``{"to", "text", "sender", "reference"}`` as JSON with a bearer token."""

    def send(self, *, to: str, text: str, subject: str = "", key: str = "") -> str:
        url = settings.ISHC_SMS_GATEWAY_URL
        if not url:
            raise PermanentError("ISHC_SMS_GATEWAY_URL is not set")
        headers = {"Content-Type": "application/json"}
        if settings.ISHC_SMS_GATEWAY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.ISHC_SMS_GATEWAY_TOKEN}"
        payload = {"to": to, "text": text, "sender": settings.ISHC_SMS_SENDER}
        if key:
            payload["reference"] = key
        try:
            response = requests.post(
                url, json=payload, headers=headers, timeout=settings.ISHC_SMS_GATEWAY_TIMEOUT
            )
        except requests.Timeout as exc:
            raise TemporaryError(
                f"gateway timed out after {settings.ISHC_SMS_GATEWAY_TIMEOUT}s"
            ) from exc
        except requests.RequestException as exc:
            raise TemporaryError(f"gateway unreachable: {exc.__class__.__name__}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise TemporaryError(f"gateway answered {response.status_code}: {response.text[:200]}")
        duplicate = response.status_code == 409 and bool(key)
        if response.status_code >= 400 and not duplicate:
            raise PermanentError(f"gateway refused ({response.status_code}): {response.text[:200]}")
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        if duplicate or body.get("duplicate"):
            # The gateway already accepted a message with this reference (a send retried after
            # a crash): it was delivered once, and that is the outcome to record.
            logger.info("SMS %s was already accepted by the gateway; not sent again", key)
        return str(body.get("id") or body.get("message_id") or "")


def message_id(key: str) -> str:
    """``<key@domain of DEFAULT_FROM_EMAIL>``: the same for every attempt of one reminder, so a
    repeat is the same message to the servers and mail programs that collapse duplicates."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{key}@{domain}>"


class EmailChannel:
    """Django's e-mail backend (SMTP in production). SMTP has no idempotency key: the
    Message-ID derived from ``key`` is the closest thing (docs/reminders.md, "Exactly once")."""

    def send(self, *, to: str, text: str, subject: str = "", key: str = "") -> str:
        if not to:
            raise PermanentError("no e-mail address")
        headers = {"Message-ID": message_id(key)} if key else {}
        message = EmailMessage(subject or text[:60], text, None, [to], headers=headers)
        try:
            message.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentError(f"e-mail address refused: {exc.recipients}"[:300]) from exc
        except smtplib.SMTPResponseException as exc:
            error = f"e-mail refused ({exc.smtp_code}): {exc.smtp_error!r}"[:300]
            if 500 <= exc.smtp_code < 600:
                raise PermanentError(error) from exc
            raise TemporaryError(error) from exc
        except OSError as exc:  # other SMTP and socket errors, timeouts
            raise TemporaryError(f"e-mail failed: {exc}") from exc
        return headers.get("Message-ID", "")


def sms_backend() -> Channel:
    name = settings.ISHC_SMS_BACKEND
    if name == "http":
        return HttpSmsBackend()
    if name == "console":
        return ConsoleSmsBackend()
    raise PermanentError(f"unknown SMS backend {name!r}")


def channel_for(kind: str) -> Channel:
    if kind == "email":
        return EmailChannel()
    return sms_backend()


__all__ = [
    "Channel",
    "ConsoleSmsBackend",
    "DeliveryError",
    "EmailChannel",
    "HttpSmsBackend",
    "PermanentError",
    "TemporaryError",
    "channel_for",
    "message_id",
    "sms_fits",
    "sms_text",
]
