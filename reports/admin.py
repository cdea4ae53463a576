"""Admin for implementation reports: read-mostly; states change only through the domain."""

from django.contrib import admin

from .models import (
    ActivityReport,
    ImplementationReport,
    InterimReport,
    ReportEvent,
    ReportExpense,
    ReportPhoto,
)


class ExpenseInline(admin.TabularInline):
    model = ReportExpense
    fk_name = "report"
    extra = 0


class PhotoInline(admin.TabularInline):
    model = ReportPhoto
    extra = 0
    fields = ["original_name", "caption", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(ImplementationReport)
class ImplementationReportAdmin(admin.ModelAdmin):
    list_display = ["plan", "submitted_at", "accepted_at", "updated_at"]
    list_filter = ["plan__state", "plan__call"]
    search_fields = ["plan__reference", "plan__title_en", "plan__title_ja"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan", "attended"]
    readonly_fields = ["version", "submitted_at", "accepted_at", "created_at", "updated_at"]
    inlines = [ExpenseInline, PhotoInline]


class ActivityPartInline(admin.TabularInline):
    model = ActivityReport
    fk_name = "interim"
    extra = 0
    fields = ["activity", "done"]
    readonly_fields = ["activity"]


class InterimExpenseInline(admin.TabularInline):
    model = ReportExpense
    fk_name = "interim"
    extra = 0
    fields = ["activity", "category", "approved_jpy", "actual_jpy"]
    readonly_fields = ["activity", "category", "approved_jpy"]


@admin.register(InterimReport)
class InterimReportAdmin(admin.ModelAdmin):
    list_display = ["plan", "submitted_at", "accepted_at", "updated_at"]
    list_filter = ["plan__state", "plan__call"]
    search_fields = ["plan__reference", "plan__title_en", "plan__title_ja"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan"]
    readonly_fields = ["version", "submitted_at", "accepted_at", "created_at", "updated_at"]
    inlines = [ActivityPartInline, InterimExpenseInline]


@admin.register(ReportEvent)
class ReportEventAdmin(admin.ModelAdmin):
    """The history is read only: rows are written by the reports' domain functions."""

    list_display = ["plan", "kind", "activity", "by", "at"]
    list_filter = ["kind"]
    search_fields = ["plan__reference"]
    list_select_related = ["plan", "activity", "by"]
    readonly_fields = ["plan", "activity", "kind", "by", "at", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
