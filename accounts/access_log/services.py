"""Writing the access log, and deleting what is older than the retention period."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts import privacy
from accounts.models import SensitiveAccess
from clubs.models import Club

if TYPE_CHECKING:
    from accounts.scoping import Viewer


def access_log_write(
    *, user: Viewer, path: str, notes: list[privacy.AccessNote]
) -> list[SensitiveAccess]:
    """The rows of one request's notes, saved with one INSERT (none when there is nothing to
    write). A note is dropped when ``user`` may not see its category (a viewer was shown none
    of it) or its list showed nobody; the same subject noted twice is written once.

    No query per person shown: counts come from what the page fetched, the owner's club and
    province from the objects the page loaded; clubs only known by their id have their
    province looked up together, in one query.
    """
    if user is None or not user.is_authenticated:
        return []
    now = timezone.now()
    rows: list[SensitiveAccess] = []
    seen: set[tuple[Any, ...]] = set()
    for note in notes:
        if not privacy.may_see(user, note.category):
            continue
        row = _row(note)
        if row is None:
            continue
        key = (row.content_type_id, row.object_id, row.category, row.kind)
        if key in seen:
            continue
        seen.add(key)
        row.user_id = user.pk
        row.at = now
        row.path = path[: SensitiveAccess._meta.get_field("path").max_length]
        rows.append(row)
    missing = {row.club_id for row in rows if row.club_id and not row.province_id}
    if missing:
        provinces = dict(Club.objects.filter(pk__in=missing).values_list("pk", "province_id"))
        for row in rows:
            if row.club_id in provinces and not row.province_id:
                row.province_id = provinces[row.club_id]
    if rows:
        # A savepoint when the request runs inside a transaction: a failed INSERT must not
        # spoil it for what comes after (the session is saved later in the response).
        with transaction.atomic():
            SensitiveAccess.objects.bulk_create(rows)
    return rows


def access_log_prune(*, days: int | None = None, now: datetime.datetime | None = None) -> int:
    """Deletes the rows older than ``days`` (``ISHC_ACCESS_LOG_DAYS``) and says how many.
    Safe to run twice: the second run finds nothing."""
    days = settings.ISHC_ACCESS_LOG_DAYS if days is None else days
    if days < 1:
        raise ValueError("The access log is kept at least one day (ISHC_ACCESS_LOG_DAYS).")
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    # One DELETE ... WHERE at < cutoff on the index on ``at``: nothing points at these rows.
    deleted, _by_model = SensitiveAccess.objects.filter(at__lt=cutoff).delete()
    return deleted


def describe(note: privacy.AccessNote) -> str:
    """A note in a server log line: the model and id of its subject, never a name."""
    subject = note.subject
    if isinstance(subject, str):
        what = subject
    elif isinstance(subject, QuerySet):
        what = f"list of {subject.model._meta.label}"
    else:
        what = f"{subject._meta.label} #{subject.pk}"
    return f"{what} {note.category} {note.kind}"


# --- One note, one row ------------------------------------------------------------------------


def _row(note: privacy.AccessNote) -> SensitiveAccess | None:
    subject = note.subject
    object_id = club_id = province_id = None
    if isinstance(subject, str):
        model: type[models.Model] = apps.get_model(subject)
    elif isinstance(subject, QuerySet):
        model = subject.model
    else:
        model = type(subject)
        object_id = subject.pk
        club_id, province_id = _place(subject)
    count = _count(note)
    if count == 0:
        return None  # a list that shows nobody
    return SensitiveAccess(
        kind=note.kind,
        category=note.category.value,
        content_type=ContentType.objects.get_for_model(model),
        object_id=object_id,
        count=count,
        club_id=club_id,
        province_id=province_id,
    )


def _count(note: privacy.AccessNote) -> int | None:
    """How many people the note's page showed, without fetching them again."""
    count = note.people
    subject = note.subject
    if count is None:
        if isinstance(subject, QuerySet):
            count = subject
        elif isinstance(subject, models.Model):
            # A person's own page (the declaration lists their model); a list's owner says
            # nothing of its size.
            return 1 if subject._meta.label in privacy.PERSONAL_FIELDS else None
        else:
            return None
    if isinstance(count, int):
        return count
    if isinstance(count, Page):
        # From the paginator's count, known since the page was cut: len() would fetch a page
        # the template did not draw.
        if not count.paginator.count:
            return 0
        return count.end_index() - count.start_index() + 1
    if isinstance(count, QuerySet):
        return count.count()  # the fetched rows when the page drew them; else one COUNT
    return len(count)


def _place(obj: models.Model) -> tuple[int | None, int | None]:
    """(club id, province id) of what an object belongs to, through the door's declaration
    (``scope_club_path``, ``scope_area_path``): the row is read by the staff of that province.
    The province is None when only the club's id is at hand (looked up for the request)."""
    model = type(obj)
    club_path: str | None = getattr(model, "scope_club_path", None)
    if club_path is not None:
        club, club_id = _reach(obj, club_path)
        if club_id is not None:
            return club_id, (cast(Club, club).province_id if club is not None else None)
    area_path: str | None = getattr(model, "scope_area_path", None)
    if area_path is not None:
        area, _area_id = _reach(obj, area_path, load=True)
        if area is not None:
            # A province's own ``province`` is empty: it is its own province.
            return None, getattr(area, "province_id", None) or area.pk
    return None, None


def _reach(
    obj: models.Model, path: str, *, load: bool = False
) -> tuple[models.Model | None, int | None]:
    """The object at the end of a lookup path ("club", "fund__club", "" for ``obj`` itself)
    and its id. The last step is followed only if the page loaded it (or ``load``); the steps
    before it are loaded if need be (one query for this note, never one per person)."""
    if not path:
        return obj, obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        nxt = getattr(obj, hop)
        if nxt is None:
            return None, None
        obj = nxt
    field = cast("models.ForeignKey[Any, Any]", obj._meta.get_field(last))
    target_id = getattr(obj, field.attname)
    if target_id is None:
        return None, None
    if load or field.is_cached(obj):
        return getattr(obj, last), target_id
    return None, target_id
