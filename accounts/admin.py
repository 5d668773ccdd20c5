from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import SuperuserOnlyAdminMixin
from accounts.models import Notification, User


@admin.register(User)
class UserAdmin(SuperuserOnlyAdminMixin, BaseUserAdmin):
    """Users and roles are managed by superusers only."""

    list_display = ("username", "first_name", "last_name", "role", "area", "club", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    list_select_related = ("area", "club")
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("area", "club")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),  # Django's UserAdmin sets them; the stubs allow None
        (_("Role and scope"), {"fields": ("role", "area", "club", "phone", "position")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ("role", "area", "club")}),
    )


@admin.register(Notification)
class NotificationAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    """The notifications' outbox (docs/notifications.md): what was sent to whom, and why not."""

    list_display = ("created_at", "user", "kind", "channel", "delivery", "attempts", "read_at")
    list_filter = ("kind", "channel", "delivery")
    list_select_related = ("user",)
    search_fields = ("user__username", "text")
    readonly_fields = [f.name for f in Notification._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: Any) -> bool:
        return False


# The platform's own tables (groups, periodic tasks, sign-in attempts, two-factor devices) are
# tools of the superusers, not records of the clubs: whatever permissions a staff user is given,
# the admin does not show them. Their apps come before this one in INSTALLED_APPS, so their
# admins are registered by now (tests/test_admin_registry.py fails if one is missed).
PLATFORM_APPS = ("auth", "django_celery_beat", "axes", "otp_totp", "otp_static")

for _config in apps.get_app_configs():
    if _config.label not in PLATFORM_APPS:
        continue
    for _model in _config.get_models():
        if _model is User or not admin.site.is_registered(_model):
            continue
        _base = type(admin.site.get_model_admin(_model))
        admin.site.unregister(_model)
        admin.site.register(
            _model, type(_base.__name__, (SuperuserOnlyAdminMixin, _base), {"__module__": __name__})
        )
