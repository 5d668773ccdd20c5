"""Reading the access log: the rows a user may read, filtered for the log page."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import privacy, scoping
from accounts.models import SensitiveAccess

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User

CATEGORY_LABELS: dict[str, StrOrPromise] = {
    privacy.IDENTITY: _("identity"),
    privacy.CONTACT: _("contact details"),
    privacy.SENSITIVE: _("sensitive (ethnicity, health)"),
    privacy.HIGH_RISK: _("high risk (household, loans, care)"),
}

# Whose record a "who viewed this record" link asks about: a member of the register. Named by
# its content type, as the log names every subject: accounts stands below members.
PERSON = ("members", "member")


def may_read_access_log(user: User) -> bool:
    """Provincial staff (their province) and admins (everything)."""
    return scoping.is_province_role(user)


def access_log_person(*, viewer: User, pk: int) -> models.Model:
    """The member whose accesses are asked for, through the door: 404 outside the scope."""
    model = ContentType.objects.get_by_natural_key(*PERSON).model_class()
    if model is None:  # a content type left behind by a removed app
        raise Http404
    return scoping.get_for_user(model, viewer, pk=pk)


def access_log_entries(
    *,
    viewer: User,
    who: str = "",
    person: models.Model | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[SensitiveAccess]:
    """The rows ``viewer`` may read, newest first: a province's staff the rows of people of
    their province (one indexed column), admins every row. Filters: who looked (part of a
    user name or name), at whom (one person), between two days (both included).

    A page of rows costs its count, its rows (with user, club and object type) and one query
    per kind of subject on the page (members, clubs, meetings, …), whatever its length."""
    qs = scoping.for_user(SensitiveAccess, viewer)
    if who:
        qs = qs.filter(
            Q(user__username__icontains=who)
            | Q(user__first_name__icontains=who)
            | Q(user__last_name__icontains=who)
        )
    if person is not None:
        qs = qs.filter(
            content_type=ContentType.objects.get_for_model(type(person)), object_id=person.pk
        )
    if date_from:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    return (
        qs.select_related("user", "club", "content_type")
        .prefetch_related("subject")
        .order_by("-at", "-pk")
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
