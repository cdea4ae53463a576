from django.contrib import admin

from .models import (
    CalendarFeed,
    Participant,
    ParticipantChange,
    ParticipantInvitation,
    PersonalDataAccess,
)


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["family_name", "given_name", "nationality", "category", "plan"]
    list_filter = ["category", "nationality", "gender"]
    search_fields = ["family_name", "given_name", "native_name", "email", "plan__reference"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan", "home_institution", "user"]


@admin.register(ParticipantChange)
class ParticipantChangeAdmin(admin.ModelAdmin):
    list_display = ["participant", "field", "by", "at"]
    search_fields = ["participant__family_name", "field"]
    raw_id_fields = ["participant", "by"]


@admin.register(ParticipantInvitation)
class ParticipantInvitationAdmin(admin.ModelAdmin):
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
