"""What a reviewer does with an assignment: declare, decline, score, submit.

Before seeing a plan's details the reviewer declares whether they have a conflict of
interest; a declared conflict (with its reason) ends the assignment. Only the reviewer
themselves may act on their assignment. A draft review may leave scores out; a submitted one
scores every criterion of the call within its scale and records the plan version it read.
When the plan is resubmitted after a revision, the review needs redoing.
"""

from contextlib import suppress

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.domain.states import request_revision, submit_plan
from applications.models import PlanVersion
from reviews.domain.assignment import assign_reviewer, propose_assignment, setup_of
from reviews.domain.reviewing import (
    criteria_locked,
    declare,
    decline,
    latest_version_number,
    needs_new_review,
    save_review,
)
from reviews.models import ConflictDeclaration, Review, ReviewAssignment, Score
from tests.factories import PlanFactory

from .factories import CriterionFactory, ReviewerFactory

pytestmark = pytest.mark.django_db
A = ReviewAssignment.State


@pytest.fixture
def criteria(call):
    """Scientific merit (weight 2) and feasibility (weight 1), both scored 1 to 5."""
    return [
        CriterionFactory(call=call, name_en="Scientific merit", weight=2),
        CriterionFactory(call=call, name_en="Feasibility", weight=1),
    ]


@pytest.fixture
def plan(call):
    plan = PlanFactory(call=call)
    return submit_plan(plan, by=plan.lead)


@pytest.fixture
def reviewer(db):
    return ReviewerFactory()


@pytest.fixture
def assignment(plan, reviewer, staff):
    return assign_reviewer(plan, reviewer, by=staff)


@pytest.fixture
def accepted(assignment, reviewer):
    return declare(assignment, has_conflict=False, by=reviewer)


def review_kwargs(scores, *, submit):
    return {
        "scores": scores,
        "comment_to_staff": "Strong lab, realistic schedule.",
        "comment_to_applicant": "",
        "submit": submit,
    }


def full_scores(criteria, merit=4, feasibility=3):
    return {criteria[0].pk: merit, criteria[1].pk: feasibility}


def test_declare_no_conflict_accepts_assignment(assignment, reviewer):
    declare(assignment, has_conflict=False, by=reviewer)

    assert assignment.state == A.ACCEPTED
    assert assignment.is_active
    declaration = ConflictDeclaration.objects.get(assignment=assignment)
    assert (declaration.has_conflict, declaration.reason) == (False, "")


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_declare_conflict_without_reason_refused(assignment, reviewer, reason):
    with pytest.raises(ValidationError) as refused:
        declare(assignment, has_conflict=True, reason=reason, by=reviewer)

    assert "reason" in refused.value.message_dict
    assignment.refresh_from_db()
    assert assignment.state == A.ASSIGNED
    assert not ConflictDeclaration.objects.exists()


def test_declare_conflict_with_reason_ends_assignment(call, plan, assignment, reviewer):
    """The assignment stops counting: automatic assignment looks for someone else."""
    setup = setup_of(call)
    setup.reviewers_per_plan = 1
    setup.save()
    replacement = ReviewerFactory()
    assert propose_assignment(call).pairs == []

    declare(assignment, has_conflict=True, reason="The lead was my PhD student.", by=reviewer)

    assert assignment.state == A.CONFLICT
    assert not assignment.is_active
    assert ConflictDeclaration.objects.get(assignment=assignment).reason == (
        "The lead was my PhD student."
    )
    assert [(p.pk, r.pk) for p, r, _m in propose_assignment(call).pairs] == [
        (plan.pk, replacement.pk)
    ]


@pytest.mark.parametrize("second", [False, True])
def test_declare_twice_refused(assignment, reviewer, second):
    declare(assignment, has_conflict=False, by=reviewer)

    with pytest.raises(ValidationError):
        declare(assignment, has_conflict=second, reason="Changed my mind.", by=reviewer)

    assignment.refresh_from_db()
    assert assignment.state == A.ACCEPTED
    assert ConflictDeclaration.objects.filter(assignment=assignment).count() == 1


