"""Django admin under the same scoping and privacy rules as the rest of the app.

Every admin page of the project is one of three kinds, and a test checks that each registered
``ModelAdmin`` says which:

- **scoped** (``ScopedModelAdmin``, ``ScopedHistoryAdmin``, or ``ScopedAdminMixin`` in front of
  another admin): club- and area-owned records. The list, the foreign-key choices and every page
  of one object go through the door (``accounts.scoping``): outside the user's scope the change,
  delete and history pages answer 404, exactly like an object that does not exist, and a
  read-only role may look but never change. What the user may not see of people
  (``accounts.privacy``) is left out of forms, lists, filters, search and history; the records
  of named people are not offered at all to a user who may not see people (a viewer).
- **reference data** (``ReferenceDataAdmin``): tables every club shares (activity areas,
  composition targets), read with the model's permissions, changed by administrators only.
- **administrators' tools** (``SuperuserOnlyAdminMixin``): users, groups, periodic tasks,
  sign-in attempts; superusers only, whatever permissions a staff user holds.

Inlines of a scoped admin use ``ScopedInlineMixin``: scoped choices and the same hidden fields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.template_utils import HistoricalRecordContextHelper

from accounts import privacy, scoping
from config.admin_ordering import NameOrderingMixin

if TYPE_CHECKING:
    # The mixins go in front of a ModelAdmin (or django-simple-history's subclass of it) or an
    # inline; for the type checker they are one.
    _FieldsBase = admin.options.BaseModelAdmin[Any]
    _AdminBase = admin.ModelAdmin[Any]
    _InlineBase = admin.options.InlineModelAdmin[Any, Any]
else:
    _FieldsBase = _AdminBase = _InlineBase = object

# Shown when a revert would put a record in another club or area than the one it is in.
REVERT_MOVES = _(
    "Reverting to this version would move the record to another club or area. "
    "A member changes club through a transfer in the app."
)


class _PrivateFieldsMixin(_FieldsBase):
    """Foreign-key choices from the door; personal fields the user may not see left out."""

    def hidden_fields(self, request: HttpRequest) -> frozenset[str]:
        """The fields of this model the user may not see (read from ``accounts.privacy``)."""
        return privacy.hidden_model_fields(request.user, self.model)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.remote_field.model
        if _is_scoped(related) and "queryset" not in kwargs:
            kwargs["queryset"] = scoping.for_user(related, request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        excluded = super().get_exclude(request, obj)
        hidden = self.hidden_fields(request)
        if not hidden:
            return excluded
        if excluded is None:  # Django then honours the form's own Meta.exclude: keep it
            meta = getattr(self.form, "_meta", None)
            excluded = getattr(meta, "exclude", None) or ()
        return [*excluded, *sorted(hidden)]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return _without(super().get_fields(request, obj), self.hidden_fields(request))

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        hidden = self.hidden_fields(request)
        if not hidden:
            return fieldsets
        kept = []
        for name, options in fieldsets:
            fields = _without(options.get("fields", ()), hidden)
            if fields:
                kept.append((name, {**options, "fields": fields}))
        return kept

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return _without(super().get_readonly_fields(request, obj), self.hidden_fields(request))


class ScopedAdminMixin(_PrivateFieldsMixin, NameOrderingMixin, _AdminBase):
    """Limits an admin's list, object pages and foreign-key choices to the user's scope; its
    names sort in Vietnamese order (``config.admin_ordering``).

    Superusers and administrators see everything; staff users with a province, commune or club
    role see their own; viewers may look but never change, and never at named people.
    """

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        return scoping.for_user(qs, request.user)

    # -- one object: through the door, 404 outside it ------------------------------------------

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        """The object from the scoped list, or 404: Django's "does not exist" redirect would
        tell an outsider nothing more, but every other page of the app answers 404."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        _seen(request)[(self.model._meta.label, obj.pk)] = True
        return obj

    def in_scope(self, request: HttpRequest, obj: Any) -> bool:
        """Whether ``obj`` (None: the model as a whole) is in the user's scope. Asked once per
        request and object: the admin checks permissions many times for one page."""
        if obj is None or obj.pk is None or scoping.is_admin(request.user):
            return True  # a new object's place is checked when it is saved (save_model)
        seen = _seen(request)
        key = (self.model._meta.label, obj.pk)
        if key not in seen:
            seen[key] = scoping.for_user(self.model, request.user).filter(pk=obj.pk).exists()
        return seen[key]

    def people_visible(self, request: HttpRequest) -> bool:
        """False when this model's rows are about named people and the user may not see people
        (a viewer): the whole admin of such a model is closed to them."""
        return privacy.may_see_people(request.user) or not privacy.about_people(self.model)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            self.people_visible(request)
            and super().has_view_permission(request, obj)
            and self.in_scope(request, obj)
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return scoping.can_write(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            scoping.can_write(request.user)
            and super().has_change_permission(request, obj)
            and self.in_scope(request, obj)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            scoping.can_write(request.user)
            and super().has_delete_permission(request, obj)
            and self.in_scope(request, obj)
        )

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        """An object's history (Django's log, or django-simple-history's versions, which would
        otherwise find an object through its history): 404 outside the scope. Administrators
        still see the history of a deleted object."""
        if not scoping.is_admin(request.user):
            self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: Any) -> None:
        """Saves, then asks the door whether the record is still the user's: the form's
        choices are scoped already, so this is the last word, not the usual answer. Refused,
        the save is undone (the admin's views save inside a transaction)."""
        super().save_model(request, obj, form, change)
        if scoping.is_admin(request.user):
            return
        if not scoping.for_user(type(obj), request.user).filter(pk=obj.pk).exists():
            raise PermissionDenied

    # -- lists: no hidden field shown, filtered or searched --------------------------------------

    def get_list_display(self, request: HttpRequest) -> Any:
        return _without(super().get_list_display(request), self.hidden_fields(request))

    def get_list_filter(self, request: HttpRequest) -> Any:
        hidden = self.hidden_fields(request)
        return [
            entry
            for entry in super().get_list_filter(request)
            if _field_of(entry[0] if isinstance(entry, (list, tuple)) else entry) not in hidden
        ]

    def get_search_fields(self, request: HttpRequest) -> Any:
        return _without(super().get_search_fields(request), self.hidden_fields(request))

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        """Inlines of named people (a club's board, a meeting's attendance) are left out for a
        user who may not see people."""
        inlines = super().get_inlines(request, obj)
        if privacy.may_see_people(request.user):
            return inlines
        return [inline for inline in inlines if not privacy.about_people(inline.model)]


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass


class ScopedHistoryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """A scoped admin with django-simple-history's versions and revert.

    The history pages answer 404 outside the scope like the change page; a revert (a POST to
    one version) needs the right to change the object, and is refused when the version would
    put the record in another club or area. Hidden fields are left out of the changes listed.
    """

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        try:
            current = self.get_object(request, unquote(object_id))
        except Http404:
            if not scoping.is_admin(request.user):
                raise
            current = None  # deleted: administrators may still read and restore it
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        # django-simple-history itself saves a revert for anyone who may view the object.
        if not self.has_change_permission(request, current):
            raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None) is not None:
            return _staying_in_place(form)  # the form of a past version: a revert
        return form

    def get_historical_record_context_helper(
        self, request: HttpRequest, historical_record: Any
    ) -> HistoricalRecordContextHelper:
        return _PrivateChanges(self.model, historical_record, hidden=self.hidden_fields(request))


class ScopedInlineMixin(_PrivateFieldsMixin, _InlineBase):
    """An inline of a scoped admin: its parent is in scope already; its own foreign-key
    choices come from the door, hidden fields are left out, and a viewer never writes."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return scoping.can_write(request.user) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return scoping.can_write(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return scoping.can_write(request.user) and super().has_delete_permission(request, obj)


class ReferenceDataAdmin(admin.ModelAdmin):
    """Tables every club shares (activity areas, composition targets): read with the model's
    view permission, added, changed and deleted by administrators only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return scoping.is_admin(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return scoping.is_admin(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return scoping.is_admin(request.user) and super().has_delete_permission(request, obj)


class SuperuserOnlyAdminMixin(_AdminBase):
    """Administrators' tools (users, groups, periodic tasks, sign-in attempts): superusers
    only, whatever permissions a staff user was given."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


def _is_scoped(model: Any) -> bool:
    from clubs.models import Area

    return model is Area or any(
        hasattr(model, attr) for attr in ("scope_club_path", "scope_area_path", "scope_extra_q")
    )


def _seen(request: HttpRequest) -> dict[tuple[str, Any], bool]:
    """This request's answers to "is this object in scope?"."""
    return cast(dict[tuple[str, Any], bool], request.__dict__.setdefault("_admin_in_scope", {}))


def _field_of(name: Any) -> Any:
    """The model field a list column, filter or search field starts from ("^member__name" ->
    "member"); anything else (a callable, a filter class) as it is."""
    if not isinstance(name, str):
        return name
    return name.lstrip("^=@").split("__", 1)[0]


def _without(names: Sequence[Any], hidden: frozenset[str]) -> Any:
    """``names`` (fields, columns, search fields; a tuple is one line of a fieldset) without
    the hidden ones."""
    if not hidden:
        return names
    kept: list[Any] = []
    for name in names:
        if isinstance(name, (list, tuple)):
            line = _without(name, hidden)
            if line:
                kept.append(tuple(line))
        elif _field_of(name) not in hidden:
            kept.append(name)
    return kept


def _place(obj: models.Model) -> tuple[Any, ...]:
    """Where ``obj`` hangs in the club tree: the club (and its commune) and the area its scope
    paths reach, read from the instance as it stands (a form's cleaned values included)."""
    model = type(obj)
    place: list[Any] = []
    for path in (getattr(model, "scope_club_path", None), getattr(model, "scope_area_path", None)):
        target: Any = obj if path is not None else None
        for step in filter(None, (path or "").split("__")):
            target = getattr(target, step, None)
            if target is None:
                break
        place.append(
            None
            if target is None
            else (
                target.pk,
                getattr(target, "commune_id", None),
                getattr(target, "parent_id", None),
            )
        )
    return tuple(place)


def _staying_in_place(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """``form_class`` refusing a version that would move the record to another club or area
    than the one it is in now (a revert is not a transfer)."""

    def _post_clean(self: forms.ModelForm) -> None:
        form_class._post_clean(self)  # type: ignore[attr-defined]  # Django's ModelForm step
        instance = self.instance
        stored = type(instance)._default_manager.filter(pk=instance.pk).first()
        if stored is not None and _place(stored) != _place(instance):
            self.add_error(None, REVERT_MOVES)

    return type(form_class.__name__, (form_class,), {"_post_clean": _post_clean})


class _PrivateChanges(HistoricalRecordContextHelper):
    """django-simple-history's list of changed fields, without the fields the user may not
    see (their old and new values would show there)."""

    def __init__(self, model: type[models.Model], record: Any, *, hidden: frozenset[str]) -> None:
        super().__init__(model, record)
        self.hidden = hidden

    def context_for_delta_changes(self, delta: Any) -> list[dict[str, Any]]:
        if self.hidden:
            delta = dataclasses.replace(
                delta,
                changes=[c for c in delta.changes if c.field not in self.hidden],
                changed_fields=[f for f in delta.changed_fields if f not in self.hidden],
            )
        return super().context_for_delta_changes(delta)
