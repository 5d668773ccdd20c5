from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin_scoping import ScopedHistoryAdmin, ScopedInlineMixin, ScopedModelAdmin
from campaigns.models import (
    Campaign,
    CampaignActivity,
    CampaignGift,
    CampaignReceipt,
    CampaignReport,
    CampaignReportEvent,
    CampaignTarget,
    CampaignVisit,
    Commendation,
    EmulationCriterion,
    EmulationDrive,
    EmulationEvidence,
    EmulationRegistration,
    EmulationResult,
)


class ReadOnlyAdmin(ScopedModelAdmin):
    """Records written with money or a sign-off: only the app's pages write them."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TargetInline(ScopedInlineMixin, admin.TabularInline):
    model = CampaignTarget
    extra = 0
    raw_id_fields = ["commune", "set_by"]


@admin.register(Campaign)
class CampaignAdmin(ScopedHistoryAdmin):
    list_display = ["title", "kind", "organiser", "starts_on", "ends_on"]
    list_filter = ["kind"]
    search_fields = ["title"]
    raw_id_fields = ["organiser", "created_by"]
    filter_horizontal = ["deployed_to"]
    inlines = [TargetInline]


@admin.register(CampaignTarget)
class CampaignTargetAdmin(ScopedModelAdmin):
    list_display = ["campaign", "indicator", "commune", "number"]
    list_filter = ["indicator"]
    raw_id_fields = ["campaign", "commune", "set_by"]


@admin.register(CampaignGift)
class CampaignGiftAdmin(ReadOnlyAdmin):
    list_display = ["date", "person_name", "campaign", "area", "kind", "value"]
    list_filter = ["kind"]
    raw_id_fields = ["campaign", "area", "member", "older_person", "fund", "entry", "created_by"]


@admin.register(CampaignReceipt)
class CampaignReceiptAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "area", "source", "donor", "entry"]
    list_filter = ["source"]
    raw_id_fields = ["campaign", "area", "entry"]


@admin.register(CampaignActivity)
class CampaignActivityAdmin(ScopedModelAdmin):
    list_display = ["campaign", "activity", "tagged_at"]
    raw_id_fields = ["campaign", "activity", "tagged_by"]


@admin.register(CampaignVisit)
class CampaignVisitAdmin(ScopedModelAdmin):
    list_display = ["campaign", "visit", "tagged_at"]
    raw_id_fields = ["campaign", "visit", "tagged_by"]


class ReportEventInline(ScopedInlineMixin, admin.TabularInline):
    model = CampaignReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "by", "at", "comment"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CampaignReport)
class CampaignReportAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "commune", "status", "submitted_at", "approved_at"]
    list_filter = ["status"]
    raw_id_fields = ["campaign", "commune"]
    inlines = [ReportEventInline]


@admin.register(CampaignReportEvent)
class CampaignReportEventAdmin(ReadOnlyAdmin):
    list_display = ["report", "action", "by", "at"]


class CriterionInline(ScopedInlineMixin, admin.TabularInline):
    model = EmulationCriterion
    extra = 0


@admin.register(EmulationDrive)
class EmulationDriveAdmin(ScopedHistoryAdmin):
    list_display = ["title", "organiser", "starts_on", "ends_on"]
    search_fields = ["title"]
    raw_id_fields = ["organiser", "created_by"]
    inlines = [CriterionInline]


@admin.register(EmulationCriterion)
class EmulationCriterionAdmin(ScopedModelAdmin):
    list_display = ["drive", "seq", "name", "max_points"]
    raw_id_fields = ["drive"]


@admin.register(EmulationRegistration)
class EmulationRegistrationAdmin(ScopedHistoryAdmin):
    list_display = ["drive", "area", "club", "stage", "registered_at"]
    list_filter = ["stage"]
    raw_id_fields = ["drive", "area", "club", "registered_by"]


@admin.register(EmulationResult)
class EmulationResultAdmin(ScopedHistoryAdmin):
    list_display = ["registration", "criterion", "self_points", "review_points", "final_points"]
    raw_id_fields = ["registration", "criterion"]


@admin.register(EmulationEvidence)
class EmulationEvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "kind", "size", "result", "uploaded_at"]


@admin.register(Commendation)
class CommendationAdmin(ScopedHistoryAdmin):
    list_display = ["decision_number", "decision_date", "level", "recipient_kind", "area"]
    list_filter = ["level", "recipient_kind"]
    search_fields = ["decision_number", "person_name"]
    raw_id_fields = [
        "drive",
        "registration",
        "member",
        "area",
        "club",
        "created_by",
    ]