def test_declare_after_declining_refused(assignment, reviewer):
    decline(assignment, reason="On sabbatical.", by=reviewer)

    with pytest.raises(ValidationError):
        declare(assignment, has_conflict=False, by=reviewer)
    assignment.refresh_from_db()
    assert assignment.state == A.DECLINED


@pytest.mark.parametrize("who", ["other_reviewer", "staff"])
@pytest.mark.parametrize("action", ["declare", "decline", "save"])
def test_assignment_action_by_another_user_refused(
    accepted, assignment, criteria, staff, who, action
):
    if action == "declare":
        # A fresh assignment, still waiting for its declaration.
        ReviewAssignment.objects.filter(pk=assignment.pk).update(state=A.ASSIGNED)
        ConflictDeclaration.objects.all().delete()
        assignment.refresh_from_db()
    someone = ReviewerFactory() if who == "other_reviewer" else staff
    state = assignment.state
    act = {
        "declare": lambda: declare(assignment, has_conflict=False, by=someone),
        "decline": lambda: decline(assignment, reason="Not mine to review.", by=someone),
        "save": lambda: save_review(
            assignment, **review_kwargs(full_scores(criteria), submit=True), by=someone
        ),
    }[action]

    with pytest.raises(PermissionDenied):
        act()

    assignment.refresh_from_db()
    assert assignment.state == state
    assert not Review.objects.exists()


def test_decline_without_reason_refused(assignment, reviewer):
    with pytest.raises(ValidationError) as refused:
        decline(assignment, reason="  ", by=reviewer)

    assert "reason" in refused.value.message_dict
    assignment.refresh_from_db()
    assert assignment.state == A.ASSIGNED


@pytest.mark.parametrize("declared", [False, True])
def test_decline_with_reason_ends_assignment(assignment, reviewer, declared):
    if declared:
        declare(assignment, has_conflict=False, by=reviewer)

    decline(assignment, reason="Too many reviews this month.", by=reviewer)

    assert assignment.state == A.DECLINED
    assert assignment.declined_reason == "Too many reviews this month."
    assert not assignment.is_active


def test_decline_after_submitting_refused(accepted, reviewer, criteria):
    save_review(accepted, **review_kwargs(full_scores(criteria), submit=True), by=reviewer)

    with pytest.raises(ValidationError):
        decline(accepted, reason="Too late.", by=reviewer)
    accepted.refresh_from_db()
    assert accepted.state == A.SUBMITTED


def test_save_review_before_declaring_refused(assignment, reviewer, criteria):
    with pytest.raises(ValidationError):
        save_review(assignment, **review_kwargs(full_scores(criteria), submit=False), by=reviewer)

    assert not Review.objects.exists()


def test_save_review_after_declaring_conflict_refused(assignment, reviewer, criteria):
    declare(assignment, has_conflict=True, reason="Same department.", by=reviewer)

    with pytest.raises(ValidationError):
        save_review(assignment, **review_kwargs(full_scores(criteria), submit=False), by=reviewer)
    assert not Review.objects.exists()


def test_save_review_draft_may_miss_scores(accepted, reviewer, criteria):
    merit, feasibility = criteria

    review = save_review(
        accepted, **review_kwargs({merit.pk: 4, feasibility.pk: None}, submit=False), by=reviewer
    )

    assert review.submitted_at is None
    assert accepted.state == A.ACCEPTED
    assert dict(review.scores.values_list("criterion_id", "value")) == {merit.pk: 4}
    assert review.comment_to_staff == "Strong lab, realistic schedule."


def test_save_review_draft_saved_again_replaces_scores(accepted, reviewer, criteria):
    merit, feasibility = criteria
    save_review(accepted, **review_kwargs({merit.pk: 4}, submit=False), by=reviewer)

    review = save_review(
        accepted, **review_kwargs({merit.pk: 2, feasibility.pk: 5}, submit=False), by=reviewer
    )

    assert Review.objects.count() == 1
    assert dict(review.scores.values_list("criterion_id", "value")) == {
        merit.pk: 2,
        feasibility.pk: 5,
    }


def test_submit_review_requires_every_criterion(accepted, reviewer, criteria):
    merit, feasibility = criteria

    with pytest.raises(ValidationError) as refused:
        save_review(
            accepted, **review_kwargs({merit.pk: 4, feasibility.pk: None}, submit=True), by=reviewer
        )

    assert set(refused.value.message_dict) == {f"score_{feasibility.pk}"}
    accepted.refresh_from_db()
    assert accepted.state == A.ACCEPTED
    assert not Review.objects.exists()


