"""The revision cycle through the pages: staff ask, the coordinator revises, reviewers reread.

Staff may ask for a revision of a submitted plan, with a message the coordinators read in the
plan's history. The lead edits the plan and submits it again, even after the call has closed
(the deadline binds the first submission only). The new version goes back to the reviewers
already assigned: their dashboards ask for a new review, and everyone who may see the plan can
read what changed between the versions.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import PlanState
from programs.models import Call
from reviews.models import ReviewAssignment
from tests.applications.view_helpers import basics_data
from tests.factories import PlanFactory
from tests.reviews.factories import closed

from .view_helpers import (
    criteria_of,
    page,
    review_data,
    reviewer_with_two_factor,
    submitted_plan,
    submitted_review,
)

pytestmark = pytest.mark.django_db

MESSAGE = "Please add a visit to a solar panel factory on day 3."
NEW_TITLE = "Tandem solar cells: from the clean room to the factory"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in with a password here: spare the many users the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(db):
    return submitted_plan(title_en="Tandem solar cells in the clean room")


@pytest.fixture
def criteria(plan):
    return criteria_of(plan.call)


@pytest.fixture
def readers(plan, staff_user, criteria):
    """Two reviewers who have submitted their reviews of version 1."""
    readers = [reviewer_with_two_factor(), reviewer_with_two_factor()]
    for reader in readers:
        submitted_review(plan, reader, staff_user, dict.fromkeys(criteria, 4))
    return readers


def close_call(plan):
    Call.objects.filter(pk=plan.call_id).update(closes_at=timezone.now() - timedelta(days=1))


def ask_for_revision(client, plan, staff, message=MESSAGE):
    client.force_login(staff)
    return client.post(
        reverse("plan_transition", args=[plan.pk]),
        {"to": PlanState.REVISION_REQUESTED, "reason": message},
        follow=True,
    )


def revise_and_resubmit(client, plan):
    """The lead changes the English title on the basics page and submits again."""
    client.force_login(plan.lead)
    plan.refresh_from_db()
    edited = client.post(
        reverse("plan_edit_basics", args=[plan.pk]), basics_data(plan, title_en=NEW_TITLE)
    )
    assert edited.status_code == 302, edited.content.decode()
    return client.post(reverse("plan_submit", args=[plan.pk]))


def test_revision_request_shows_on_the_coordinators_plan_page(client, plan, staff_user):
    response = ask_for_revision(client, plan, staff_user)

    assert "The plan is now: Revision requested." in page(response)
    plan.refresh_from_db()
    assert plan.state == PlanState.REVISION_REQUESTED

    client.force_login(plan.lead)
    detail = client.get(reverse("plan_detail", args=[plan.pk]))
    text = page(detail)
    assert '<span class="badge state-revision_requested">Revision requested</span>' in text
    history = text[text.index('class="history"') :]
    assert MESSAGE in history
    assert "Edit the plan" in text
    assert detail.context["can_edit"] is True


def test_revision_request_refused_to_the_coordinator(client, plan):
    client.force_login(plan.lead)
    response = client.post(
        reverse("plan_transition", args=[plan.pk]),
        {"to": PlanState.REVISION_REQUESTED, "reason": "I would like to change it."},
        follow=True,
    )
    assert "You may not make this change to the plan." in page(response)
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED


def test_first_submission_refused_after_the_call_closed(client):
    """The contrast to the revision below: a draft cannot be submitted after the deadline."""
    draft = PlanFactory()
    close_call(draft)
    client.force_login(draft.lead)

    response = client.post(reverse("plan_submit", args=[draft.pk]))

    assert response.status_code == 400
    assert "The call closed at" in page(response)
    draft.refresh_from_db()
    assert draft.state == PlanState.DRAFT


def test_revision_resubmitted_after_the_call_closed_goes_back_to_the_same_reviewers(
    client, plan, staff_user, readers
):
    bystander = reviewer_with_two_factor()
    close_call(plan)
    ask_for_revision(client, plan, staff_user)

    response = revise_and_resubmit(client, plan)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    assert list(plan.versions.values_list("number", flat=True)) == [1, 2]
    assert set(
        ReviewAssignment.objects.filter(plan=plan).values_list("reviewer_id", flat=True)
    ) == {r.pk for r in readers}

    for reader in readers:
        client.force_login(reader)
        dashboard = page(client.get(reverse("reviewer_dashboard")))
        assert plan.reference in dashboard
        assert "A new version was submitted: review it again" in dashboard
        assignment = ReviewAssignment.objects.get(plan=plan, reviewer=reader)
        detail = page(client.get(reverse("review_assignment", args=[assignment.pk])))
        assert "The plan as submitted (version 2," in detail
        assert NEW_TITLE in detail

    client.force_login(bystander)
    assert plan.reference not in page(client.get(reverse("reviewer_dashboard")))


def test_reviewer_rereads_and_submits_the_new_version(client, plan, staff_user, readers, criteria):
    ask_for_revision(client, plan, staff_user)
    revise_and_resubmit(client, plan)
    reader = readers[0]
    assignment = ReviewAssignment.objects.get(plan=plan, reviewer=reader)
    client.force_login(reader)

    response = client.post(
        reverse("review_assignment", args=[assignment.pk]),
        review_data("submit", dict.fromkeys(criteria, 5), comment_to_staff="Better now."),
    )

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.review.plan_version == 2
    dashboard = page(client.get(reverse("reviewer_dashboard")))
    assert "A new version was submitted" not in dashboard
    assert "Review submitted" in dashboard


def test_changes_page_lists_what_changed(client, plan, staff_user, readers):
    ask_for_revision(client, plan, staff_user)
    revise_and_resubmit(client, plan)

    for person in (plan.lead, staff_user):
        client.force_login(person)
        detail = page(client.get(reverse("plan_detail", args=[plan.pk])))
        assert reverse("plan_diff", args=[plan.pk]) in detail
        changes = client.get(reverse("plan_diff", args=[plan.pk]))
        assert changes.status_code == 200
        text = page(changes)
        assert "Changes from version 1 to version 2" in text
        assert "<del>Tandem solar cells in the clean room</del>" in text
        assert f"<ins>{NEW_TITLE}</ins>" in text
        assert "Nothing changed." not in text


def test_changes_page_not_open_to_reviewers(client, plan, staff_user, readers):
    """Reviewers read versions on their own page; the plan pages stay with host and staff."""
    ask_for_revision(client, plan, staff_user)
    revise_and_resubmit(client, plan)
    client.force_login(readers[0])
    assert client.get(reverse("plan_diff", args=[plan.pk])).status_code == 404


def test_released_decision_and_reviewer_comments_reach_the_coordinator(client):
    """Before release the coordinator sees nothing of the decision; after, the outcome,
    amount, conditions and the reviewers' comments to the applicant — never to staff."""
    from applications.domain.states import submit_plan
    from reviews.domain.decisions import decide, release_decisions
    from reviews.models import Review, ReviewAssignment
    from tests.conftest import with_two_factor
    from tests.factories import PlanFactory, UserFactory

    plan = PlanFactory()
    submit_plan(plan, by=plan.lead)
    staff = with_two_factor(UserFactory(is_staff=True))
    reviewer = UserFactory(is_reviewer=True)
    assignment = ReviewAssignment.objects.create(
        plan=plan, reviewer=reviewer, assigned_by=staff, state=ReviewAssignment.State.SUBMITTED
    )
    Review.objects.create(
        assignment=assignment,
        plan_version=1,
        submitted_at=plan.submitted_at,
        comment_to_applicant="Add a session with local students.",
        comment_to_staff="Internal: strong host.",
    )
    decide(plan, "approved", by=staff, approved_amount=1_000_000, conditions="Report by March.")
    client.force_login(plan.lead)
    before = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Add a session with local students." not in before
    assert "Report by March." not in before

    release_decisions(closed(plan.call), by=staff)
    after = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Add a session with local students." in after
    assert "¥1,000,000" in after
    assert "Report by March." in after
    assert "Internal: strong host." not in after
