"""What a reviewer does: declare conflicts, decline, score and submit a review."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import InvitationPlan

from ..models import (
    ConflictDeclaration,
    Criterion,
    Decision,
    Review,
    ReviewAssignment,
    ReviewSetup,
    Score,
)

S = ReviewAssignment.State


def _own(assignment, by):
    if assignment.reviewer_id != by.pk:
        raise PermissionDenied


def review_is_frozen(assignment, now=None):
    """Why the review of `assignment` can no longer change, or "" while it still may.

    A review freezes once the call's review deadline (`ReviewSetup.deadline`) has passed, and
    once the decision on the plan has been released: staff rank and decide on the reviews as
    they stood, and coordinators read the comments to the applicant as they were released.
    After either, saving, submitting, correcting and declining are refused. (To take a late
    review, staff move the deadline on the call's review set-up before the release.)
    """
    now = now or timezone.now()
    if Decision.objects.filter(plan_id=assignment.plan_id, released_at__isnull=False).exists():
        return _("The decision on this plan has been released: its reviews can no longer change.")
    deadline = (
        ReviewSetup.objects.filter(call_id=assignment.plan.call_id)
        .values_list("deadline", flat=True)
        .first()
    )
    if deadline is not None and deadline < now:
        return _("The review deadline has passed: reviews can no longer change.")
    return ""


def _refuse_if_frozen(assignment):
    """Inside the caller's transaction: lock the plan (a release moves it under the same lock,
    so a review saved now is saved before the release, or refused after it), then refuse a
    frozen review."""
    InvitationPlan.objects.select_for_update().only("pk").get(pk=assignment.plan_id)
    frozen = review_is_frozen(assignment)
    if frozen:
        raise ValidationError(frozen)


def declare(assignment, *, has_conflict, reason="", by):
    """Record the declaration; a declared conflict ends the assignment.

    Side effects: ConflictDeclaration row; assignment ACCEPTED or CONFLICT; one transaction.
    """
    _own(assignment, by)
    if has_conflict and not reason.strip():
        raise ValidationError({"reason": _("Please say what the conflict is.")})
    with transaction.atomic():
        updated = ReviewAssignment.objects.filter(pk=assignment.pk, state=S.ASSIGNED).update(
            state=S.CONFLICT if has_conflict else S.ACCEPTED
        )
        if updated != 1:
            raise ValidationError(_("You have already answered for this plan."))
        ConflictDeclaration.objects.create(
            assignment=assignment, has_conflict=has_conflict, reason=reason
        )
    assignment.refresh_from_db()
    return assignment


def decline(assignment, *, reason, by):
    """Decline the assignment with a reason, unless the review is frozen (`review_is_frozen`).

    Side effects: assignment DECLINED with the reason.
    """
    _own(assignment, by)
    if not reason.strip():
        raise ValidationError({"reason": _("Please give a reason.")})
    with transaction.atomic():
        _refuse_if_frozen(assignment)
        updated = ReviewAssignment.objects.filter(
            pk=assignment.pk, state__in=[S.ASSIGNED, S.ACCEPTED]
        ).update(state=S.DECLINED, declined_reason=reason)
    if updated != 1:
        raise ValidationError(_("This assignment can no longer be declined."))
    assignment.refresh_from_db()
    return assignment


def latest_version_number(plan):
    return plan.versions.aggregate(latest=Max("number"))["latest"] or 0


def save_review(assignment, *, scores, comment_to_staff, comment_to_applicant, submit, by):
    """Save the scores (a draft), or submit them (every criterion scored, within its scale).

    `scores` maps criterion id → value (None where not given yet). Side effects: Review and
    Score rows; on submit, assignment SUBMITTED; one transaction. A plan resubmitted after a
    revision makes the review open again (see `needs_new_review`). Refused (ValidationError)
    once the review is frozen (`review_is_frozen`: past the deadline, or decision released).
    """
    _own(assignment, by)
    if assignment.state not in (S.ACCEPTED, S.SUBMITTED):
        raise ValidationError(_("Declare that you have no conflict before reviewing."))
    criteria = list(Criterion.objects.filter(call_id=assignment.plan.call_id))
    # A submitted review stays complete: correcting it may not drop a score.
    complete = submit or assignment.state == S.SUBMITTED
    errors = {}
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None:
            if complete:
                errors[f"score_{criterion.pk}"] = _("Give a score.")
        elif not criterion.scale_min <= value <= criterion.scale_max:
            errors[f"score_{criterion.pk}"] = _("Between %(low)s and %(high)s.") % {
                "low": criterion.scale_min,
                "high": criterion.scale_max,
            }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _refuse_if_frozen(assignment)
        review, _created = Review.objects.select_for_update().get_or_create(
            assignment=assignment,
            defaults={"plan_version": latest_version_number(assignment.plan)},
        )
        review.comment_to_staff = comment_to_staff
        review.comment_to_applicant = comment_to_applicant
        review.plan_version = latest_version_number(assignment.plan)
        if submit:
            review.submitted_at = timezone.now()
        review.save()
        review.scores.all().delete()
        Score.objects.bulk_create(
            [
                Score(review=review, criterion=criterion, value=scores[criterion.pk])
                for criterion in criteria
                if scores.get(criterion.pk) is not None
            ]
        )
        if submit:
            ReviewAssignment.objects.filter(pk=assignment.pk).update(state=S.SUBMITTED)
    assignment.refresh_from_db()
    return review


def needs_new_review(review, latest_version):
    """True when the plan was resubmitted (after a revision) since the review was written."""
    return review is not None and review.plan_version < latest_version


def criteria_locked(call):
    """Criteria cannot change once anyone has saved a review in the call."""
    return Review.objects.filter(assignment__plan__call=call).exists()
