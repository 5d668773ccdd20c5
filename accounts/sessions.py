"""How long a signed-in session lasts, and ending every session of a user.

**Idle timeout.** A session ends after ``ISHC_SESSION_IDLE_MINUTES`` without a request, or
``ISHC_SESSION_IDLE_MINUTES_LEADER`` for club leaders (``idle_seconds``). It is Django's own
session expiry: set at sign-in (``session_start``) and moved on by later requests
(``session_refresh``, from ``accounts.middleware``), so the session store (the database,
Redis) forgets the session and the browser drops its cookie. A request moves it on only when
the last move is ``REFRESH_SECONDS`` old or more: saving the session on every request
(``SESSION_SAVE_EVERY_REQUEST``) would write it, to the database too, on every page. The
session then ends between ``idle - REFRESH_SECONDS`` and ``idle`` after the last request.

**Every device.** ``User.session_generation`` is part of the hash each session keeps of its
user (``User.get_session_auth_hash``); Django ends a session whose hash no longer matches, so
moving the generation on (``sessions_end_all``) signs the user out everywhere at once.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

from accounts.models import Role, User
from accounts.scoping import effective_role

REFRESH_SECONDS = 60
# What the session remembers: when its expiry was last moved on, and the idle time it used.
SEEN_KEY = "ishc_seen"
IDLE_KEY = "ishc_idle"


def idle_seconds(user: User) -> int:
    """Staff and viewers work on shared office PCs: a short idle time. Club leaders sign in
    on their own phones and record a meeting over an afternoon: a working day."""
    if effective_role(user) == Role.CLUB_LEADER:
        return settings.ISHC_SESSION_IDLE_MINUTES_LEADER * 60
    return settings.ISHC_SESSION_IDLE_MINUTES * 60


def session_start(*, session: SessionBase, user: User) -> None:
    idle = idle_seconds(user)
    session.set_expiry(idle)
    session[IDLE_KEY] = idle
    session[SEEN_KEY] = int(time.time())


def session_refresh(*, session: SessionBase, user: User) -> None:
    """Moves the session's expiry on, at most once every ``REFRESH_SECONDS`` (and at once
    when the user's idle time changed: a new role, a session from before the limit)."""
    if (
        session.get(IDLE_KEY) != idle_seconds(user)
        or time.time() - session.get(SEEN_KEY, 0) >= REFRESH_SECONDS
    ):
        session_start(session=session, user=user)


def sessions_end_all(*, user: User) -> None:
    """Ends every session ``user`` has, on every device (this one too, unless the caller
    signs it in again with ``update_session_auth_hash``)."""
    user.session_generation += 1
    # save() rather than update(): saving drops the user cached between requests.
    user.save(update_fields=["session_generation"])
