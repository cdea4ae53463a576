"""Nominating bodies in the admin (no personal data; nominations are kept to staff's pages)."""

from django.contrib import admin

from .models import NominatingBody


@admin.register(NominatingBody)
class NominatingBodyAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ja", "country", "kind"]
    list_filter = ["kind", "country"]
    search_fields = ["name_en", "name_ja"]
