"""When a reminder falls due, and the quiet hours in which nothing is sent."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone


def _parse_hhmm(text: str) -> datetime.time:
    hours, minutes = text.strip().split(":")
    return datetime.time(int(hours), int(minutes))


def quiet_hours() -> tuple[datetime.time, datetime.time] | None:
    """(start, end) local times of the quiet period, or None when disabled ("" or "off")."""
    value = (settings.ISHC_QUIET_HOURS or "").strip().lower()
    if value in ("", "off", "none"):
        return None
    start, end = value.split("-")
    return _parse_hhmm(start), _parse_hhmm(end)


def in_quiet_hours(moment: datetime.datetime) -> bool:
    window = quiet_hours()
    if window is None:
        return False
    start, end = window
    local = timezone.localtime(moment).time()
    if start <= end:
        return start <= local < end
    return local >= start or local < end  # the window spans midnight


def quiet_hours_end(moment: datetime.datetime) -> datetime.datetime:
    """The first moment at or after ``moment`` outside the quiet hours."""
    window = quiet_hours()
    if window is None or not in_quiet_hours(moment):
        return moment
    _start, end = window
    local = timezone.localtime(moment)
    candidate = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate += datetime.timedelta(days=1)
    return candidate


def due_at(meeting_start: datetime.datetime, lead_days: int) -> datetime.datetime:
    """A reminder for a meeting falls due ``lead_days`` before it, at the configured hour.

    If that moment is already after the meeting (a same-day lead time), it falls due two hours
    before the meeting instead.
    """
    local = timezone.localtime(meeting_start)
    day = local.date() - datetime.timedelta(days=lead_days)
    due = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(settings.ISHC_REMINDER_SEND_HOUR)),
        timezone.get_current_timezone(),
    )
    if due >= meeting_start:
        due = meeting_start - datetime.timedelta(hours=2)
    return due


def is_stale(due: datetime.datetime, now: datetime.datetime) -> bool:
    return now - due > datetime.timedelta(hours=settings.ISHC_REMINDER_MAX_AGE_HOURS)
