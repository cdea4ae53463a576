"""Reviewer pages: declare a conflict or none, decline, read the plan as submitted, score."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from applications.domain.activities import activities_as_rows
from applications.domain.snapshots import display_value
from common.views import PermissionRequiredMixin

from ..domain.assignment import setup_of
from ..domain.reviewing import (
    declare,
    decline,
    needs_new_review,
    review_is_frozen,
    save_review,
)
from ..forms import DeclarationForm, DeclineForm, ReviewForm
from ..models import Criterion, ReviewAssignment
from ..queries import assignments_of

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
        context["frozen"] = review_is_frozen(assignment)
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
            if context["frozen"]:
                for field in context["review_form"].fields.values():
                    field.disabled = True
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
                # A plan made of activities (course D): each as a line, online times in both zones.
                activity_rows=list(activities_as_rows(data.get("activities")).items()),
                review=review,
                needs_new_review=needs_new_review(review, version.number if version else 0),
                deadline=setup.deadline,
            )
        return super().get_context_data(**context)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "declare":
            return self.declare(request)
        if review_is_frozen(self.assignment):
            # The page says why, with the review read-only as it was saved.
            messages.error(request, _("Your changes were not saved."))
            return self.render_to_response(self.get_context_data(), status=400)
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
