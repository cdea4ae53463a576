"""Staff pages of the direct invitations: the agency's plans, their nominating bodies and
invitations, and the selection among the nominations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from applications.domain.states import TransitionRefused
from common.spreadsheets import csv_writer
from common.views import PermissionRequiredMixin

from ..domain.invitations import invite_nominator
from ..domain.plans import approve_direct_plan, create_direct_plan, direct_calls, direct_plans
from ..domain.selection import close_nominations, reopen_nominations, select_nominations
from ..forms import DirectPlanForm, NominatingBodyForm, NominatorInvitationForm, SelectionForm
from ..models import Nomination, NominationRound

STAFF = "nominations.manage_direct_invitations"


class DirectPlanList(PermissionRequiredMixin, ListView):
    """The agency's own plans, newest first, with their nominations counted in the query."""

    permission_required = STAFF
    template_name = "nominations/staff/plan_list.html"
    context_object_name = "plans"
    paginate_by = 25

    def get_queryset(self):
        return direct_plans().annotate(
            nomination_count=Count(
                "nominations", filter=~Q(nominations__status=Nomination.Status.WITHDRAWN)
            ),
            selected_count=Count(
                "nominations", filter=Q(nominations__status=Nomination.Status.SELECTED)
            ),
        )


class DirectPlanCreate(PermissionRequiredMixin, FormView):
    permission_required = STAFF
    template_name = "nominations/staff/plan_new.html"
    form_class = DirectPlanForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "calls": direct_calls()}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            plan = create_direct_plan(
                call=data["call"], course=data["course"], by=self.request.user, **form.basics()
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Plan %(reference)s created: add its partners, invitees, itinerary and budget.")
            % {"reference": plan.reference},
        )
        return redirect("plan_edit_partners", pk=plan.pk)


def _nominations_open(plan):
    """Whether the plan still takes nominations (a plan without a round takes them)."""
    closed = NominationRound.objects.filter(plan=plan, closed_at__isnull=False)
    return not closed.exists()


class DirectPlanMixin(PermissionRequiredMixin):
    """`self.plan`: an agency-hosted plan (any other answers 404), for staff only."""

    permission_required = STAFF

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(STAFF):
            self.plan = get_object_or_404(direct_plans(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class DirectPlanDetail(DirectPlanMixin, TemplateView):
    """The plan's direct-invitation page: approval, nominating bodies, invitations."""

    template_name = "nominations/staff/plan_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plan=self.plan,
            nominations_open=_nominations_open(self.plan),
            invitations=self.plan.nominator_invitations.select_related("body", "invited_by"),
            body_form=kwargs.pop("body_form", None) or NominatingBodyForm(prefix="body"),
            invitation_form=kwargs.pop("invitation_form", None)
            or NominatorInvitationForm(prefix="invite"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "body-name_en" in request.POST:
            body_form = NominatingBodyForm(request.POST, prefix="body")
            if not body_form.is_valid():
                return self.render_to_response(
                    self.get_context_data(body_form=body_form), status=400
                )
            body = body_form.save()
            messages.success(request, _("%(body)s added.") % {"body": body.name})
            return redirect("direct_plan_detail", pk=self.plan.pk)
        form = NominatorInvitationForm(request.POST, prefix="invite")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(invitation_form=form), status=400)
        data = form.cleaned_data
        invite_nominator(
            self.plan, data["body"], data["email"], by=request.user, language=data["language"]
        )
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
        return redirect("direct_plan_detail", pk=self.plan.pk)


class DirectPlanApprove(DirectPlanMixin, View):
    """Approve the agency's draft: no submission, no review (approve_direct_plan)."""

    def post(self, request, pk):
        try:
            approve_direct_plan(self.plan, by=request.user)
        except (TransitionRefused, ValidationError) as refusal:
            problems = getattr(refusal, "problems", None) or getattr(refusal, "messages", [])
            for problem in problems or [str(refusal)]:
                messages.error(request, problem)
        else:
            messages.success(request, _("The plan is approved."))
        return redirect("direct_plan_detail", pk=self.plan.pk)


class NominationsForStaff(DirectPlanMixin, TemplateView):
    """Every nomination of the plan, by body; staff tick candidates and select them."""

    template_name = "nominations/staff/nominations.html"

    def get_context_data(self, **kwargs):
        nominations = self.plan.nominations.select_related("body", "participant").order_by(
            "body__name_en", "family_name", "pk"
        )
        page = Paginator(nominations, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            plan=self.plan,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            nominations=page.object_list,
            nominations_open=_nominations_open(self.plan),
            **kwargs,
        )

    def post(self, request, pk):
        action = request.POST.get("action")
        if action == "close":
            close_nominations(self.plan, by=request.user)
            messages.success(request, _("Nominations are closed; the nominators are told."))
        elif action == "reopen":
            reopen_nominations(self.plan, by=request.user)
            messages.success(request, _("Nominations are open again."))
        else:
            form = SelectionForm(request.POST, plan=self.plan)
            if not form.is_valid() or not form.cleaned_data["nominations"]:
                messages.error(request, _("Tick the candidates to select."))
                return redirect("direct_plan_nominations", pk=self.plan.pk)
            try:
                created = select_nominations(
                    self.plan, form.cleaned_data["nominations"], by=request.user
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("%(count)s candidates selected: they are now participants of the plan.")
                    % {"count": len(created)},
                )
        return redirect("direct_plan_nominations", pk=self.plan.pk)


class NominationsExport(DirectPlanMixin, View):
    """The plan's nominations as CSV (every cell kept from being read as a formula)."""

    def get(self, request, pk):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="nominations-{self.plan.reference}.csv"'
        )
        response.write("\ufeff")  # Excel reads the file as UTF-8
        writer = csv_writer(response)
        writer.writerow(
            [
                _("Nominating body"),
                _("Family name"),
                _("Given name(s)"),
                _("Name in native script"),
                _("Date of birth"),
                _("Nationality"),
                _("Category"),
                _("Email address"),
                _("Home institution"),
                _("Status"),
            ]
        )
        for nomination in self.plan.nominations.select_related("body").order_by("pk"):
            writer.writerow(
                [
                    nomination.body.name,
                    nomination.family_name,
                    nomination.given_name,
                    nomination.native_name,
                    nomination.date_of_birth.isoformat(),
                    str(nomination.nationality),
                    nomination.get_category_display(),
                    nomination.email,
                    nomination.home_institution_name,
                    nomination.get_status_display(),
                ]
            )
        return response
