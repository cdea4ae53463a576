from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "language", "state", "attempts"]
    list_filter = ["state", "kind", "language"]
    search_fields = ["recipient__email", "subject"]
    list_select_related = ["recipient"]
    readonly_fields = ["created_at", "sent_at"]
