"""Attendance of an online session, entered by the host (or staff for the host) after it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from applications.models import Activity
from applications.queries import plans_visible_to
from common.views import PermissionRequiredMixin

from ..domain.attendance import AttendanceRefused, enter_attendance, session_has_ended
from ..forms import AttendanceForm


class AttendanceEdit(PermissionRequiredMixin, TemplateView):
    """GET: the session, in Japan time and the partner's, and the form once it has ended;
    POST: the figures, through `enter_attendance`."""

    permission_required = "reports.enter_attendance"
    template_name = "reports/attendance.html"

    def get_permission_object(self):
        self.plan = get_object_or_404(plans_visible_to(self.request.user), pk=self.kwargs["pk"])
        self.activity = get_object_or_404(
            Activity, plan=self.plan, pk=self.kwargs["activity_pk"], kind=Activity.Kind.ONLINE
        )
        return self.plan

    def get_context_data(self, **kwargs):
        activity = self.activity
        kwargs.setdefault(
            "form",
            AttendanceForm(
                initial={
                    "attendance_japan": activity.attendance_japan,
                    "attendance_partner": activity.attendance_partner,
                }
            ),
        )
        return super().get_context_data(
            plan=self.plan,
            activity=activity,
            ended=session_has_ended(activity),
            now=timezone.now(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            enter_attendance(
                self.activity,
                by=request.user,
                japan=form.cleaned_data["attendance_japan"],
                partner=form.cleaned_data["attendance_partner"],
            )
        except AttendanceRefused as refused:
            form.add_error(None, refused.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("The attendance was saved."))
        return redirect("activity_attendance", pk=self.plan.pk, activity_pk=self.activity.pk)
