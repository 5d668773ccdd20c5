from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_scoping import ScopedAdminMixin
from members.models import Member


@admin.register(Member)
class MemberAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("full_name", "club", "sex", "birth_year", "joined_on", "left_on")
    list_filter = ("sex", "household_status", "is_volunteer")
    list_select_related = ("club",)
    search_fields = ("full_name", "search_name", "phone")
    autocomplete_fields = ("club",)
    raw_id_fields = ("previous_record", "consent_recorded_by")
