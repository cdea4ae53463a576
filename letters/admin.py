from django.contrib import admin

from participants.admin import RecordedViewsAdmin

from .models import Letter, LetterBatch, LetterJob


@admin.register(Letter)
class LetterAdmin(RecordedViewsAdmin):
    """Read-only: letters are issued by the domain, never typed in. A letter shows a
    participant's personal data, so its pages are written to the audit log."""

    list_display = ["reference", "kind", "participant", "version", "status", "issued_at"]
    list_filter = ["kind", "status"]
    search_fields = ["reference", "participant__family_name", "plan__reference"]
    raw_id_fields = ["participant", "plan", "replaced_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LetterJobInline(admin.TabularInline):
    model = LetterJob
    fields = ["participant", "state", "error", "attempts", "letter"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(LetterBatch)
class LetterBatchAdmin(admin.ModelAdmin):
    list_display = ["call", "started_by", "started_at", "total", "done", "failed", "finished_at"]
    readonly_fields = ["call", "started_by", "started_at", "total", "done", "failed", "finished_at"]
    inlines = [LetterJobInline]

    def has_add_permission(self, request):
        return False
