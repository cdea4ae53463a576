"""The participant's own portal."""

from django.views.generic import TemplateView

from sakura.mixins import PermissionRequiredMixin


class ParticipantHome(PermissionRequiredMixin, TemplateView):
    permission_required = "participants.use_portal"
    template_name = "participants/portal/home.html"
