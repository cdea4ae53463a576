from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "institutions"
    verbose_name = _("Institutions")

    def ready(self):
        # The outbox makes the invitation's link only when it sends the mail.
        from notifications import links
        from notifications.models import Notification

        from .domain.membership import new_link_token

        links.register(Notification.Kind.MEMBERSHIP_INVITATION, new_link_token)