@pytest.mark.parametrize("submit", [True, False])
@pytest.mark.parametrize("value", [0, 6, 100])
def test_save_review_score_outside_scale_refused(accepted, reviewer, criteria, value, submit):
    merit, feasibility = criteria

    with pytest.raises(ValidationError) as refused:
        save_review(
            accepted,
            **review_kwargs({merit.pk: value, feasibility.pk: 3}, submit=submit),
            by=reviewer,
        )

    assert set(refused.value.message_dict) == {f"score_{merit.pk}"}
    assert not Score.objects.exists()


@pytest.mark.parametrize("value", [1, 5])
def test_submit_review_scale_ends_accepted(accepted, reviewer, criteria, value):
    review = save_review(
        accepted, **review_kwargs(full_scores(criteria, value, value), submit=True), by=reviewer
    )

    assert review.scores.count() == 2


def test_submit_review_sets_submitted_and_latest_version(call, plan, reviewer, staff, criteria):
    """The plan was sent back once and resubmitted before review: version 2 is reviewed."""
    request_revision(plan, by=staff, reason="Please add the lab safety briefing.")
    submit_plan(plan, by=plan.lead)
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", flat=True)) == [1, 2]
    assignment = declare(assign_reviewer(plan, reviewer, by=staff), has_conflict=False, by=reviewer)

    review = save_review(
        assignment, **review_kwargs(full_scores(criteria, 5, 2), submit=True), by=reviewer
    )

    assert assignment.state == A.SUBMITTED
    assert review.submitted_at is not None
    assert review.plan_version == 2
    assert dict(review.scores.values_list("criterion_id", "value")) == full_scores(criteria, 5, 2)


def test_needs_new_review_after_revision_and_resubmission(
    plan, accepted, reviewer, staff, criteria
):
    review = save_review(accepted, **review_kwargs(full_scores(criteria), submit=True), by=reviewer)
    assert review.plan_version == 1
    assert needs_new_review(review, latest_version_number(plan)) is False

    request_revision(plan, by=staff, reason="The budget for accommodation is unclear.")
    assert needs_new_review(review, latest_version_number(plan)) is False
    submit_plan(plan, by=plan.lead)

    assert latest_version_number(plan) == 2
    assert needs_new_review(review, latest_version_number(plan)) is True

    review = save_review(
        accepted, **review_kwargs(full_scores(criteria, 5, 5), submit=True), by=reviewer
    )
    assert review.plan_version == 2
    assert needs_new_review(review, latest_version_number(plan)) is False


def test_needs_new_review_without_review_false(plan):
    assert needs_new_review(None, latest_version_number(plan)) is False


def test_criteria_locked_only_once_a_review_is_saved(call, accepted, reviewer, criteria):
    assert criteria_locked(call) is False  # assigned and declared, nothing saved yet

    save_review(accepted, **review_kwargs({criteria[0].pk: 3}, submit=False), by=reviewer)

    assert criteria_locked(call) is True


def test_criteria_locked_not_by_reviews_of_another_call(accepted, reviewer, criteria):
    from tests.factories import CallFactory

    other = CallFactory()
    save_review(accepted, **review_kwargs({criteria[0].pk: 3}, submit=False), by=reviewer)

    assert criteria_locked(other) is False


def test_save_review_submitted_review_never_loses_a_score(accepted, reviewer, criteria):
    """A review that counts in the ranking (submitted) always scores every criterion.

    Saving it again as a draft with a score left out must either be refused or take the
    review out of the ranking; it must not leave a submitted review with a missing score.
    """
    merit, feasibility = criteria
    save_review(accepted, **review_kwargs(full_scores(criteria), submit=True), by=reviewer)

    with suppress(ValidationError):  # refusing is one right answer
        save_review(
            accepted,
            **review_kwargs({merit.pk: 1, feasibility.pk: None}, submit=False),
            by=reviewer,
        )

    for review in Review.objects.filter(submitted_at__isnull=False):
        assert review.scores.count() == len(criteria)
