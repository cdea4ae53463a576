from django.contrib import admin

from .domain.partners import save_partner
from .models import Institution, Membership, MembershipInvitation, PartnerInstitution


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ja", "kind", "prefecture"]
    list_filter = ["kind", "prefecture"]
    search_fields = ["name_en", "name_ja", "address"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "institution", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = [
        "user__email",
        "user__full_name",
        "institution__name_en",
        "institution__name_ja",
    ]
    autocomplete_fields = ["user", "institution"]
    list_select_related = ["user", "institution"]


@admin.register(MembershipInvitation)
class MembershipInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "institution", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "institution__name_en", "institution__name_ja"]
    readonly_fields = ["token_hash", "created_at", "accepted_at"]
    list_select_related = ["institution"]


@admin.register(PartnerInstitution)
class PartnerInstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "kind", "host"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "name_local", "city", "host__name_en"]
    autocomplete_fields = ["host"]
    list_select_related = ["host"]

    def save_model(self, request, obj, form, change):
        # Through save_partner, so that a partner added or renamed here is screened again
        # like one saved on the host's pages.
        save_partner(obj)
