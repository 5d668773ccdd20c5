from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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

    def has_module_permission(self, request):
        # Users and roles are managed by administrators only.
        return request.user.is_superuser

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: request.user.is_superuser
    )
