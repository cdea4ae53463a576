"""Coordinators (and staff) read a call's rules: dates in Japan time, courses, limits."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView

from common.views import PermissionRequiredMixin

from ..domain.rules import with_rules
from ..queries import calls_visible_to


class CallDetail(PermissionRequiredMixin, DetailView):
    permission_required = "programs.view_call"
    template_name = "programs/call_detail.html"
    context_object_name = "call"

    def get_permission_object(self):
        self.object = get_object_or_404(
            calls_visible_to(self.request.user).prefetch_related("courses"), pk=self.kwargs["pk"]
        )
        return self.object

    def get_object(self, queryset=None):
        return with_rules([self.object])[0]

    def get_context_data(self, **kwargs):
        return super().get_context_data(now=timezone.now(), **kwargs)
