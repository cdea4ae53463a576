"""Course D's interim report: the host writes and submits it once the first activity is over;
host and staff read it; staff accept it or send it back. The plan is loaded through
plans_visible_to (404 for others), as on the final report's pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from applications.queries import plans_visible_to
from common.views import PermissionRequiredMixin

from ..domain.activities import activity_problems, uses_activities
from ..domain.interim import (
    accept_interim,
    interim_due_date,
    interim_is_editable,
    interim_is_open,
    interim_is_overdue,
    interim_report_for,
    return_interim,
    save_interim,
    submit_interim,
)
from ..domain.reporting import ReportRefused, StaleReport
from ..forms import InterimReportForm, ReturnForm, activity_part_forms
from ..models import InterimReport
from .sections import activity_context, expenses_form_of, refuse_stale


class InterimMixin(PermissionRequiredMixin):
    """`self.plan`: the plan of the URL if this user may see it and it is made of activities;
    `self.report`: its interim report, if started."""

    permission_required = "reports.view_report"

    def get_permission_object(self):
        self.plan = get_object_or_404(plans_visible_to(self.request.user), pk=self.kwargs["pk"])
        if not uses_activities(self.plan):
            raise Http404
        self.report = InterimReport.objects.filter(plan=self.plan).first()
        return self.plan

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plan=self.plan,
            report=self.report,
            due_on=interim_due_date(self.plan),
            overdue=interim_is_overdue(self.plan, self.report),
            **kwargs,
        )


class InterimEdit(InterimMixin, TemplateView):
    """The plan's editors write the interim report; the lead or an administrator submits it."""

    permission_required = "reports.edit_report"
    template_name = "reports/interim_edit.html"

    def further_checks(self, request, plan):
        if not interim_is_editable(plan, self.report):
            if not interim_is_open(plan):
                messages.info(
                    request, _("The interim report can be written once the first activity is over.")
                )
            else:
                messages.info(request, _("This report cannot be changed now."))
            return redirect("interim_report_detail", pk=plan.pk)
        self.report = interim_report_for(plan)
        return None

    def get_context_data(self, **kwargs):
        report = self.report
        kwargs.setdefault(
            "form",
            InterimReportForm(
                initial={"report_version": report.version, "follow_up": report.follow_up}
            ),
        )
        kwargs.update(
            activity_context(
                report,
                activity_forms=kwargs.get("activity_forms"),
                expenses_form=kwargs.get("expenses_form"),
            )
        )
        return super().get_context_data(
            can_submit=self.request.user.has_perm("applications.act_for_host", self.plan),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        report = self.report
        form = InterimReportForm(request.POST)
        expenses_form = expenses_form_of(report, request.POST)
        activity_forms = activity_part_forms(report, request.POST)
        bound = {"form": form, "expenses_form": expenses_form, "activity_forms": activity_forms}
        valid = [form.is_valid(), expenses_form.is_valid()]
        valid += [part.is_valid() for part in activity_forms]
        if not all(valid):
            return self.render_to_response(self.get_context_data(**bound), status=400)
        try:
            save_interim(
                report,
                by=request.user,
                expected_version=form.cleaned_data["report_version"],
                follow_up=form.cleaned_data["follow_up"],
                parts={part.part.activity_id: part.value() for part in activity_forms},
                actuals=expenses_form.actuals(),
            )
        except StaleReport:
            refuse_stale(form, report)
            return self.render_to_response(self.get_context_data(**bound), status=409)
        except ReportRefused as refused:
            messages.error(request, refused.message)
            return redirect("interim_report_detail", pk=self.plan.pk)
        if "submit" not in request.POST:
            messages.success(request, _("The report was saved."))
            return redirect("interim_report_edit", pk=self.plan.pk)
        try:
            submit_interim(report, by=request.user)
        except PermissionDenied:
            messages.error(request, _("Only the lead coordinator or an administrator may submit."))
            return redirect("interim_report_edit", pk=self.plan.pk)
        except ReportRefused as refused:
            messages.error(request, refused.message)
            return self.render_to_response(
                self.get_context_data(problems=refused.problems), status=400
            )
        messages.success(request, _("The interim report was submitted."))
        return redirect("interim_report_detail", pk=self.plan.pk)


class InterimDetail(InterimMixin, TemplateView):
    """The interim report for the host and staff; staff accept it or send it back."""

    template_name = "reports/interim_detail.html"

    def get_context_data(self, **kwargs):
        report, user = self.report, self.request.user
        if report is not None:
            kwargs.update(activity_context(report))
            kwargs["problems"] = activity_problems(report)
        return super().get_context_data(
            can_edit=user.has_perm("reports.edit_report", self.plan)
            and interim_is_editable(self.plan, report),
            can_review=user.has_perm("reports.review_report", self.plan)
            and report is not None
            and report.submitted_at is not None
            and report.accepted_at is None,
            return_form=kwargs.pop("return_form", None) or ReturnForm(),
            **kwargs,
        )


class InterimReview(InterimMixin, TemplateView):
    """Staff accept the interim report or send it back with a comment."""

    permission_required = "reports.review_report"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        report = get_object_or_404(InterimReport, plan=self.plan)
        try:
            if "accept" in request.POST:
                accept_interim(report, by=request.user)
                messages.success(request, _("The interim report was accepted."))
            else:
                form = ReturnForm(request.POST)
                if not form.is_valid():
                    messages.error(request, _("Please say what must be corrected."))
                    return redirect("interim_report_detail", pk=self.plan.pk)
                return_interim(report, by=request.user, comment=form.cleaned_data["comment"])
                messages.success(request, _("The interim report was sent back to the host."))
        except ReportRefused as refused:
            messages.error(request, refused.message)
        return redirect("interim_report_detail", pk=self.plan.pk)
