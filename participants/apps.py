from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self):
        # The outbox makes the invitation's link only when it sends the mail.
        from notifications import links
        from notifications.models import Notification

        from .domain.invitations import new_link_token

        links.register(Notification.Kind.PARTICIPANT_INVITED, new_link_token)
