"""Screening pages: the host's screening section of a plan, and staff's list and matches.

Every page that shows a match writes a row in the screening audit log (`record_view`).
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from applications.domain.checks import check_plan, with_check_facts
from applications.models import InvitationPlan, PlanState
from applications.views.base import PlanMixin
from common.views import PermissionRequiredMixin

from .domain.lists import ListRefused, upload_list
from .domain.matching import list_in_force
from .domain.precheck import (
    SECTION,
    add_security_form,
    answers_of,
    matches_of_plan,
    missing_security_forms,
    plan_needs_security_forms,
    record_view,
    resolve_match,
    save_answers,
)
from .forms import AnswersForm, ListUploadForm, ResolutionForm, SecurityFormForm
from .models import EndUserList, ScreeningMatch


class PlanScreening(PlanMixin, TemplateView):
    """The plan's screening section: matches (with score and listed entry), the pre-check
    answers and the security forms. The host answers while the plan is editable."""

    permission_required = "screening.view_screening"
    template_name = "screening/plan_screening.html"

    @classmethod
    def plans_of(cls, hosts):
        # The page checks the plan (its screening section): the checks' facts come with it.
        return with_check_facts(super().plans_of(hosts))

    def get_context_data(self, **kwargs):
        plan = self.plan
        matches = list(matches_of_plan(plan))
        record_view(self.request.user, f"plan {plan.reference} screening", len(matches))
        may_answer = self.request.user.has_perm("screening.answer_screening", plan)
        forms_required = plan_needs_security_forms(plan)
        kwargs.setdefault("form", AnswersForm(instance=answers_of(plan)))
        if forms_required:
            kwargs.setdefault("upload_form", SecurityFormForm(plan=plan))
        return super().get_context_data(
            matches=matches,
            answers=answers_of(plan),
            may_answer=may_answer,
            forms_required=forms_required,
            security_forms=plan.security_forms.select_related("partner"),
            missing_forms=missing_security_forms(plan),
            section_problems=check_plan(plan).section(SECTION) if plan.is_editable else {},
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("screening.answer_screening", self.plan):
            messages.error(
                request, _("The screening can be changed only while the plan is a draft.")
            )
            return redirect("plan_screening", pk=self.plan.pk)
        if "file" in request.FILES:
            upload = SecurityFormForm(request.POST, request.FILES, plan=self.plan)
            if upload.is_valid():
                add_security_form(
                    self.plan,
                    upload.cleaned_data["file"],
                    partner=upload.partner(),
                    by=request.user,
                )
                messages.success(request, _("The security form was uploaded."))
                return redirect("plan_screening", pk=self.plan.pk)
            return self.render_to_response(self.get_context_data(upload_form=upload), status=400)
        form = AnswersForm(request.POST, instance=answers_of(self.plan))
        if form.is_valid():
            save_answers(self.plan, form.cleaned_data, by=request.user)
            messages.success(request, _("The screening answers were saved."))
            return redirect("plan_screening", pk=self.plan.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SecurityFormDownload(PlanMixin, TemplateView):
    permission_required = "screening.view_screening"

    def get(self, request, *args, **kwargs):
        form = get_object_or_404(self.plan.security_forms, pk=kwargs["form_pk"])
        return FileResponse(
            form.file.open("rb"),
            as_attachment=True,
            filename=form.original_name,
            content_type="application/pdf",
        )


class StaffScreening(PermissionRequiredMixin, TemplateView):
    """Staff: the list in force, earlier lists, the upload, and the matches to resolve."""

    permission_required = "screening.manage_screening"
    template_name = "screening/staff_screening.html"

    def get_context_data(self, **kwargs):
        show_all = self.request.GET.get("show") == "all"
        matches = ScreeningMatch.objects.select_related(
            "partner__host", "entity__source_list", "resolved_by"
        ).annotate(plan_count=Count("partner__plans", distinct=True))
        if not show_all:
            matches = matches.filter(resolved_at__isnull=True)
        matches = list(matches[:500])
        record_view(self.request.user, "staff screening matches", len(matches))
        kwargs.setdefault("upload_form", ListUploadForm())
        return super().get_context_data(
            in_force=list_in_force(),
            lists=EndUserList.objects.annotate(entry_count=Count("entities"))[:20],
            matches=matches,
            show_all=show_all,
            unresolved_count=ScreeningMatch.objects.filter(resolved_at__isnull=True).count(),
            resolution_form=ResolutionForm(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = ListUploadForm(request.POST, request.FILES)
        list_errors = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                new_list = upload_list(
                    upload.name,
                    upload.read(),
                    version=form.cleaned_data["version"],
                    published_on=form.cleaned_data["published_on"],
                    by=request.user,
                )
            except ListRefused as refused:
                list_errors = refused.errors
            else:
                messages.success(
                    request,
                    _("End User List %(version)s was saved; every partner was screened again.")
                    % {"version": new_list.version},
                )
                return redirect("staff_screening")
        return self.render_to_response(
            self.get_context_data(upload_form=form, list_errors=list_errors), status=400
        )


class ResolveMatch(PermissionRequiredMixin, TemplateView):
    """Staff record a resolution of one match (who, when, why)."""

    permission_required = "screening.manage_screening"
    template_name = "screening/resolve.html"

    def get_permission_object(self):
        self.match = get_object_or_404(
            ScreeningMatch.objects.select_related("partner__host", "entity__source_list"),
            pk=self.kwargs["pk"],
        )
        return self.match

    def get_context_data(self, **kwargs):
        record_view(self.request.user, f"match {self.match.pk}", 1)
        kwargs.setdefault("form", ResolutionForm())
        # The plans not yet approved that invite from (or through a participant of) the partner.
        partner = self.match.partner
        plans = (
            InvitationPlan.objects.filter(
                Q(partners=partner) | Q(participants__home_institution=partner)
            )
            .filter(
                state__in=[
                    *PlanState.editable_states(),
                    *PlanState.in_review(),
                    PlanState.WAITLISTED,
                ]
            )
            .select_related("call__program")
            .distinct()
        )
        return super().get_context_data(match=self.match, plans=plans, **kwargs)

    def post(self, request, *args, **kwargs):
        form = ResolutionForm(request.POST)
        if form.is_valid():
            resolve_match(self.match, by=request.user, reason=form.cleaned_data["resolution"])
            messages.success(request, _("The match was resolved."))
            return redirect("staff_screening")
        return self.render_to_response(self.get_context_data(form=form), status=400)
