from django.contrib import admin

from .models import (
    ConflictDeclaration,
    Criterion,
    Decision,
    Review,
    ReviewAssignment,
    ReviewerProfile,
    ReviewSetup,
    Score,
)


@admin.register(ReviewSetup)
class ReviewSetupAdmin(admin.ModelAdmin):
    list_display = ["call", "reviewers_per_plan", "max_load", "deadline", "blind", "rank_by"]
    list_filter = ["blind", "rank_by"]
    search_fields = ["call__program__code"]


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["user"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name_en", "call", "weight", "scale_min", "scale_max", "position"]
    list_filter = ["call"]
    search_fields = ["name_en", "name_ja"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ["plan", "reviewer", "state", "assigned_at"]
    list_filter = ["state", "plan__call"]
    search_fields = ["plan__reference", "reviewer__email", "reviewer__full_name"]
    list_select_related = ["plan", "reviewer"]
    raw_id_fields = ["plan", "reviewer", "assigned_by"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ["assignment", "has_conflict", "declared_at"]
    list_filter = ["has_conflict"]
    search_fields = ["assignment__plan__reference", "assignment__reviewer__email"]
    raw_id_fields = ["assignment"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["assignment", "plan_version", "submitted_at"]
    list_filter = ["submitted_at"]
    search_fields = ["assignment__plan__reference", "assignment__reviewer__email"]
    raw_id_fields = ["assignment"]
    inlines = [ScoreInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["plan", "outcome", "approved_amount_jpy", "decided_at", "released_at"]
    list_filter = ["outcome", "plan__call"]
    search_fields = ["plan__reference"]
    raw_id_fields = ["plan", "decided_by"]
