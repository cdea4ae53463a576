"""The admin of participants' records. Every page that shows their personal data is written to
the audit log, as the exports are."""

from django.contrib import admin

from .domain.registry import record_access
from .models import (
    CalendarFeed,
    Participant,
    ParticipantChange,
    ParticipantInvitation,
    PersonalDataAccess,
)


class RecordedViewsAdmin(admin.ModelAdmin):
    """A model admin whose pages of personal data write a `PersonalDataAccess` row each time they
    are shown: the list (with its search and filters, and how many rows it showed), one record,
    its history and the deletion's confirmation. A refused or redirected request shows nothing
    and writes nothing."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if response.status_code == 200 and changelist is not None:
            query = request.GET.urlencode()
            what = f"{self.opts.label} {query}" if query else self.opts.label
            record_access(request.user, "admin_list", what[:300], len(changelist.result_list))
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        return self._recorded(request, response, "admin_view", object_id)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        return self._recorded(request, response, "admin_history", object_id)

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        return self._recorded(request, response, "admin_delete", object_id)

    def _recorded(self, request, response, action, object_id):
        if response.status_code == 200:
            record_access(request.user, action, f"{self.opts.label} {object_id}"[:300], 1)
        return response


@admin.register(Participant)
class ParticipantAdmin(RecordedViewsAdmin):
    list_display = ["family_name", "given_name", "nationality", "category", "plan"]
    list_filter = ["category", "nationality", "gender"]
    search_fields = ["family_name", "given_name", "native_name", "email", "plan__reference"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan", "home_institution", "user"]


@admin.register(ParticipantChange)
class ParticipantChangeAdmin(RecordedViewsAdmin):
    list_display = ["participant", "field", "by", "at"]
    search_fields = ["participant__family_name", "field"]
    raw_id_fields = ["participant", "by"]


@admin.register(ParticipantInvitation)
class ParticipantInvitationAdmin(RecordedViewsAdmin):
    list_display = ["participant", "created_at", "expires_at", "used_at"]
    search_fields = ["participant__family_name", "participant__email"]
    readonly_fields = ["token_hash"]
    raw_id_fields = ["participant", "invited_by"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    search_fields = ["user__email"]
    readonly_fields = ["token"]
    raw_id_fields = ["user"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "what", "count"]
    list_filter = ["action"]
    search_fields = ["actor__email", "what"]
    raw_id_fields = ["actor"]
