from django.contrib import admin

from .models import EndUserList, ListedEntity, ScreeningAccess, SecurityFormRequirement

# Matches are not in the admin: every view of a match goes through the screening pages, which
# write the audit log.


class ListedEntityInline(admin.TabularInline):
    model = ListedEntity
    extra = 0


@admin.register(EndUserList)
class EndUserListAdmin(admin.ModelAdmin):
    list_display = ["version", "published_on", "uploaded_at", "uploaded_by"]
    inlines = [ListedEntityInline]


@admin.register(SecurityFormRequirement)
class SecurityFormRequirementAdmin(admin.ModelAdmin):
    list_display = ["course", "required", "source"]


@admin.register(ScreeningAccess)
class ScreeningAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "what", "matches"]
    readonly_fields = ["at", "actor", "what", "matches"]
