"""Reviewer pages (declare, decline, score) and staff pages (set-up, assignment, ranking)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from applications.domain.snapshots import display_value
from applications.models import InvitationPlan
from programs.models import Call
from sakura.mixins import PermissionRequiredMixin

from .domain.assignment import (
    REVIEWABLE_STATES,
    apply_assignment,
    assign_reviewer,
    propose_assignment,
    reviewers,
    setup_of,
)
from .domain.conflicts import ConflictIndex
from .domain.decisions import (
    decide_batch,
    promote_from_waitlist,
    release_decisions,
    waitlist_candidates,
)
from .domain.ranking import rank_call
from .domain.reviewing import (
    criteria_locked,
    declare,
    decline,
    needs_new_review,
    save_review,
)
from .domain.workload import overdue_assignments, reviewer_loads
from .forms import (
    OUTCOME_CHOICES,
    CriteriaFormSet,
    DeclarationForm,
    DeclineForm,
    ManualAssignmentForm,
    ReviewForm,
    SetupForm,
)
from .models import Criterion, Decision, ReviewAssignment
from .queries import assignments_of

S = ReviewAssignment.State
# What a reviewer must not see in blind review.
BLIND_FIELDS = {"lead", "contact_name", "contact_phone", "contact_email"}


class AssignmentView(PermissionRequiredMixin, TemplateView):
    """One assigned plan: first the conflict declaration, then the submitted plan and scores."""

    permission_required = "reviews.review"
    template_name = "reviews/assignment.html"

    def get_permission_object(self):
        self.assignment = get_object_or_404(
            assignments_of(self.request.user).exclude(state__in=[S.CONFLICT, S.DECLINED]),
            pk=self.kwargs["pk"],
        )
        return self.assignment

    def get_context_data(self, **kwargs):
        assignment = self.assignment
        plan = assignment.plan
        latest = plan.versions.order_by("-number").first()
        context = {
            "assignment": assignment,
            "plan": plan,
            # What was submitted, never what the coordinator is typing now.
            "submitted_title": submitted_title(latest.data if latest else {}),
            **kwargs,
        }
        context.setdefault("declaration_form", DeclarationForm())
        context.setdefault("decline_form", DeclineForm())
        if assignment.state in (S.ACCEPTED, S.SUBMITTED):
            setup = setup_of(plan.call)
            version = latest
            review = getattr(assignment, "review", None)
            criteria = list(Criterion.objects.filter(call=plan.call))
            if "review_form" not in context:
                initial = {}
                if review is not None:
                    initial = {
                        "comment_to_staff": review.comment_to_staff,
                        "comment_to_applicant": review.comment_to_applicant,
                        **{f"score_{s.criterion_id}": s.value for s in review.scores.all()},
                    }
                context["review_form"] = ReviewForm(initial=initial, criteria=criteria)
            data = version.data if version else {}
            context.update(
                version=version,
                data=data,
                fields=[
                    (key, display_value(key, value))
                    for key, value in data.get("fields", {}).items()
                    if not (setup.blind and key in BLIND_FIELDS)
                ],
                blind=setup.blind,
                review=review,
                needs_new_review=needs_new_review(review, version.number if version else 0),
                deadline=setup.deadline,
            )
        return super().get_context_data(**context)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "declare":
            return self.declare(request)
        if action == "decline":
            return self.decline(request)
        return self.review(request, submit=action == "submit")

    def declare(self, request):
        form = DeclarationForm(request.POST)
        if form.is_valid():
            try:
                declare(
                    self.assignment,
                    has_conflict=form.cleaned_data["has_conflict"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                if self.assignment.state == S.CONFLICT:
                    messages.info(request, _("Thank you. The plan will be given to someone else."))
                    return redirect("reviewer_dashboard")
                return redirect("review_assignment", pk=self.assignment.pk)
        return self.render_to_response(self.get_context_data(declaration_form=form), status=400)

    def decline(self, request):
        form = DeclineForm(request.POST)
        if form.is_valid():
            try:
                decline(self.assignment, reason=form.cleaned_data["reason"], by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.info(request, _("You declined this plan."))
                return redirect("reviewer_dashboard")
        return self.render_to_response(self.get_context_data(decline_form=form), status=400)

    def review(self, request, *, submit):
        if self.assignment.state not in (S.ACCEPTED, S.SUBMITTED):
            messages.error(request, _("Declare that you have no conflict before reviewing."))
            return redirect("review_assignment", pk=self.assignment.pk)
        was_submitted = self.assignment.state == S.SUBMITTED
        criteria = list(Criterion.objects.filter(call=self.assignment.plan.call))
        form = ReviewForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                save_review(
                    self.assignment,
                    scores=form.scores(),
                    comment_to_staff=form.cleaned_data["comment_to_staff"],
                    comment_to_applicant=form.cleaned_data["comment_to_applicant"],
                    submit=submit,
                    by=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                if was_submitted:
                    message = _("Your submitted review was corrected.")
                else:
                    message = _("Your review was submitted.") if submit else _("Draft saved.")
                messages.success(request, message)
                if submit:
                    return redirect("reviewer_dashboard")
                return redirect("review_assignment", pk=self.assignment.pk)
        return self.render_to_response(self.get_context_data(review_form=form), status=400)


class CallMixin(PermissionRequiredMixin):
    """Staff pages of one call's review."""

    permission_required = "reviews.manage_reviews"

    def dispatch(self, request, *args, **kwargs):
        self.call = get_object_or_404(Call.objects.select_related("program"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(call=self.call, setup=setup_of(self.call), **kwargs)


class SetupView(CallMixin, TemplateView):
    """Reviewers per plan, load, deadline, blindness, and the criteria (locked once used)."""

    template_name = "reviews/setup.html"

    def forms(self):
        data = self.request.POST or None
        return (
            SetupForm(data, instance=setup_of(self.call), prefix="setup"),
            CriteriaFormSet(data, instance=self.call, prefix="criteria"),
        )

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"], kwargs["formset"] = self.forms()
        return super().get_context_data(locked=criteria_locked(self.call), **kwargs)

    def post(self, request, *args, **kwargs):
        form, formset = self.forms()
        locked = criteria_locked(self.call)
        if form.is_valid() and (locked or formset.is_valid()):
            form.save()
            if not locked:
                formset.save()
            messages.success(request, _("Saved."))
            return redirect("review_setup", pk=self.call.pk)
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset), status=400
        )


