"""Per-request checks of a signed-in session: its idle time, and a second step still due.

Both read only what the session and the signed-in user already hold (no query of their own on
an ordinary page), and do nothing for a request without a signed-in session.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django_htmx.http import HttpResponseClientRedirect

from accounts import sessions, two_factor
from accounts.models import User

# The pages a session may open while a second step is due: the step's own page, signing out
# and the language switch.
_STEP_PAGES = {two_factor.VERIFY: "two_factor_verify", two_factor.ENROLL: "two_factor_enroll"}
_ALWAYS_OPEN = {"logout", "set_language"}


def _signed_in_user(request: HttpRequest) -> User | None:
    if SESSION_KEY not in request.session:
        return None
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


class SessionIdleMiddleware:
    """Moves a signed-in session's expiry on (``accounts.sessions``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = _signed_in_user(request)
        if user is not None:
            sessions.session_refresh(session=request.session, user=user)
        return self.get_response(request)


class TwoFactorMiddleware:
    """Sends a session that still owes its second step to that step's page, from any other
    page, the admin included (``accounts.two_factor``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = _signed_in_user(request)
        step = two_factor.pending_step(session=request.session, user=user) if user else None
        if step is not None and _url_name(request) not in {_STEP_PAGES[step], *_ALWAYS_OPEN}:
            url = reverse(_STEP_PAGES[step])
            if request.headers.get("HX-Request"):
                return HttpResponseClientRedirect(url)  # the whole page, not a fragment
            if request.method == "GET":
                url += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(url)
        return self.get_response(request)


def _url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None
