from django.contrib import admin

from accounts.admin_scoping import ScopedHistoryAdmin, ScopedInlineMixin, ScopedModelAdmin
from clubs.models import Area, AreaSuccession, BoardPosition, Club, ClubStatusChange


@admin.register(Area)
class AreaAdmin(ScopedModelAdmin):
    list_display = ("name", "code", "level", "division_type", "province", "active")
    list_filter = ("level", "active")
    search_fields = ("name", "code", "search_name")
    list_select_related = ("province",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("province",)


@admin.register(AreaSuccession)
class AreaSuccessionAdmin(ScopedModelAdmin):
    list_display = ("old", "new", "effective_on")
    list_select_related = ("old", "new")
    autocomplete_fields = ("old", "new")


class BoardPositionInline(ScopedInlineMixin, admin.TabularInline):
    model = BoardPosition
    extra = 0
    autocomplete_fields = ("member",)


@admin.register(Club)
class ClubAdmin(ScopedHistoryAdmin):
    list_display = ("name", "code", "commune", "village", "status", "founded_on")
    list_filter = ("status", "supporter")
    list_select_related = ("commune",)
    search_fields = ("name", "code", "search_name", "village")
    autocomplete_fields = ("commune", "legacy_commune")
    inlines = [BoardPositionInline]


@admin.register(ClubStatusChange)
class ClubStatusChangeAdmin(ScopedModelAdmin):
    list_display = ("club", "status", "changed_on", "reason", "by")
    list_select_related = ("club", "by")
