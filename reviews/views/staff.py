"""Staff pages of a call's review: set-up and criteria, assignments, ranking and decisions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from applications.models import InvitationPlan, PlanState
from common.formsets import added_row, changed_rows
from common.views import PermissionRequiredMixin
from programs.models import Call

from ..domain.assignment import (
    apply_assignment,
    assign_reviewer,
    propose_assignment,
    reviewers,
    setup_of,
)
from ..domain.conflicts import ConflictIndex
from ..domain.decisions import (
    decide_batch,
    promote_from_waitlist,
    release_decisions,
    waitlist_candidates,
)
from ..domain.ranking import rank_call
from ..domain.reviewing import criteria_locked
from ..domain.workload import overdue_assignments, reviewer_loads
from ..forms import OUTCOME_CHOICES, CriteriaFormSet, ManualAssignmentForm, SetupForm
from ..models import Decision, ReviewAssignment

S = ReviewAssignment.State


class CallMixin(PermissionRequiredMixin):
    """Staff pages of one call's review."""

    permission_required = "reviews.manage_reviews"

    def dispatch(self, request, *args, **kwargs):
        self.call = get_object_or_404(Call.objects.select_related("program"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(call=self.call, setup=setup_of(self.call), **kwargs)


class SetupView(CallMixin, TemplateView):
    """Reviewers per plan, load, deadline, blindness, and the criteria (locked once used).

    The criteria table has "Add a row" and "Remove" in place (see common/formsets.py): with
    htmx only the table (the template's "rows" partial) comes back, nothing saved. Locked
    criteria have neither button, and a row button POSTed anyway is an ordinary save."""

    template_name = "reviews/setup.html"

    def forms(self, data=None):
        data = data or self.request.POST or None
        return (
            SetupForm(data, instance=setup_of(self.call), prefix="setup"),
            CriteriaFormSet(data, instance=self.call, prefix="criteria"),
        )

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"], kwargs["formset"] = self.forms()
        kwargs.setdefault("locked", criteria_locked(self.call))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        locked = criteria_locked(self.call)
        rows = None if locked else changed_rows(request.POST, "criteria")
        if rows is not None:
            form, formset = self.forms(rows)
            context = self.get_context_data(
                form=form, formset=formset, locked=False, added_row=added_row(rows, "criteria")
            )
            if request.htmx:
                return TemplateResponse(request, f"{self.template_name}#rows", context)
            return self.render_to_response(context)
        form, formset = self.forms()
        if form.is_valid() and (locked or formset.is_valid()):
            form.save()
            if not locked:
                formset.save()
            messages.success(request, _("Saved."))
            return redirect("review_setup", pk=self.call.pk)
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset, locked=locked), status=400
        )


class AssignmentsView(CallMixin, TemplateView):
    """Who reviews which plan; automatic assignment previewed, then applied; overdue reviews."""

    template_name = "reviews/assignments.html"

    def plans(self):
        return InvitationPlan.objects.filter(call=self.call, state__in=PlanState.in_review())

    def get_context_data(self, **kwargs):
        plans = list(self.plans().select_related("host").order_by("number"))
        assignments = ReviewAssignment.objects.filter(plan__call=self.call).select_related(
            "reviewer", "declaration"
        )
        by_plan = {}
        for assignment in assignments:
            by_plan.setdefault(assignment.plan_id, []).append(assignment)
        kwargs.setdefault(
            "manual_form",
            ManualAssignmentForm(plans=self.plans(), reviewers=reviewers()),
        )
        people = list(reviewers())
        index = ConflictIndex(plans, people)
        conflicts = [
            (plan, reviewer, found[reviewer.pk])
            for plan in plans
            if (found := index.in_conflict(plan))
            for reviewer in people
            if reviewer.pk in found
        ]
        proposal = (
            propose_assignment(self.call, loaded=(plans, people, index))
            if self.request.GET.get("preview")
            else None
        )
        loads = list(reviewer_loads(self.call))
        return super().get_context_data(
            rows=[(plan, by_plan.get(plan.pk, [])) for plan in plans],
            conflicts=conflicts,
            proposal=proposal,
            # Each reviewer's plans now and after the proposal: (reviewer, now, added, after).
            projected=[
                (reviewer, reviewer.load, after - reviewer.load, after)
                for reviewer in loads
                for after in [proposal.loads.get(reviewer, reviewer.load)]
            ]
            if proposal
            else None,
            overdue=overdue_assignments(self.call).select_related("reviewer", "plan"),
            loads=loads,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "auto":
            proposal = apply_assignment(self.call, by=request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)s assignment added.",
                    "%(count)s assignments added.",
                    len(proposal.pairs),
                )
                % {"count": len(proposal.pairs)},
            )
            return redirect("review_assignments", pk=self.call.pk)
        form = ManualAssignmentForm(request.POST, plans=self.plans(), reviewers=reviewers())
        if form.is_valid():
            try:
                assign_reviewer(
                    form.cleaned_data["plan"], form.cleaned_data["reviewer"], by=request.user
                )
            except ValidationError as error:
                form.add_error("reviewer", error)
            else:
                messages.success(request, _("The reviewer was assigned."))
                return redirect("review_assignments", pk=self.call.pk)
        return self.render_to_response(self.get_context_data(manual_form=form), status=400)


