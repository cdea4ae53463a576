"""Staff: the outbox with filters, one message, resend. Everyone: which optional mail they get."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from common.views import PermissionRequiredMixin

from .domain.sending import resend
from .filters import OutboxFilter
from .models import Notification
from .services import enqueue


class OutboxView(PermissionRequiredMixin, TemplateView):
    permission_required = "accounts.use_staff_pages"
    template_name = "notifications/outbox.html"

    def get_context_data(self, **kwargs):
        chosen = OutboxFilter(
            self.request.GET or None,
            Notification.objects.select_related("plan").order_by("-created_at"),
        )
        rows = chosen.qs
        page = Paginator(rows, 50).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=chosen.form,
            page_obj=page,
            rows=page.object_list,
            query=query.urlencode(),
            **kwargs,
        )


class MessageView(PermissionRequiredMixin, TemplateView):
    permission_required = "accounts.use_staff_pages"
    template_name = "notifications/message.html"

    def get_context_data(self, **kwargs):
        message = get_object_or_404(
            Notification.objects.select_related("plan"), pk=self.kwargs["pk"]
        )
        return super().get_context_data(message=message, **kwargs)

    def post(self, request, pk):
        message = get_object_or_404(Notification, pk=pk)
        resend(message)
        enqueue(message.pk)
        messages.success(request, _("The message is queued again."))
        return redirect("outbox_message", pk=pk)
