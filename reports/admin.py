"""Admin of the reports upward: scoped by the door; the chain's steps are read here and
taken on the report's page, where the roles are checked."""

from django.contrib import admin

from accounts.admin_scoping import ScopedInlineMixin, ScopedModelAdmin
from reports.models import PeriodicReport, PeriodicReportStep


class StepInline(ScopedInlineMixin, admin.TabularInline):
    model = PeriodicReportStep
    extra = 0
    can_delete = False
    readonly_fields = ["action", "by", "at", "comment"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PeriodicReport)
class PeriodicReportAdmin(ScopedModelAdmin):
    list_display = ["area", "kind", "year", "half", "state", "submitted_at"]
    list_filter = ["kind", "state", "year"]
    search_fields = ["area__name"]
    raw_id_fields = ["area", "created_by", "submitted_by"]
    readonly_fields = [
        "state",
        "annex",
        "compile_status",
        "compiled_at",
        "submitted_at",
        "submitted_by",
        "created_by",
    ]
    inlines = [StepInline]
