from django.contrib import admin

from accounts.admin_scoping import ScopedInlineMixin, ScopedModelAdmin
from trainings.models import (
    Participant,
    Trainer,
    Training,
    TrainingMaterial,
    TrainingSession,
)


class SessionInline(ScopedInlineMixin, admin.TabularInline):
    model = TrainingSession
    extra = 0


class TrainerInline(ScopedInlineMixin, admin.TabularInline):
    model = Trainer
    extra = 0


@admin.register(Training)
class TrainingAdmin(ScopedModelAdmin):
    list_display = ["title", "organiser", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    search_fields = ["search_name"]
    autocomplete_fields = []
    raw_id_fields = ["organiser", "created_by"]
    inlines = [SessionInline, TrainerInline]


@admin.register(Participant)
class ParticipantAdmin(ScopedModelAdmin):
    list_display = ["full_name", "position", "unit", "training"]
    list_filter = ["position", "sex"]
    search_fields = ["search_name", "phone"]
    raw_id_fields = ["training", "area", "user", "member"]


@admin.register(TrainingMaterial)
class TrainingMaterialAdmin(ScopedModelAdmin):
    list_display = ["title", "original_name", "kind", "size", "training"]
    raw_id_fields = ["training", "uploaded_by"]
