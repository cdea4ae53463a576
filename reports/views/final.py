"""The implementation report: the host writes and submits it; host and staff read it; staff
accept it or send it back. Every view loads the plan through plans_visible_to (404 for others).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from applications.domain.states import TransitionRefused
from applications.models import PlanState
from applications.queries import plans_visible_to
from common.views import PermissionRequiredMixin

from ..domain.activities import uses_activities
from ..domain.reporting import (
    ReportRefused,
    StaleReport,
    accept_report,
    add_photo,
    due_date,
    is_open_for_editing,
    is_overdue,
    report_for,
    return_report,
    save_report,
    submit_report,
    validate_report,
)
from ..forms import PhotoForm, ReportForm, ReturnForm, activity_part_forms
from ..models import ImplementationReport, ReportPhoto
from .sections import activity_context, expenses_form_of, refuse_stale


class ReportMixin(PermissionRequiredMixin):
    """`self.plan` is the plan of the URL, if this user may see it; otherwise 404."""

    permission_required = "reports.view_report"

    def get_permission_object(self):
        self.plan = get_object_or_404(plans_visible_to(self.request.user), pk=self.kwargs["pk"])
        return self.plan

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plan=self.plan,
            due_on=due_date(self.plan),
            overdue=is_overdue(self.plan),
            **kwargs,
        )


class ReportEdit(ReportMixin, TemplateView):
    """The host's editors write the report; the lead or an administrator submits it."""

    permission_required = "reports.edit_report"
    template_name = "reports/report_edit.html"

    def further_checks(self, request, plan):
        if not is_open_for_editing(plan):
            messages.info(request, _("This report cannot be changed now."))
            return redirect("report_detail", pk=plan.pk)
        self.report = report_for(plan)
        return None

    def get_context_data(self, **kwargs):
        report = self.report
        kwargs.setdefault("form", ReportForm(instance=report))
        kwargs.setdefault("expenses_form", expenses_form_of(report))
        kwargs.setdefault("photo_form", PhotoForm())
        if uses_activities(self.plan):
            kwargs.update(
                activity_context(
                    report,
                    activity_forms=kwargs.get("activity_forms"),
                    expenses_form=kwargs.get("expenses_form"),
                )
            )
        return super().get_context_data(
            report=report,
            photos=report.photos.all(),
            can_submit=self.request.user.has_perm("applications.act_for_host", self.plan),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "photo" in request.POST:
            return self.post_photo(request)
        report = self.report
        form = ReportForm(request.POST, instance=report)
        expenses_form = expenses_form_of(report, request.POST)
        by_activity = uses_activities(self.plan)
        activity_forms = activity_part_forms(report, request.POST) if by_activity else []
        bound = {"form": form, "expenses_form": expenses_form, "activity_forms": activity_forms}
        valid = [form.is_valid(), expenses_form.is_valid()]
        valid += [part.is_valid() for part in activity_forms]
        if not all(valid):
            return self.render_to_response(self.get_context_data(**bound), status=400)
        try:
            save_report(
                report,
                by=request.user,
                expected_version=form.cleaned_data["report_version"],
                fields=form.report_fields(),
                attended=form.cleaned_data.get("attended", []),
                actuals=expenses_form.actuals(),
                parts=(
                    {part.part.activity_id: part.value() for part in activity_forms}
                    if by_activity
                    else None
                ),
            )
        except StaleReport:
            refuse_stale(form, report)
            return self.render_to_response(self.get_context_data(**bound), status=409)
        except ReportRefused as refused:
            messages.error(request, refused.message)
            return redirect("report_detail", pk=self.plan.pk)
        if "submit" not in request.POST:
            messages.success(request, _("The report was saved."))
            return redirect("report_edit", pk=self.plan.pk)
        try:
            submit_report(report, by=request.user)
        except PermissionDenied:
            messages.error(request, _("Only the lead coordinator or an administrator may submit."))
            return redirect("report_edit", pk=self.plan.pk)
        except (ReportRefused, TransitionRefused) as refused:
            messages.error(request, refused.message)
            return self.render_to_response(
                self.get_context_data(problems=getattr(refused, "problems", None) or []),
                status=400,
            )
        messages.success(request, _("The report was submitted."))
        return redirect("report_detail", pk=self.plan.pk)

    def post_photo(self, request):
        photo_form = PhotoForm(request.POST, request.FILES)
        if not photo_form.is_valid():
            return self.render_to_response(self.get_context_data(photo_form=photo_form), status=400)
        add_photo(
            self.report,
            by=request.user,
            uploaded=photo_form.cleaned_data["image"],
            caption=photo_form.cleaned_data["caption"],
            content_type=photo_form.cleaned_data["content_type"],
        )
        messages.success(request, _("The photo was added."))
        return redirect("report_edit", pk=self.plan.pk)


class ReportDetail(ReportMixin, TemplateView):
    """The report as submitted, for the host and staff; staff accept it or send it back."""

    template_name = "reports/report_detail.html"

    def get_context_data(self, **kwargs):
        report = ImplementationReport.objects.filter(plan=self.plan).first()
        user = self.request.user
        if report is not None and uses_activities(self.plan):
            kwargs.update(activity_context(report))
        return super().get_context_data(
            report=report,
            expenses=report.expenses.all() if report else [],
            attended=report.attended.all() if report else [],
            photos=report.photos.all() if report else [],
            problems=validate_report(report) if report else [],
            can_edit=user.has_perm("reports.edit_report", self.plan)
            and is_open_for_editing(self.plan),
            can_review=user.has_perm("reports.review_report", self.plan)
            and report is not None
            and self.plan.state == PlanState.REPORTED,
            return_form=kwargs.pop("return_form", None) or ReturnForm(),
            **kwargs,
        )


class ReportReview(ReportMixin, TemplateView):
    """Staff accept the report (plan closed) or send it back with a comment (completed)."""

    permission_required = "reports.review_report"
    template_name = "reports/report_detail.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        report = get_object_or_404(ImplementationReport, plan=self.plan)
        try:
            if "accept" in request.POST:
                accept_report(report, by=request.user)
                messages.success(request, _("The report was accepted and the plan closed."))
            else:
                form = ReturnForm(request.POST)
                if not form.is_valid():
                    messages.error(request, _("Please say what must be corrected."))
                    return redirect("report_detail", pk=self.plan.pk)
                return_report(report, by=request.user, comment=form.cleaned_data["comment"])
                messages.success(request, _("The report was sent back to the host."))
        except (ReportRefused, TransitionRefused) as refused:
            messages.error(request, refused.message)
        return redirect("report_detail", pk=self.plan.pk)


class ReportPhotoView(ReportMixin, TemplateView):
    """Photos are never public: streamed only to those who may see the plan."""

    def get(self, request, *args, **kwargs):
        photo = get_object_or_404(ReportPhoto, report__plan=self.plan, pk=kwargs["photo_pk"])
        return FileResponse(photo.image.open("rb"), content_type=photo.content_type)
