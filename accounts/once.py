"""Every write once: a form that creates or moves something is answered once per key.

The form carries a hidden ``once_key`` (a UUID drawn with the form, ``{% once_field %}``; an
offline sender may supply its own). ``once`` inserts the key's row first and runs the service
in the same transaction: the unique key decides a race, and a repeat of the same form (a
double tap, "back" then resubmit, a retry) writes nothing and is answered like the first post:
the same message, the same page. A post without a key is written as before; a malformed key
is refused.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from accounts.models import IdempotencyKey
from config.ui import constraint_refusal, errors_to_form

T = TypeVar("T")

FIELD = "once_key"


def offline_state_texts() -> dict[str, str]:
    """What ``static/js/offline.js`` says of a draft kept on a phone, the same on every form
    it keeps (the record sheet, the dues quick entry), in the user's language."""
    return {
        "draft": _("Saved on this phone — not sent"),
        "sending": _("Sending…"),
        "sent": _("Sent at %(time)s"),
        "error": _("Error — needs fixing"),
        "restored": _("Restored from this phone: changed at %(time)s, not sent yet."),
        "retry": _("Send again"),
        "mine": _("On this phone"),
        "theirs": _("On the server"),
        "keep_theirs": _("Take the server's"),
    }


def new_key() -> str:
    """A fresh key for a form being drawn."""
    return str(uuid.uuid4())


def posted_key(request: HttpRequest) -> uuid.UUID | None:
    """The key the form was sent with; ``None`` when it has none. A key that is not a UUID is
    a broken or forged form (400)."""
    raw = request.POST.get(FIELD, "").strip()
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise SuspiciousOperation("Malformed form key.") from exc


def _answer(request: HttpRequest, message: str, url: str) -> HttpResponse:
    if message:
        messages.success(request, message)
    return redirect(url)


def once(
    request: AuthenticatedHttpRequest,
    *,
    save: Callable[[], T],
    success: str | Callable[[T], str],
    next_url: str | Callable[[T], str],
) -> HttpResponse:
    """Run ``save`` (one service call) once per form key and answer with ``success`` and a
    redirect to ``next_url``; a repeat of the key gets the first answer and writes nothing.
    A refusal of the service (``ValidationError``) rolls the key back with the write, so the
    corrected form can be sent again; the caller shows it on the form."""
    key = posted_key(request)
    if key is None:
        result = _saved(save)
        return _answer(request, _text(success, result), _text(next_url, result))
    try:
        with transaction.atomic():
            try:
                # The key first: a second writer with the same key waits here on the unique
                # index until the first commits, then fails and reads the first answer.
                with transaction.atomic():
                    row = IdempotencyKey.objects.create(key=key, user=request.user)
            except IntegrityError:
                raise _Repeat from None
            result = _saved(save)
            row.result_message = _text(success, result)[:500]
            row.result_url = _text(next_url, result)[:500]
            row.save(update_fields=["result_message", "result_url"])
    except _Repeat:
        first = IdempotencyKey.objects.filter(key=key, user=request.user).first()
        if first is None:
            raise SuspiciousOperation("Form key used by someone else.") from None
        return _answer(request, first.result_message, first.result_url)
    return _answer(request, row.result_message, row.result_url)


def repeat_answer(request: AuthenticatedHttpRequest) -> HttpResponse | None:
    """The first answer when this form's key was already used by the user, else ``None``.

    For a write whose object is gone after the first post (a delete): the view asks this
    before fetching the object, so a double tap is answered like the first one, not with a
    404."""
    key = posted_key(request) if request.method == "POST" else None
    if key is None:
        return None
    first = IdempotencyKey.objects.filter(key=key, user=request.user).first()
    if first is None:
        return None
    return _answer(request, first.result_message, first.result_url)


def _saved(save: Callable[[], T]) -> T:
    """``save()``; a write the database refused by one of the models' constraints (two people
    at once) is that constraint's own message, shown on the form like any refusal."""
    try:
        return save()
    except IntegrityError as exc:
        refusal = constraint_refusal(exc)
        if refusal is None:
            raise
        raise refusal from exc


class _Repeat(Exception):
    """The key was used before."""


def _text(value: str | Callable[[Any], str], result: Any) -> str:
    return str(value(result) if callable(value) else value)


def form_page(
    request: AuthenticatedHttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[], T],
    success: str | Callable[[T], str],
    next_url: str | Callable[[T], str],
    template: str = "components/form_page.html",
    **context: Any,
) -> HttpResponse:
    """``config.ui.form_page`` for a form that creates or moves something: the write runs
    ``once`` per form key."""
    if request.method == "POST" and form.is_valid():
        try:
            return once(request, save=save, success=success, next_url=next_url)
        except ValidationError as exc:
            errors_to_form(form, exc)
    return render(request, template, {"form": form, **context})


def keys_prune(*, days: int | None = None) -> int:
    """Forget the keys older than ``ISHC_IDEMPOTENCY_KEY_DAYS``: a form posted again after
    that long is a new act, and the table stays small. Returns how many keys went."""
    keep = settings.ISHC_IDEMPOTENCY_KEY_DAYS if days is None else days
    cutoff = timezone.now() - datetime.timedelta(days=keep)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