class AssignmentsView(CallMixin, TemplateView):
    """Who reviews which plan; automatic assignment previewed, then applied; overdue reviews."""

    template_name = "reviews/assignments.html"

    def plans(self):
        return InvitationPlan.objects.filter(call=self.call, state__in=REVIEWABLE_STATES)

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
            (plan, reviewer, reasons)
            for plan in plans
            for reviewer in people
            if (reasons := index.reasons(plan, reviewer))
        ]
        return super().get_context_data(
            rows=[(plan, by_plan.get(plan.pk, [])) for plan in plans],
            conflicts=conflicts,
            proposal=propose_assignment(self.call) if self.request.GET.get("preview") else None,
            overdue=overdue_assignments(self.call).select_related("reviewer", "plan"),
            loads=reviewer_loads(self.call),
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
        candidates, left = waitlist_candidates(self.call, ranking.rows)
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
                "conditions": request.POST.get(f"conditions_{row.plan.pk}", ""),
            }
            for row in rank_call(self.call).rows
            if row.plan.state in REVIEWABLE_STATES
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
        plan = get_object_or_404(InvitationPlan, call=self.call, pk=request.POST.get("plan"))
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


def add_errors(form, error):
    """A domain ValidationError onto the form: at its fields when it names them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def submitted_title(data):
    fields = data.get("fields", {})
    if get_language() == "ja" and fields.get("title_ja"):
        return fields["title_ja"]
    return fields.get("title_en") or fields.get("title_ja", "")
