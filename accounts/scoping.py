"""The one place that decides what a user may see and change.

Every view, form, export and admin page gets its querysets from here:

- ``clubs_for(user)`` and ``areas_for(user)`` are the two roots;
- ``for_user(Model, user)`` filters any club- or area-owned model. A model says how it hangs
  off a club or an area with ``scope_club_path`` (the lookup path to a ``Club``, "" for the club
  itself) and/or ``scope_area_path`` (the path to an owning ``Area``); an object reachable by
  either path is in scope. A model may add ``scope_extra_q(user)`` for a rule of its own, and
  ``scope_province_field`` when it keeps a copy of its club's province (provincial staff are
  then scoped on that column, which an index can serve), or ``scope_area_copies`` (the names
  of its province and commune fields) when it keeps copies of the province and the commune
  whose staff see it, whichever path it hangs off (association staff are then scoped on those
  columns alone);
- ``get_for_user(Model, user, pk=…, write=…)`` fetches one object: outside the scope it is 404,
  exactly like an object that does not exist; a read-only role asking to write gets 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from clubs.models import Area, Club

    # Whoever asks: ``request.user`` (signed in or anonymous), a user loaded by a task, or None
    # where a request carries no user at all (the context processor on an early error page).
    Viewer: TypeAlias = User | AnonymousUser | None

# What a non-admin user looks after: the kind of scope and the id of its area or club.
AreaScope: TypeAlias = (
    tuple[Literal["province", "commune", "club"], int] | tuple[Literal["none"], None]
)

M = TypeVar("M", bound=models.Model)

NOTHING = Q(pk__in=[])


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def _signed_in(user: Viewer) -> User | None:
    """The user whose role counts: signed in and active, else None."""
    if not user or not user.is_authenticated or not user.is_active:
        return None
    return user


def effective_role(user: Viewer) -> str | None:
    """The role that governs access, or None for anonymous or unscoped users."""
    signed_in = _signed_in(user)
    if signed_in is None:
        return None
    if signed_in.is_superuser or signed_in.role == Role.ADMIN:
        return Role.ADMIN
    return signed_in.role


def is_admin(user: Viewer) -> bool:
    return effective_role(user) == Role.ADMIN


def can_write(user: Viewer) -> bool:
    """Whether the user's role may change anything at all (viewers may not)."""
    role = effective_role(user)
    return role is not None and role != Role.VIEWER


def is_staff_role(user: Viewer) -> bool:
    """Association staff (commune or province) and admins: reviewers and approvers."""
    return effective_role(user) in (Role.ADMIN, Role.PROVINCE, Role.COMMUNE)


def is_province_role(user: Viewer) -> bool:
    return effective_role(user) in (Role.ADMIN, Role.PROVINCE)


def require_write(user: Viewer) -> None:
    if not can_write(user):
        raise PermissionDenied


def _area_scope(user: Viewer) -> AreaScope:
    """('province' | 'commune' | 'club' | 'none', id) for a non-admin user."""
    from clubs.models import Area

    signed_in = _signed_in(user)
    if signed_in is None:
        return "none", None
    if signed_in.club_id:
        return "club", signed_in.club_id
    if signed_in.area_id and signed_in.area:
        level = signed_in.area.level
        if level == Area.Level.PROVINCE:
            return "province", signed_in.area_id
        if level == Area.Level.COMMUNE:
            return "commune", signed_in.area_id
    return "none", None


def club_q(user: Viewer, path: str = "") -> Q:
    """Q for objects whose club (reached by ``path``) the user may see."""
    role = effective_role(user)
    if role is None:
        return NOTHING
    if role == Role.ADMIN:
        return Q()
    kind, ident = _area_scope(user)
    p = _prefix(path)
    if kind == "province":
        return Q(**{f"{p}province_id": ident})  # Club.province: the commune's province
    if kind == "commune":
        return Q(**{f"{p}commune_id": ident})
    if kind == "club":
        return Q(**{f"{p}pk": ident})
    return NOTHING


