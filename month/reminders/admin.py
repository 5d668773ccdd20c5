from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedModelAdmin
from month.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(ScopedModelAdmin):
    """The outbox: read-only rows, filtered by status, channel and kind."""

    list_display = (
        "member",
        "meeting",
        "channel",
        "kind",
        "lead_days",
        "due_at",
        "status",
        "attempts",
        "last_error",
        "sent_at",
    )
    list_filter = ("status", "channel", "kind", "lead_days", ("due_at", admin.DateFieldListFilter))
    list_select_related = ("member", "meeting", "meeting__club")
    search_fields = ("member__search_name", "address", "provider_id", "meeting__club__name")
    date_hierarchy = "due_at"
    readonly_fields = [f.name for f in Reminder._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again (failed or skipped reminders)"))
    def retry(self, request, queryset):
        count = queryset.filter(
            status__in=[Reminder.Status.FAILED, Reminder.Status.SKIPPED]
        ).update(status=Reminder.Status.PENDING, next_attempt_at=None, attempts=0)
        self.message_user(request, _("%(count)d reminders will be sent again.") % {"count": count})
