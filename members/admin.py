from django.contrib import admin
from django.http import HttpRequest

from accounts import scoping
from accounts.admin_scoping import ReferenceDataAdmin, ScopedHistoryAdmin, ScopedModelAdmin
from members.models import CareAssignment, CompositionTarget, ImportJob, Member


@admin.register(Member)
class MemberAdmin(ScopedHistoryAdmin):
    list_display = ("full_name", "club", "sex", "birth_year", "joined_on", "left_on")
    list_filter = ("sex", "household_status", "is_volunteer")
    list_select_related = ("club",)
    search_fields = ("full_name", "search_name", "phone")
    autocomplete_fields = ("club",)
    raw_id_fields = ("previous_record", "consent_recorded_by")


@admin.register(CompositionTarget)
class CompositionTargetAdmin(ReferenceDataAdmin):
    """One row of targets, seen and edited by admins only."""

    list_display = (
        "__str__",
        "min_members",
        "max_members",
        "women_min",
        "older_min",
        "younger_min",
        "poor_min",
        "min_volunteers",
    )
    fieldsets = (
        (None, {"fields": (("min_members", "max_members"), "min_volunteers")}),
        (
            None,
            {
                "fields": (
                    ("women_min", "women_max"),
                    ("older_min", "older_max"),
                    ("younger_min", "younger_max"),
                    ("poor_min", "poor_max"),
                )
            },
        ),
    )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return scoping.is_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return scoping.is_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return scoping.is_admin(request.user) and not CompositionTarget.objects.exists()

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return scoping.is_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CareAssignment)
class CareAssignmentAdmin(ScopedHistoryAdmin):
    list_display = ("volunteer", "recipient", "start_on", "end_on")
    list_select_related = ("volunteer", "recipient")
    raw_id_fields = ("volunteer", "recipient", "created_by")


@admin.register(ImportJob)
class ImportJobAdmin(ScopedModelAdmin):
    list_display = ("club", "filename", "status", "total", "created_count", "created_at")
    list_filter = ("status",)
    list_select_related = ("club",)
    readonly_fields = ("rows", "problems")
    raw_id_fields = ("club", "created_by")
