"""What every sign-in does to its session, whichever page signed in: the login page, the
admin's, or a test's ``force_login``. Django's ``user_logged_in`` signal is the one place they
all pass, hence a receiver rather than a call from a view."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts import sessions, two_factor
from accounts.models import User


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is None or not isinstance(user, User):
        return
    sessions.session_start(session=session, user=user)
    two_factor.session_signed_in(session=session, user=user)
