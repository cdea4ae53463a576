"""Admin for implementation reports: read-mostly; states change only through the domain."""

from django.contrib import admin

from .models import ImplementationReport, ReportExpense, ReportPhoto


class ExpenseInline(admin.TabularInline):
    model = ReportExpense
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
