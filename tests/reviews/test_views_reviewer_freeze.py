"""The reviewer's page once the review is frozen (after the deadline, after the release).

The page shows the review as it was saved, read-only, says why, and offers no button to save,
submit or decline; a form posted from a page opened earlier is refused with a message and
changes nothing. After the release the coordinator reads the comment as it was released.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.domain.states import start_review
from reviews.domain.assignment import setup_of
from reviews.domain.decisions import decide, release_decisions
from reviews.models import Review, ReviewAssignment

from .factories import closed
from .view_helpers import (
    accepted,
    criteria_of,
    page,
    review_data,
    reviewer_with_two_factor,
    submitted_plan,
    submitted_review,
)

pytestmark = pytest.mark.django_db
A = ReviewAssignment.State

DEADLINE_PASSED = "The review deadline has passed: reviews can no longer change."
RELEASED = "The decision on this plan has been released: its reviews can no longer change."
NOT_SAVED = "Your changes were not saved."


@pytest.fixture
def plan(db):
    return submitted_plan(title_en="Tandem solar cells in the clean room")


@pytest.fixture
def criteria(plan):
    return criteria_of(plan.call)


@pytest.fixture
def expert(db):
    return reviewer_with_two_factor("Dr. Kobayashi Expert")


def url(assignment):
    return reverse("review_assignment", args=[assignment.pk])


def deadline_passed(call):
    setup = setup_of(call)
    setup.deadline = timezone.now() - timedelta(minutes=1)
    setup.save()


def release(plan, staff):
    start_review(plan, by=staff)
    decide(plan, "approved", by=staff)
    release_decisions(closed(plan.call), by=staff)


def test_page_before_the_deadline_offers_the_form(client, plan, expert, staff_user, criteria):
    assignment = accepted(plan, expert, staff_user)
    setup = setup_of(plan.call)
    setup.deadline = timezone.now() + timedelta(days=1)
    setup.save()
    client.force_login(expert)
    text = page(client.get(url(assignment)))
    assert "Submit review" in text and "Decline this assignment" in text
    assert DEADLINE_PASSED not in text


def test_page_after_the_deadline_shows_the_draft_read_only(
    client, plan, expert, staff_user, criteria
):
    merit, feasibility = criteria
    assignment = accepted(plan, expert, staff_user)
    client.force_login(expert)
    client.post(url(assignment), review_data("draft", {merit: 4}, comment_to_staff="Half done."))
    deadline_passed(plan.call)

    response = client.get(url(assignment))

    text = page(response)
    assert DEADLINE_PASSED in text
    assert "Your review is shown as you last saved it; it was not submitted." in text
    for label in ("Save draft", "Submit review", "Save corrections", "Decline this assignment"):
        assert label not in text
    form = response.context["review_form"]
    assert all(field.disabled for field in form.fields.values())
    assert form.initial["comment_to_staff"] == "Half done."
    assert "Half done." in text


@pytest.mark.parametrize("action", ["draft", "submit"])
def test_review_posted_after_the_deadline_is_refused(
    client, plan, expert, staff_user, criteria, action
):
    merit, feasibility = criteria
    assignment = accepted(plan, expert, staff_user)
    deadline_passed(plan.call)
    client.force_login(expert)

    response = client.post(
        url(assignment), review_data(action, {merit: 5, feasibility: 5}, comment_to_staff="Late.")
    )

    assert response.status_code == 400
    text = page(response)
    assert NOT_SAVED in text and DEADLINE_PASSED in text
    assert not Review.objects.exists()
    assignment.refresh_from_db()
    assert assignment.state == A.ACCEPTED


def test_decline_posted_after_the_deadline_is_refused(client, plan, expert, staff_user, criteria):
    assignment = accepted(plan, expert, staff_user)
    deadline_passed(plan.call)
    client.force_login(expert)

    response = client.post(url(assignment), {"action": "decline", "reason": "No time after all."})

    assert response.status_code == 400
    assert NOT_SAVED in page(response) and DEADLINE_PASSED in page(response)
    assignment.refresh_from_db()
    assert (assignment.state, assignment.declined_reason) == (A.ACCEPTED, "")


def test_comment_rewritten_after_release_never_reaches_the_coordinator(
    client, plan, expert, staff_user, criteria
):
    """The issue's case: no deadline set, the decision released, the reviewer rewrites the
    comment to the applicant; the coordinator must read the comment as it was released."""
    merit, feasibility = criteria
    assignment = submitted_review(
        plan,
        expert,
        staff_user,
        {merit: 4, feasibility: 4},
        comment_to_applicant="Consider a longer stay in the clean room.",
    )
    release(plan, staff_user)
    client.force_login(expert)

    shown = page(client.get(url(assignment)))
    assert RELEASED in shown and "Your review is shown as you submitted it." in shown
    assert "Save corrections" not in shown
    response = client.post(
        url(assignment),
        review_data(
            "submit", {merit: 1, feasibility: 1}, comment_to_applicant="REWRITTEN after release."
        ),
    )
    assert response.status_code == 400
    assert NOT_SAVED in page(response)

    review = Review.objects.get(assignment=assignment)
    assert review.comment_to_applicant == "Consider a longer stay in the clean room."
    assert sorted(review.scores.values_list("value", flat=True)) == [4, 4]
    client.force_login(plan.lead)
    coordinator_page = page(client.get(reverse("plan_detail", args=[plan.pk])))
    assert "Consider a longer stay in the clean room." in coordinator_page
    assert "REWRITTEN" not in coordinator_page
