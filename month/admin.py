"""Admin for the club's month, under the same scoping and month locks as the app.

Saving goes through the model's ``clean()`` (which refuses a locked month); deleting a record
of a locked month is not offered.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts import privacy
from accounts.admin_scoping import ReferenceDataAdmin, ScopedInlineMixin, ScopedModelAdmin
from month.locking import is_month_locked
from month.models import (
    CARE_SERVICE_CHOICES,
    Activity,
    ActivityArea,
    Attendance,
    HealthCheck,
    HomeCareVisit,
    Meeting,
    MonthlyReport,
    MonthlyReportEvent,
)


@admin.register(ActivityArea)
class ActivityAreaAdmin(ReferenceDataAdmin):
    list_display = ("order", "name", "name_en", "code", "active")
    list_display_links = ("name",)
    list_editable = ("order", "active")


def _locked(obj: Any) -> bool:
    if obj is None:
        return False
    if isinstance(obj, Attendance):
        return is_month_locked(obj.meeting.club_id, obj.meeting.date)
    return any(is_month_locked(club_id, day) for club_id, day in obj.lock_points() if day)


class MonthRecordAdmin(ScopedModelAdmin):
    """Refuses deleting a record of a locked month (one by one and in bulk)."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not _locked(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        try:
            for obj in queryset:
                obj.delete()
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)


class AttendanceInline(ScopedInlineMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ("member",)


@admin.register(Meeting)
class MeetingAdmin(MonthRecordAdmin):
    list_display = ("date", "club", "status", "place", "guests", "moved_from")
    list_filter = ("status",)
    list_select_related = ("club",)
    search_fields = ("club__name", "club__code")
    date_hierarchy = "date"
    autocomplete_fields = ("club",)
    readonly_fields = ("planned_on", "recorded_by", "recorded_at", "changed_by")
    inlines = [AttendanceInline]


@admin.register(HealthCheck)
class HealthCheckAdmin(MonthRecordAdmin):
    list_display = ("date", "member", "club", "systolic", "diastolic", "weight")
    list_select_related = ("member", "club")
    search_fields = ("member__search_name", "club__name")
    date_hierarchy = "date"
    autocomplete_fields = ("club", "member")
    raw_id_fields = ("meeting",)
    readonly_fields = ("recorded_by",)


@admin.register(Activity)
class ActivityAdmin(MonthRecordAdmin):
    list_display = ("date", "title", "club", "participant_count", "beneficiaries", "cost")
    list_select_related = ("club",)
    list_filter = ("areas",)
    search_fields = ("title", "club__name")
    date_hierarchy = "date"
    autocomplete_fields = ("club", "participants")
    filter_horizontal = ("areas",)
    raw_id_fields = ("meeting",)
    readonly_fields = ("created_by",)


class VisitAdminForm(forms.ModelForm):
    services = forms.MultipleChoiceField(
        choices=CARE_SERVICE_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = HomeCareVisit
        fields = ["club", "volunteer", "recipient", "date", "services", "duration_minutes", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["services"] = self.instance.service_list

    def clean_services(self) -> str:
        chosen = self.cleaned_data["services"]
        return ",".join(code for code, _label in CARE_SERVICE_CHOICES if code in chosen)


@admin.register(HomeCareVisit)
class HomeCareVisitAdmin(MonthRecordAdmin):
    form = VisitAdminForm
    list_display = ("date", "volunteer", "recipient", "club", "duration_minutes")
    list_select_related = ("volunteer", "recipient", "club")
    search_fields = ("volunteer__search_name", "recipient__search_name", "club__name")
    date_hierarchy = "date"
    autocomplete_fields = ("club", "volunteer", "recipient")
    readonly_fields = ("created_by",)


class EventInline(ScopedInlineMixin, admin.TabularInline):
    model = MonthlyReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "comment", "by", "at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ScopedModelAdmin):
    """Read-mostly: the approval steps are taken in the app, where they are logged."""

    list_display = ("club", "year", "month", "status", "submitted_at", "approved_at")
    list_filter = ("status", "year", "month")
    list_select_related = ("club",)
    search_fields = ("club__name", "club__code")
    autocomplete_fields = ("club",)
    readonly_fields = (
        "status",
        "figures",
        "compiled_at",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "approved_by",
        "approved_at",
        "returned_by",
        "returned_at",
        "return_comment",
        "reopened_by",
        "reopened_at",
    )
    inlines = [EventInline]

    def hidden_fields(self, request: HttpRequest) -> frozenset[str]:
        # The compiled figures are raw counts: the admin cannot suppress the small groups a
        # user who sees aggregates only may not read, so it leaves them out for that user.
        hidden = super().hidden_fields(request)
        return hidden if privacy.may_see_people(request.user) else hidden | {"figures"}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        locked = obj is not None and obj.status == MonthlyReport.Status.APPROVED
        return super().has_change_permission(request, obj) and not locked

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        locked = obj is not None and obj.status == MonthlyReport.Status.APPROVED
        return super().has_delete_permission(request, obj) and not locked


# The reminder outbox has its own admin module beside its services.
from month.reminders import admin as reminders_admin  # noqa: E402,F401
