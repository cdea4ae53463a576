"""A review is frozen after the call's review deadline and after the plan's decision is released.

Staff rank and decide on the reviews as they stood at the deadline, and coordinators read the
comments to the applicant as they were released: after either moment a reviewer can no longer
save, submit, correct or decline. Before the deadline (or with none set), and while a decision
is only recorded, not released, the reviewer still may.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications.domain.states import start_review, submit_plan
from reviews.domain.assignment import assign_reviewer, setup_of
from reviews.domain.decisions import decide, release_decisions
from reviews.domain.reviewing import declare, decline, review_is_frozen, save_review
from reviews.models import Review, ReviewAssignment
from tests.factories import PlanFactory

from .factories import CriterionFactory, ReviewerFactory, closed

pytestmark = pytest.mark.django_db
A = ReviewAssignment.State

DEADLINE_PASSED = "The review deadline has passed: reviews can no longer change."
RELEASED = "The decision on this plan has been released: its reviews can no longer change."


@pytest.fixture
def criteria(call):
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
def accepted(plan, reviewer, staff, criteria):
    return declare(assign_reviewer(plan, reviewer, by=staff), has_conflict=False, by=reviewer)


def write(assignment, reviewer, criteria, *, submit, comment="Strong lab, realistic schedule."):
    return save_review(
        assignment,
        scores={criteria[0].pk: 4, criteria[1].pk: 3},
        comment_to_staff=comment,
        comment_to_applicant=comment,
        submit=submit,
        by=reviewer,
    )


def deadline_in(call, delta):
    setup = setup_of(call)
    setup.deadline = timezone.now() + delta
    setup.save()
    return setup.deadline


def released(plan, staff):
    start_review(plan, by=staff)
    decide(plan, "approved", by=staff)
    release_decisions(closed(plan.call), by=staff)


def assert_refused(message, action):
    with pytest.raises(ValidationError) as refusal:
        action()
    assert refusal.value.messages == [message]


# The rule


def test_review_is_open_without_a_deadline(accepted):
    assert review_is_frozen(accepted) == ""


def test_review_is_open_until_the_deadline_and_frozen_after_it(call, accepted):
    deadline = deadline_in(call, timedelta(days=1))
    assert review_is_frozen(accepted) == ""
    assert review_is_frozen(accepted, now=deadline) == ""
    assert review_is_frozen(accepted, now=deadline + timedelta(seconds=1)) == DEADLINE_PASSED


def test_review_is_open_while_the_decision_is_only_recorded(plan, accepted, staff):
    start_review(plan, by=staff)
    decide(plan, "approved", by=staff)
    assert review_is_frozen(accepted) == ""


def test_review_is_frozen_once_the_decision_is_released(plan, accepted, staff):
    released(plan, staff)
    assert review_is_frozen(accepted) == RELEASED


# What the reviewer may do


def test_draft_saved_before_the_deadline(call, accepted, reviewer, criteria):
    deadline_in(call, timedelta(hours=1))
    write(accepted, reviewer, criteria, submit=False)
    assert Review.objects.get(assignment=accepted).comment_to_staff


def test_draft_refused_after_the_deadline(call, accepted, reviewer, criteria):
    write(accepted, reviewer, criteria, submit=False, comment="First thoughts.")
    deadline_in(call, -timedelta(minutes=1))
    assert_refused(DEADLINE_PASSED, lambda: write(accepted, reviewer, criteria, submit=False))
    assert_refused(DEADLINE_PASSED, lambda: write(accepted, reviewer, criteria, submit=True))
    review = Review.objects.get(assignment=accepted)
    assert (review.comment_to_staff, review.submitted_at) == ("First thoughts.", None)
    accepted.refresh_from_db()
    assert accepted.state == A.ACCEPTED


def test_submitted_review_cannot_be_corrected_after_the_deadline(
    call, accepted, reviewer, criteria
):
    write(accepted, reviewer, criteria, submit=True, comment="As submitted.")
    deadline_in(call, -timedelta(minutes=1))
    assert_refused(
        DEADLINE_PASSED,
        lambda: write(accepted, reviewer, criteria, submit=True, comment="Rewritten."),
    )
    assert Review.objects.get(assignment=accepted).comment_to_applicant == "As submitted."


def test_submitted_review_cannot_be_corrected_after_release(
    plan, accepted, reviewer, criteria, staff
):
    """No deadline was set: the release alone freezes the review."""
    write(accepted, reviewer, criteria, submit=True, comment="As submitted.")
    released(plan, staff)
    assert_refused(
        RELEASED, lambda: write(accepted, reviewer, criteria, submit=True, comment="Rewritten.")
    )
    assert Review.objects.get(assignment=accepted).comment_to_applicant == "As submitted."


def test_decline_refused_after_the_deadline(call, accepted, reviewer):
    deadline_in(call, -timedelta(minutes=1))
    assert_refused(DEADLINE_PASSED, lambda: decline(accepted, reason="No time.", by=reviewer))
    accepted.refresh_from_db()
    assert (accepted.state, accepted.declined_reason) == (A.ACCEPTED, "")


def test_decline_refused_after_release(plan, accepted, reviewer, staff):
    released(plan, staff)
    assert_refused(RELEASED, lambda: decline(accepted, reason="No time.", by=reviewer))
    accepted.refresh_from_db()
    assert accepted.state == A.ACCEPTED
