"""Admin for plans: read-mostly; states change only through the domain functions."""

from django.contrib import admin

from .models import (
    Attachment,
    BudgetLine,
    InvitationPlan,
    ItineraryItem,
    PlannedInvitees,
    PlanTransition,
    PlanVersion,
)


class InviteesInline(admin.TabularInline):
    model = PlannedInvitees
    extra = 0


class ItineraryInline(admin.TabularInline):
    model = ItineraryItem
    extra = 0


class BudgetInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["kind", "original_name", "size", "sha256", "uploaded_by", "uploaded_at"]
    exclude = ["file"]


class TransitionInline(admin.TabularInline):
    model = PlanTransition
    extra = 0
    readonly_fields = ["from_state", "to_state", "by", "at", "reason"]
    can_delete = False


@admin.register(InvitationPlan)
class InvitationPlanAdmin(admin.ModelAdmin):
    list_display = ["reference", "title_en", "host", "course", "state", "updated_at"]
    list_filter = ["state", "call", "course", "host__prefecture"]
    search_fields = ["reference", "title_en", "title_ja", "host__name_en", "host__name_ja"]
    list_select_related = ["host", "course", "call"]
    readonly_fields = ["reference", "number", "state", "version", "submitted_at", "copied_from"]
    autocomplete_fields = ["host", "lead", "collaborators", "partners"]
    inlines = [InviteesInline, ItineraryInline, BudgetInline, AttachmentInline, TransitionInline]


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "created_at", "created_by"]
    search_fields = ["plan__reference"]
    list_select_related = ["plan", "created_by"]
    readonly_fields = ["plan", "number", "data", "created_at", "created_by"]


@admin.register(PlanTransition)
class PlanTransitionAdmin(admin.ModelAdmin):
    list_display = ["plan", "from_state", "to_state", "by", "at"]
    list_filter = ["to_state"]
    search_fields = ["plan__reference", "by__email"]
    list_select_related = ["plan", "by"]
    readonly_fields = ["plan", "from_state", "to_state", "by", "at", "reason"]
