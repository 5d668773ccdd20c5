from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin_scoping import ScopedHistoryAdmin, ScopedModelAdmin
from elders import services
from elders.models import (
    CareFundPlan,
    CareReceipt,
    CareSupport,
    LongevityCelebration,
    OlderPerson,
    OlderPersonImport,
    OlderPersonMove,
)


class ReadOnlyMixin:
    """Written by the services only (money through the funds' services, moves as acts)."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OlderPerson)
class OlderPersonAdmin(ScopedHistoryAdmin):
    list_display = ("full_name", "commune", "sex", "birth_year", "support", "died_on")
    list_filter = ("sex", "support", "living")
    list_select_related = ("commune",)
    search_fields = ("full_name", "search_name", "phone")
    raw_id_fields = ("commune", "member", "consent_recorded_by")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: Any) -> None:
        """A change here reaches the linked member record too, as on the register's form."""
        super().save_model(request, obj, form, change)
        if obj.member_id:
            services.push_to_member(obj, by=request.user)  # type: ignore[arg-type]


@admin.register(LongevityCelebration)
class LongevityCelebrationAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    list_display = ("person", "year", "milestone", "occasion", "held_on", "gift_value")
    list_filter = ("year", "milestone", "occasion")
    list_select_related = ("person",)
    raw_id_fields = ("person", "entry", "created_by")


@admin.register(CareSupport)
class CareSupportAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    list_display = ("person", "purpose", "entry")
    list_filter = ("purpose",)
    list_select_related = ("person", "entry")
    raw_id_fields = ("person", "entry", "created_by")


@admin.register(OlderPersonMove)
class OlderPersonMoveAdmin(ReadOnlyMixin, ScopedModelAdmin):
    list_display = ("person", "from_commune", "to_commune", "moved_on")
    list_select_related = ("person", "from_commune", "to_commune")


@admin.register(OlderPersonImport)
class OlderPersonImportAdmin(ReadOnlyMixin, ScopedModelAdmin):
    list_display = ("commune", "filename", "done", "created_count", "created_at")
    list_select_related = ("commune",)


@admin.register(CareReceipt)
class CareReceiptAdmin(ReadOnlyMixin, ScopedModelAdmin):
    list_display = ("donor", "source", "area", "entry")
    list_filter = ("source",)
    list_select_related = ("area", "entry")
    raw_id_fields = ("area", "entry", "created_by")


@admin.register(CareFundPlan)
class CareFundPlanAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    list_display = ("area", "year", "note")
    list_filter = ("year",)
    list_select_related = ("area",)
    raw_id_fields = ("area", "updated_by")
