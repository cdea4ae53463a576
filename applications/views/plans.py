"""The coordinator's plans: the list, a new plan, the plan page, submission and withdrawal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from accounts.rules import membership_roles
from common.prepared import PreparedQuery
from common.views import PermissionRequiredMixin
from institutions.queries import institutions_visible_to
from programs.domain.rules import plan_rules
from programs.queries import open_calls

from ..domain.activities import activities_with_budget
from ..domain.checks import deadline_binds, read_plan_rows, submission_window_shut
from ..domain.editing import create_plan
from ..domain.snapshots import diff_versions, readable, rules_checked_against
from ..domain.states import (
    TransitionRefused,
    allowed_moves,
    moves_not_yet_possible,
    page_move,
    set_plan_state,
    submit_plan,
)
from ..forms import DeclarationsForm, NewPlanForm, ReasonForm
from ..models import PlanState, PlanTransition, PlanVersion
from ..queries import own_plans, plans_of_hosts, with_completeness
from .base import EditorMixin, PlanMixin, editor_sections


class PlanList(PermissionRequiredMixin, TemplateView):
    """My institutions' plans with their state, deadline and what is still missing."""

    permission_required = "applications.create_plan"
    template_name = "applications/plan_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        hosts = list(membership_roles(self.request.user))
        # Counted without the figures; the page's plans read with them, by a query compiled
        # once per process (and page number).
        page = Paginator(plans_of_hosts(hosts), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        first, last = page.start_index(), page.end_index()  # 0, 0 on an empty list
        plans = _PLAN_LIST.part(first - 1, last, hosts=hosts) if last else []
        return super().get_context_data(page_obj=page, plans=plans, **kwargs)


def _plan_list(hosts):
    """The plans of the institutions `hosts`, newest first, with what each still misses."""
    return with_completeness(plans_of_hosts(hosts)).order_by("-created_at")


_PLAN_LIST = PreparedQuery(_plan_list)


class PlanCreate(PermissionRequiredMixin, FormView):
    permission_required = "applications.create_plan"
    template_name = "applications/plan_new.html"
    form_class = NewPlanForm

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "calls": open_calls(),
            "institutions": institutions_visible_to(user).filter(memberships__user=user),
            "earlier_plans": own_plans(user),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        plan = create_plan(
            call=data["call"],
            course=data["course"],
            host=data["host"],
            by=self.request.user,
            copy_of=data["copy_of"],
            arrival_on=data["arrival_on"],
        )
        messages.success(
            self.request, _("Plan %(reference)s created.") % {"reference": plan.reference}
        )
        return redirect("plan_edit_basics", pk=plan.pk)


class PlanDetail(PlanMixin, TemplateView):
    """The plan as it stands, its history and submitted versions, and what may be done now."""

    template_name = "applications/plan_detail.html"

    def get_context_data(self, **kwargs):
        plan = self.plan
        user = self.request.user
        read_plan_rows(plan)  # its rows, for the page and the moves' conditions
        history = _HISTORY.all(plan=plan.pk)
        return super().get_context_data(
            revision_request=_last_revision_request(plan, history),
            invitees=plan.invitees.all(),
            activities=activities_with_budget(plan) if plan_rules(plan).uses_activities else [],
            itinerary=plan.itinerary.all(),
            budget=plan.budget.all(),
            attachments=plan.attachments.all(),
            partners=plan.partners.all(),
            history=history,
            versions=_VERSIONS.all(plan=plan.pk),
            moves=allowed_moves(plan, user),
            waiting_moves=moves_not_yet_possible(plan, user),
            can_edit=user.has_perm("applications.edit_plan", plan),
            reason_form=ReasonForm(),
            states=PlanState,
            **kwargs,
        )


# The plan page's history and its submitted versions, each query compiled once per process.
_HISTORY = PreparedQuery(
    lambda plan: PlanTransition.objects.select_related("by").filter(plan=plan).order_by("at", "pk")
)
# Listed by number, date and author: not their frozen data (a whole plan each), and in their
# own order (PlanVersion's orders by plan first: a join to the plan).
_VERSIONS = PreparedQuery(
    lambda plan: (
        PlanVersion.objects.filter(plan=plan)
        .select_related("created_by")
        .defer("data")
        .order_by("number")
    )
)


def _last_revision_request(plan, history):
    """While a revision is requested: the step that asked for it, with staff's message."""
    if plan.state != PlanState.REVISION_REQUESTED:
        return None
    return next((s for s in reversed(history) if s.to_state == PlanState.REVISION_REQUESTED), None)


class PlanSubmit(EditorMixin, TemplateView):
    """Review & submit: every problem at once, linked to its section; the submit button."""

    template_name = "applications/editor/submit.html"
    section = None

    def get_context_data(self, **kwargs):
        now = timezone.now()
        call = self.plan.call
        context = super().get_context_data(
            can_submit=self.request.user.has_perm("applications.act_for_host", self.plan),
            now=now,
            # The call's dates, as they bind this plan (a revision may be sent after the close).
            call_closed=call.closes_at <= now,
            window_shut=submission_window_shut(self.plan, now),
            deadline_binds=deadline_binds(self.plan),
            **kwargs,
        )
        pages = {name: url for name, _label, url in editor_sections(self.plan)}
        # [(section, field, message, the address of its page and field, or "")]
        context["problem_links"] = [
            (section, field, message, problem_address(self.plan, pages, section, field))
            for section, field, message in context["problems"].as_list()
        ]
        # After the checks, which read the plan's rules once for the form too.
        context.setdefault("declarations_form", DeclarationsForm(plan=self.plan))
        return context

    def post(self, request, *args, **kwargs):
        form = DeclarationsForm(request.POST, plan=self.plan)
        if not form.is_valid():
            messages.error(request, _("Tick every declaration before submitting the plan."))
            return self.render_to_response(
                self.get_context_data(declarations_form=form), status=400
            )
        try:
            submit_plan(self.plan, by=request.user, declarations=form.ticked())
        except TransitionRefused as refused:
            messages.error(request, refused.message)
            return self.render_to_response(self.get_context_data(), status=400)
        messages.success(
            request, _("Plan %(reference)s was submitted.") % {"reference": self.plan.reference}
        )
        return redirect("plan_detail", pk=self.plan.pk)


def problem_address(plan, pages, section, field):
    """Where a problem is put right: its section's page, at the field where there is one (a
    basics field; an activity's own page and field, "activity-<id>-<field>")."""
    if section == "activities" and field.startswith("activity-"):
        _prefix, activity_pk, name = field.split("-", 2)
        address = reverse("plan_edit_activity", args=[plan.pk, int(activity_pk)])
        return address if name == "budget" else f"{address}#id_{name}"
    if section not in pages:
        return ""
    address = reverse(pages[section], args=[plan.pk])
    return f"{address}#id_{field}" if section == "basics" else address


class PlanTransitionView(PlanMixin, TemplateView):
    """The plan page's own moves, one POST each: withdraw (host); start review, request a
    revision, mark the stay begun or ended (staff). Submission, decisions and reports have
    their own pages and services; this view refuses them."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ReasonForm(request.POST)
        new_state = request.POST.get("to")
        if not form.is_valid() or new_state not in PlanState.values:
            messages.error(request, _("The request was not understood."))
            return redirect("plan_detail", pk=self.plan.pk)
        if page_move(self.plan, new_state) is None:
            messages.error(request, _("This change cannot be made from the plan page."))
            return redirect("plan_detail", pk=self.plan.pk)
        reason = form.cleaned_data["reason"]
        if new_state == PlanState.WITHDRAWN and not request.POST.get("confirm"):
            messages.error(
                request, _("Tick the box to confirm the withdrawal: it cannot be undone.")
            )
            return redirect("plan_detail", pk=self.plan.pk)
        try:
            set_plan_state(self.plan, new_state, by=request.user, reason=reason)
        except TransitionRefused as refused:
            messages.error(request, refused.message)
        except PermissionDenied:
            messages.error(request, _("You may not make this change to the plan."))
        else:
            messages.success(
                request, _("The plan is now: %(state)s.") % {"state": self.plan.get_state_display()}
            )
        return redirect("plan_detail", pk=self.plan.pk)


class PlanVersionView(PlanMixin, TemplateView):
    template_name = "applications/plan_version.html"

    def get_context_data(self, **kwargs):
        version = get_object_or_404(
            self.plan.versions.select_related("created_by"), number=self.kwargs["number"]
        )
        fields, lists = readable(version)
        return super().get_context_data(
            version=version,
            data=version.data,
            fields=fields,
            lists=lists,
            rules_checked_against=rules_checked_against(version.data),
            **kwargs,
        )


class PlanDiffView(PlanMixin, TemplateView):
    """What changed between two submitted versions (default: the last two)."""

    template_name = "applications/plan_diff.html"

    def get_context_data(self, **kwargs):
        versions = {v.number: v for v in self.plan.versions.all()}
        if len(versions) < 2:
            raise Http404(_("This plan has only one submitted version."))
        numbers = sorted(versions)
        try:
            old = versions[int(self.request.GET.get("from", numbers[-2]))]
            new = versions[int(self.request.GET.get("to", numbers[-1]))]
        except (KeyError, ValueError) as error:
            raise Http404(_("No such version.")) from error
        return super().get_context_data(
            old=old, new=new, diff=diff_versions(old, new), numbers=numbers, **kwargs
        )


class AttachmentDownload(PlanMixin, TemplateView):
    """Attachments are never public: streamed only to those who may see the plan."""

    def get(self, request, *args, **kwargs):
        attachment = get_object_or_404(self.plan.attachments, pk=kwargs["attachment_pk"])
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type="application/pdf",
        )
