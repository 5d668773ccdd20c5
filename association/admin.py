from django.contrib import admin

from accounts.admin_scoping import ScopedHistoryAdmin, ScopedInlineMixin, ScopedModelAdmin
from association.models import (
    AssessmentCriterion,
    AssessmentRound,
    AssessmentScore,
    AssessmentStep,
    AssociationUnit,
    Branch,
    ClubFounding,
    CommitteeMember,
    CommitteeTerm,
    FoundingPlan,
    FoundingStep,
    FoundingTarget,
    MembershipReturn,
    UnitAssessment,
)


@admin.register(AssociationUnit)
class AssociationUnitAdmin(ScopedModelAdmin):
    list_display = ["name", "area", "founded_on", "phone"]
    search_fields = ["search_name"]
    raw_id_fields = ["area"]


@admin.register(Branch)
class BranchAdmin(ScopedModelAdmin):
    list_display = ["name", "unit", "parent", "village"]
    search_fields = ["search_name"]
    raw_id_fields = ["unit", "parent", "clubs"]


class SeatInline(ScopedInlineMixin, admin.TabularInline):
    model = CommitteeMember
    extra = 0
    raw_id_fields = ["member"]


@admin.register(CommitteeTerm)
class CommitteeTermAdmin(ScopedModelAdmin):
    list_display = ["unit", "name", "starts_on", "ends_on"]
    raw_id_fields = ["unit"]
    inlines = [SeatInline]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(ScopedModelAdmin):
    list_display = ["full_name", "position", "term"]
    list_filter = ["position"]
    search_fields = ["search_name"]
    raw_id_fields = ["term", "member"]


@admin.register(MembershipReturn)
class MembershipReturnAdmin(ScopedModelAdmin):
    list_display = ["unit", "year", "members", "new_members", "dues_vnd", "status"]
    list_filter = ["year", "status"]
    raw_id_fields = ["unit", "filled_by", "reviewed_by"]


class CriterionInline(ScopedInlineMixin, admin.TabularInline):
    model = AssessmentCriterion
    extra = 0


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(ScopedHistoryAdmin):
    list_display = ["title", "province", "year", "status"]
    list_filter = ["year", "status"]
    raw_id_fields = ["province", "published_by"]
    inlines = [CriterionInline]


@admin.register(AssessmentCriterion)
class AssessmentCriterionAdmin(ScopedHistoryAdmin):
    list_display = ["name", "group", "max_points", "round"]
    raw_id_fields = ["round"]


class ScoreInline(ScopedInlineMixin, admin.TabularInline):
    model = AssessmentScore
    extra = 0
    raw_id_fields = ["criterion"]


class StepInline(ScopedInlineMixin, admin.TabularInline):
    model = AssessmentStep
    extra = 0
    raw_id_fields = ["by"]


@admin.register(UnitAssessment)
class UnitAssessmentAdmin(ScopedHistoryAdmin):
    list_display = ["unit", "round", "status", "self_total", "final_total", "result"]
    list_filter = ["status", "result"]
    raw_id_fields = ["round", "unit"]
    inlines = [ScoreInline, StepInline]


@admin.register(AssessmentScore)
class AssessmentScoreAdmin(ScopedHistoryAdmin):
    list_display = ["assessment", "criterion", "self_score", "final_score"]
    raw_id_fields = ["assessment", "criterion"]


@admin.register(AssessmentStep)
class AssessmentStepAdmin(ScopedModelAdmin):
    list_display = ["assessment", "action", "by", "at"]
    raw_id_fields = ["assessment", "by"]


class TargetInline(ScopedInlineMixin, admin.TabularInline):
    model = FoundingTarget
    extra = 0
    raw_id_fields = ["commune"]


@admin.register(FoundingPlan)
class FoundingPlanAdmin(ScopedHistoryAdmin):
    list_display = ["title", "province", "start_year", "end_year"]
    raw_id_fields = ["province"]
    inlines = [TargetInline]


@admin.register(FoundingTarget)
class FoundingTargetAdmin(ScopedHistoryAdmin):
    list_display = ["plan", "commune", "year", "planned"]
    list_filter = ["year"]
    raw_id_fields = ["plan", "commune"]


class FoundingStepInline(ScopedInlineMixin, admin.TabularInline):
    model = FoundingStep
    extra = 0
    raw_id_fields = ["by"]


@admin.register(ClubFounding)
class ClubFoundingAdmin(ScopedHistoryAdmin):
    list_display = ["name", "commune", "year", "step", "step_on", "club"]
    list_filter = ["step", "year"]
    raw_id_fields = ["plan", "commune", "training", "club"]
    inlines = [FoundingStepInline]


@admin.register(FoundingStep)
class FoundingStepAdmin(ScopedHistoryAdmin):
    list_display = ["founding", "step", "done_on", "responsible"]
    raw_id_fields = ["founding", "by"]
