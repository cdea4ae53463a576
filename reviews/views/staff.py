"""Staff pages of a call's review: set-up and criteria, assignments, ranking and decisions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from applications.models import InvitationPlan, PlanState
from common.forms import offer
from common.formsets import added_row, changed_rows
from common.views import PermissionRequiredMixin
from programs.models import Call

from ..domain.assignment import (
    apply_assignment,
    assign_reviewer,
    plans_to_assign,
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
from ..domain.ranking import load_plans, rank_call
from ..domain.reviewing import criteria_locked
from ..domain.workload import overdue_assignments, reviewer_loads
from ..forms import OUTCOME_CHOICES, CriteriaFormSet, ManualAssignmentForm, SetupForm
from ..models import ReviewAssignment

S = ReviewAssignment.State


class CallMixin(PermissionRequiredMixin):
    """Staff pages of one call's review."""

    permission_required = "reviews.manage_reviews"

    def dispatch(self, request, *args, **kwargs):
        self.call = get_object_or_404(Call.objects.select_related("program"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(call=self.call, setup=self.review_setup, **kwargs)

    @cached_property
    def review_setup(self):
        return setup_of(self.call)


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
    """Who reviews which plan; automatic assignment previewed, then applied; overdue reviews.

    The call's figures (how many pairs the proposal adds, every reviewer's load) are whole;
    the details (plans with their reviewers and conflicts, proposed pairs, overdue reviews,
    the plans offered for assignment by hand) are those of one page of plans."""

    template_name = "reviews/assignments.html"
    paginate_by = 50
    # What the page shows of a plan: its other fields (dates, texts) cost ~10 ms for 450.
    plan_fields = (
        "number",
        "reference",
        "title_ja",
        "title_en",
        "host",
        "lead",
        "field_of_science",
    )
    # What the plans table shows of their reviewers (a reviewer's other fields: ~1.3 ms a page).
    assignment_fields = (
        "plan",
        "state",
        "declined_reason",
        "reviewer__full_name",
        "declaration__has_conflict",
        "declaration__reason",
    )

    def plans(self):
        return InvitationPlan.objects.filter(call=self.call, state__in=PlanState.in_review())

    def get_context_data(self, **kwargs):
        preview = bool(self.request.GET.get("preview"))
        people = list(reviewers())
        # The proposal and the conflicts look at every plan in review, as light rows; the
        # page's plans are read as objects, 50 of them.
        rows = plans_to_assign(self.call)
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        shown = list(
            self.plans()
            .filter(pk__in=[row.pk for row in page.object_list])
            .select_related("host")
            .only(*self.plan_fields, "host__name_ja", "host__name_en")
            .order_by("number")
        )
        shown_by_pk = {plan.pk: plan for plan in shown}
        if preview:
            index = ConflictIndex(rows, people, plan_ids=self.plans().values("pk"))
            proposal = propose_assignment(
                self.call, loaded=(rows, people, index), setup=self.review_setup
            )
        else:
            index = ConflictIndex(page.object_list, people)
            proposal = None
        by_plan = {}
        shown_assignments = (
            ReviewAssignment.objects.filter(plan__in=shown)
            .select_related("reviewer", "declaration")
            .only(*self.assignment_fields)
        )
        for assignment in shown_assignments:
            by_plan.setdefault(assignment.plan_id, []).append(assignment)
        names = {reviewer.pk: reviewer.full_name for reviewer in people}
        form = kwargs.setdefault(
            "manual_form", ManualAssignmentForm(plans=self.plans(), reviewers=reviewers())
        )
        # Any plan in review may be assigned (the form checks): the list offers this page's.
        offer(form.fields["plan"], shown)
        offer(form.fields["reviewer"], people)
        overdue = overdue_assignments(self.call)
        # The proposal counted every reviewer's assignments in the call already.
        loads = reviewer_loads(self.call, people, proposal.loads_before if proposal else None)
        return super().get_context_data(
            rows=[
                (
                    plan,
                    by_plan.get(plan.pk, []),
                    sorted((names[pk], reasons) for pk, reasons in index.in_conflict(plan).items()),
                )
                for plan in shown
            ],
            page_obj=page,
            is_paginated=page.has_other_pages(),
            filter_query="preview=1" if preview else "",
            proposal=proposal,
            # The page's pairs in the order of its plans (the proposal fills the hardest first).
            pairs=sorted(
                (
                    (shown_by_pk[plan.pk], reviewer, match)
                    for plan, reviewer, match in proposal.pairs
                    if plan.pk in shown_by_pk
                ),
                key=lambda pair: pair[0].number,
            )
            if proposal
            else None,
            # Each reviewer's plans now and after the proposal: (reviewer, now, added, after).
            projected=[
                (reviewer, reviewer.load, after - reviewer.load, after)
                for reviewer in loads
                for after in [proposal.loads.get(reviewer, reviewer.load)]
            ]
            if proposal
            else None,
            overdue=list(
                overdue.filter(plan__in=shown)
                .select_related("reviewer", "plan")
                .only("state", "reviewer__full_name", "plan__reference")
                .order_by("plan__number", "reviewer__full_name")
            ),
            overdue_count=overdue.count(),
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
    """Plans in order with running totals and the cut line, a page of them at a time;
    decisions in a batch (those of the page shown); release; the waitlist."""

    template_name = "reviews/ranking.html"
    paginate_by = 50
    # What the page shows of a plan and its decision (the rest of a plan: ~1.3 ms a page).
    plan_fields = (
        "reference",
        "title_ja",
        "title_en",
        "state",
        "host__name_ja",
        "host__name_en",
        "course__code",
        "decision__outcome",
        "decision__approved_amount_jpy",
        "decision__conditions",
        "decision__released_at",
    )

    def get_context_data(self, **kwargs):
        rank_by = self.request.GET.get("by", self.review_setup.rank_by)
        if rank_by not in ("mean", "calibrated"):
            rank_by = self.review_setup.rank_by
        ranking = rank_call(self.call, by=rank_by, plans=False)
        page = Paginator(ranking.rows, self.paginate_by).get_page(self.request.GET.get("page"))
        candidates, left = waitlist_candidates(self.call, ranking.rows, ranking.money)
        load_plans([*page.object_list, *candidates], fields=self.plan_fields)
        kept = getattr(self, "kept", {})  # what staff entered, when a batch was refused
        for row in page.object_list:
            row.kept = kept.get(row.plan_id)
            # In Python: a {% blocktranslate count %} in each of 450 rows cost ~46 ms.
            count = len(row.totals)
            row.reviews_shown = ngettext("%(count)s review", "%(count)s reviews", count) % {
                "count": count
            }
        cut = next((row.rank for row in ranking.rows if row.cut_before), None)
        return super().get_context_data(
            ranking=ranking,
            rows=page.object_list,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            filter_query=urlencode({"by": rank_by}),
            cut_page=None if cut is None else (cut - 1) // self.paginate_by + 1,
            rank_by=rank_by,
            outcome_choices=OUTCOME_CHOICES,
            unreleased=ranking.unreleased,
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
        # The rows of the page that was sent: a plan whose fields were not on it is left as it is.
        posted = load_plans(
            [
                row
                for row in rank_call(self.call, plans=False).rows
                if row.is_in_review and f"outcome_{row.plan_id}" in request.POST
            ]
        )
        kept = {
            row.plan_id: {
                "plan": row.plan,
                "requested": row.requested,
                "outcome": request.POST.get(f"outcome_{row.plan_id}", ""),
                "amount": request.POST.get(f"amount_{row.plan_id}", "").strip(),
                # PostgreSQL stores no NUL character: it is dropped, not a reason for a 500.
                "conditions": request.POST.get(f"conditions_{row.plan_id}", "").replace("\x00", ""),
            }
            for row in posted
        }
        problems = decide_batch(kept.values(), by=request.user)
        if problems:
            for pk, entered in kept.items():
                entered["error"] = problems.get(pk, "")
            messages.error(request, _("Nothing was saved: correct the decisions marked below."))
            self.kept = kept
            return self.render_to_response(self.get_context_data(), status=400)
        messages.success(request, _("Decisions saved. They stay invisible until released."))
        # Back to the page and order the decisions were made on.
        query = urlencode({key: request.GET[key] for key in ("by", "page") if key in request.GET})
        return redirect(f"{reverse('review_ranking', args=[self.call.pk])}?{query}")

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
