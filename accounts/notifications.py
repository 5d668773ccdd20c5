"""Notifications: what waits for a user, under the bell and through their channel.

The apps that act call ``notify`` inside the transaction of the act (``month.services`` when
a report is submitted, returned, reviewed or approved; ``funds.services.loans`` when a loan is
requested), naming the users it concerns with ``club_leaders`` / ``area_staff``. Each user
gets one row per event (a unique key, so a repeated call adds nothing); a user who chose SMS
or e-mail has the row marked ``pending`` and ``month.notices`` sends it with the reminders'
channels, retries and quiet hours (docs/notifications.md).

The bell's count is kept on the user's row (``User.unread_notifications``), which every
request loads anyway: the top bar costs no query.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Replace
from django.utils import timezone, translation

from accounts.models import Notification, NotifyChannel, Role, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Notifications are written in the language of the app's users (the SMS and the row are the
# same text); the interface around them follows the reader's language.
TEXT_LANGUAGE = "vi"


def club_leaders(club_id: int, *, exclude: User | None = None) -> QuerySet[User]:
    """The active leaders (board members with an account) of a club."""
    qs = User.objects.filter(club_id=club_id, role=Role.CLUB_LEADER, is_active=True)
    return qs.exclude(pk=exclude.pk) if exclude is not None else qs


def area_staff(area_id: int | None, role: str) -> QuerySet[User]:
    """The active association staff of one area (``Role.COMMUNE`` or ``Role.PROVINCE``)."""
    if area_id is None:
        return User.objects.none()
    return User.objects.filter(area_id=area_id, role=role, is_active=True)


def _delivery(user: User) -> tuple[str, str, str]:
    """(delivery status, address, reason) for a new notification to ``user``."""
    if user.notify_channel == NotifyChannel.SMS:
        address = user.phone.strip()
    elif user.notify_channel == NotifyChannel.EMAIL:
        address = user.email.strip()
    else:
        return Notification.Delivery.NONE, "", ""
    if not address:
        return Notification.Delivery.SKIPPED, "", "no phone number or e-mail address"
    return Notification.Delivery.PENDING, address, ""


def notify(
    *,
    users: Iterable[User],
    kind: str,
    event: str,
    text: StrOrPromise,
    url: str,
) -> int:
    """Tell each of ``users`` that ``event`` happened (``text``, a link to ``url``); once per
    user and event. Returns how many notifications were added."""
    people = {u.pk: u for u in users}
    if not people:
        return 0
    with translation.override(TEXT_LANGUAGE):
        message = str(text)[:500]
    rows = []
    now = timezone.now()
    for user in people.values():
        delivery, address, reason = _delivery(user)
        rows.append(
            Notification(
                user=user,
                kind=kind,
                event=event[:100],
                text=message,
                url=url[:300],
                created_at=now,
                channel=user.notify_channel,
                address=address,
                delivery=delivery,
                last_error=reason,
            )
        )
    with transaction.atomic():
        before = Notification.objects.filter(user__in=people, event=event[:100]).count()
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        recount(people)
        added = Notification.objects.filter(user__in=people, event=event[:100]).count() - before
    return added


def recount(user_ids: Iterable[int]) -> None:
    """Set each user's bell count from their unread notifications (one UPDATE)."""
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    User.objects.filter(pk__in=list(user_ids)).update(
        unread_notifications=Coalesce(Subquery(unread), 0)
    )


def mark_read(*, user: User, pk: int | None = None) -> int:
    """Mark one of the user's notifications read (or all of them); returns how many."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    with transaction.atomic():
        count = qs.update(read_at=timezone.now())
        if count:
            recount([user.pk])
    user.refresh_from_db(fields=["unread_notifications"])
    return count


def for_user(user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first (nobody reads another's)."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


__all__ = [
    "area_staff",
    "club_leaders",
    "for_user",
    "mark_read",
    "notify",
    "recount",
]


def names_replace(*, old: str, new: str) -> int:
    """Replace a person's name wherever a notification's text carries it (a reviewer's
    comment may name a member): anonymising that person reaches the notifications too.
    Returns how many notifications changed."""
    if not old:
        return 0
    return Notification.objects.filter(text__contains=old).update(
        text=Replace("text", Value(old), Value(new))
    )