def area_q(user: Viewer, path: str = "") -> Q:
    """Q for objects owned by an area (reached by ``path``) the user may see.

    Provincial staff see their province and every commune in it; commune staff their commune;
    club leaders see no area-owned objects unless a model's ``scope_extra_q`` grants them.
    """
    role = effective_role(user)
    if role is None:
        return NOTHING
    if role == Role.ADMIN:
        return Q()
    kind, ident = _area_scope(user)
    p = _prefix(path)
    if kind == "province":
        return Q(**{f"{p}pk": ident}) | Q(**{f"{p}province_id": ident})
    if kind == "commune":
        return Q(**{f"{p}pk": ident})
    return NOTHING


def clubs_for(user: Viewer) -> QuerySet[Club]:
    from clubs.models import Club

    return Club.objects.filter(club_q(user))


def areas_for(user: Viewer) -> QuerySet[Area]:
    """Areas the user works in: for a leader, the commune of their club."""
    from clubs.models import Area

    role = effective_role(user)
    if role is None:
        return Area.objects.none()
    if role == Role.ADMIN:
        return Area.objects.all()
    scope = _area_scope(user)
    if scope[0] == "club":
        return Area.objects.filter(clubs__pk=scope[1])
    return Area.objects.filter(area_q(user))


def scope_q(model: type[models.Model], user: Viewer, *, through: str = "") -> Q:
    """The Q that limits ``model`` to what ``user`` may see; with ``through``, written for
    rows of another model that reach ``model`` by that lookup path (a join, a
    ``FilteredRelation``)."""
    q = _scope_q(model, user)
    return _through(q, through) if through else q


def _through(q: Q, path: str) -> Q:
    """``q`` with every lookup of its tree prefixed by ``path``."""
    children: list[Any] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_through(child, path))
        else:
            lookup, value = cast(tuple[str, Any], child)
            children.append((f"{path}__{lookup}", value))
    return Q(*children, _connector=q.connector, _negated=q.negated)


def _scope_q(model: type[models.Model], user: Viewer) -> Q:
    from clubs.models import Area

    if effective_role(user) == Role.ADMIN:
        return Q()
    if model is Area:
        return Q(pk__in=areas_for(user).values("pk"))
    copies = getattr(model, "scope_area_copies", None)
    if copies is not None and effective_role(user) is not None:
        kind, ident = _area_scope(user)
        if kind in ("province", "commune"):
            province_field, commune_field = copies
            field = province_field if kind == "province" else commune_field
            return Q(**{f"{field}_id": ident})
    club_path = getattr(model, "scope_club_path", None)
    area_path = getattr(model, "scope_area_path", None)
    extra = getattr(model, "scope_extra_q", None)
    if club_path is None and area_path is None and extra is None:
        raise TypeError(f"{model.__name__} declares no scope path: add scope_club_path.")
    q = NOTHING
    if club_path is not None:
        q |= _club_scope(model, user, club_path)
    if area_path is not None:
        q |= area_q(user, area_path)
    if extra is not None:
        q |= extra(user)
    return q


def _club_scope(model: type[models.Model], user: Viewer, club_path: str) -> Q:
    """``club_q``, or for provincial staff the model's own copy of the club's province
    (``scope_province_field``) when it keeps one: one indexed column instead of a join."""
    field = getattr(model, "scope_province_field", None)
    if field and effective_role(user) not in (None, Role.ADMIN):
        kind, ident = _area_scope(user)
        if kind == "province":
            return Q(**{f"{field}_id": ident})
    return club_q(user, club_path)


def for_user(model_or_qs: type[M] | QuerySet[M], user: Viewer) -> QuerySet[M]:
    """Every object of a model (or the given queryset) that ``user`` may see."""
    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    q = scope_q(qs.model, user)
    return qs.filter(q).distinct() if _needs_distinct(qs.model) else qs.filter(q)


def _needs_distinct(model: type[models.Model]) -> bool:
    return bool(getattr(model, "scope_distinct", False))


def get_for_user(
    model_or_qs: type[M] | QuerySet[M], user: Viewer, *, write: bool = False, **lookup: Any
) -> M:
    """One object in the user's scope. Outside it: 404. Read-only role writing: 403."""
    try:
        obj = for_user(model_or_qs, user).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write:
        require_write(user)
    return obj
