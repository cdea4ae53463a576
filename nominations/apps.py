from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    name = "nominations"
    verbose_name = _("Direct invitations and nominations")

    def ready(self):
        # The outbox makes the nominator's single-use link only when it sends the mail.
        from notifications import links
        from notifications.models import Notification

        from .domain.invitations import new_link_token

        links.register(Notification.Kind.NOMINATOR_INVITED, new_link_token)
