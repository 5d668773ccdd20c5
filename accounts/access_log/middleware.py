"""Writes the accesses a request noted once its response is ready."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from accounts import privacy
from accounts.access_log.services import access_log_write, describe

logger = logging.getLogger(__name__)


class AccessLogMiddleware:
    """After the view: the notes of ``privacy.note_access`` become rows, in one INSERT, when
    the page or file was served (a 2xx answer to anything but HEAD). A redirect, a refusal or
    an error showed nobody anything.

    A log that cannot be written does not take the page back. The page is already produced;
    refusing it would keep a leader from the readings at the meeting over a fault in the
    bookkeeping, and a database that cannot take the row usually failed the page already.
    Instead the error goes to the server log with who, which page and whose data (ids, never
    names), so the access stays on record there and the failure is seen and fixed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        notes: list[privacy.AccessNote] | None = request.__dict__.pop(privacy.ACCESS_NOTES, None)
        if notes and request.method != "HEAD" and 200 <= response.status_code < 300:
            try:
                access_log_write(user=request.user, path=request.path, notes=notes)
            except Exception:
                logger.exception(
                    "Access log not written: user %s, %s, %s",
                    getattr(request.user, "pk", None),
                    request.path,
                    "; ".join(describe(note) for note in notes),
                )
        return response