class RankingView(CallMixin, TemplateView):
    """Plans in order with running totals and the cut line; decisions in a batch; release."""

    template_name = "reviews/ranking.html"

    def get_context_data(self, **kwargs):
        setup = setup_of(self.call)
        rank_by = self.request.GET.get("by", setup.rank_by)
        if rank_by not in ("mean", "calibrated"):
            rank_by = setup.rank_by
        ranking = rank_call(self.call, by=rank_by)
        kept = getattr(self, "kept", {})  # what staff entered, when a batch was refused
        for row in ranking.rows:
            row.kept = kept.get(row.plan.pk)
            # In Python: a {% blocktranslate count %} in each of 450 rows cost ~46 ms.
            count = len(row.totals)
            row.reviews_shown = ngettext("%(count)s review", "%(count)s reviews", count) % {
                "count": count
            }
        candidates, left = waitlist_candidates(self.call, ranking.rows, ranking.money)
        return super().get_context_data(
            ranking=ranking,
            rank_by=rank_by,
            outcome_choices=OUTCOME_CHOICES,
            unreleased=Decision.objects.filter(
                plan__call=self.call, released_at__isnull=True
            ).count(),
            waitlist=candidates,
            money_left=left,
            now=timezone.now(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "release":
            if not request.POST.get("confirm"):
                messages.error(request, _("Tick the box to confirm the release."))
                return redirect("review_ranking", pk=self.call.pk)
            try:
                count = release_decisions(self.call, by=request.user)
            except ValidationError as refused:
                messages.error(request, refused.messages[0])
                return redirect("review_ranking", pk=self.call.pk)
            messages.success(
                request,
                ngettext("%(count)s decision released.", "%(count)s decisions released.", count)
                % {"count": count},
            )
            return redirect("review_ranking", pk=self.call.pk)
        if action == "promote":
            return self.promote(request)
        kept = {
            row.plan.pk: {
                "plan": row.plan,
                "requested": row.requested,
                "outcome": request.POST.get(f"outcome_{row.plan.pk}", ""),
                "amount": request.POST.get(f"amount_{row.plan.pk}", "").strip(),
                # PostgreSQL stores no NUL character: it is dropped, not a reason for a 500.
                "conditions": request.POST.get(f"conditions_{row.plan.pk}", "").replace("\x00", ""),
            }
            for row in rank_call(self.call).rows
            if row.plan.is_in_review
        }
        problems = decide_batch(kept.values(), by=request.user)
        if problems:
            for pk, entered in kept.items():
                entered["error"] = problems.get(pk, "")
            messages.error(request, _("Nothing was saved: correct the decisions marked below."))
            self.kept = kept
            return self.render_to_response(self.get_context_data(), status=400)
        messages.success(request, _("Decisions saved. They stay invisible until released."))
        return redirect("review_ranking", pk=self.call.pk)

    def promote(self, request):
        plan_pk = request.POST.get("plan", "")
        if not (plan_pk.isascii() and plan_pk.isdigit()):  # "abc", a NUL byte: no plan of this call
            raise Http404
        plan = get_object_or_404(InvitationPlan, call=self.call, pk=plan_pk)
        try:
            amount = int(request.POST.get("amount", "").replace(",", ""))
            promote_from_waitlist(plan, by=request.user, amount=amount)
        except ValueError:
            messages.error(request, _("The amount must be whole yen."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(reference)s was approved.") % {"reference": plan.reference}
            )
        return redirect("review_ranking", pk=self.call.pk)
