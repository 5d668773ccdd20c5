"""Django admin under the same scoping rules as the rest of the app."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts import scoping

if TYPE_CHECKING:
    # The mixin goes in front of a ModelAdmin (or django-simple-history's subclass of it).
    _AdminBase = admin.ModelAdmin[Any]
else:
    _AdminBase = object


class ScopedAdminMixin(_AdminBase):
    """Limits an admin's list, change pages and foreign-key choices to the user's scope.

    Superusers see everything; staff users with a province or commune role see their area
    only; viewers may look but never change.
    """

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        return scoping.for_user(qs, request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.remote_field.model
        if _is_scoped(related) and "queryset" not in kwargs:
            kwargs["queryset"] = scoping.for_user(related, request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return scoping.can_write(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return scoping.can_write(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return scoping.can_write(request.user) and super().has_delete_permission(request, obj)


def _is_scoped(model: Any) -> bool:
    from clubs.models import Area

    return model is Area or any(
        hasattr(model, attr) for attr in ("scope_club_path", "scope_area_path", "scope_extra_q")
    )


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass
