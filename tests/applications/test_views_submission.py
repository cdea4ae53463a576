"""Submitting a plan, and what happens to it afterwards, through the pages people use.

Review-and-submit lists every problem at once; the deadline is checked when the button is
pressed, not when the page was opened; every move leaves a row in the plan's history and each
submission a version that the changes page compares.
"""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.domain.states import submit_plan
from applications.models import PlanState
from tests.factories import PlanFactory

from .view_helpers import basics_data, item_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in with a password here: spare the many users the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(institution):
    """A complete draft of `institution`, led by a plain member."""
    return PlanFactory(host=institution, title_en="Perovskite solar cells: a first look")


def submitted(plan):
    return submit_plan(plan, by=plan.lead)


def move(client, plan, to, reason="", confirm="yes"):
    data = {"to": to, "reason": reason, "confirm": confirm}
    return client.post(reverse("plan_transition", args=[plan.pk]), data, follow=True)


def test_submit_incomplete_plan_lists_every_problem(client, institution):
    plan = PlanFactory(host=institution, complete=False, title_en="", contact_email="")
    client.force_login(plan.lead)
    response = client.post(reverse("plan_submit", args=[plan.pk]))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "The plan cannot be submitted yet: please correct the problems shown." in page
    for problem in (
        "Give the title in English.",
        "Give the contact person's email address.",
        "Name at least one partner institution abroad.",
        "The plan invites 0 people",
        "Add the itinerary, day by day.",
        "Add the budget lines.",
        # the export-control pre-check (screening), three questions unanswered
        "Answer: Is any partner institution or invitee tied to an entity on the End User List?",
        "Answer: Will technology listed under the export control regulations be provided?",
        "Answer: Is any invitee in the",
    ):
        assert problem in page, problem
    assert "9 things stop submission" in page
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT
    assert not plan.versions.exists()
    assert not plan.history.exists()


def test_submit_complete_plan_records_history_and_version(client, plan):
    client.force_login(plan.lead)
    review = client.get(reverse("plan_submit", args=[plan.pk])).content.decode()
    assert "Everything the call requires is in place." in review
    response = client.post(reverse("plan_submit", args=[plan.pk]))
    assert response.status_code == 302
    assert response.url == reverse("plan_detail", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    assert plan.submitted_at is not None

    page = client.get(response.url).content.decode()
    assert f"Plan {plan.reference} was submitted." in page
    transition = plan.history.get()
    assert (transition.from_state, transition.to_state, transition.by) == (
        PlanState.DRAFT,
        PlanState.SUBMITTED,
        plan.lead,
    )
    assert f"<td>{plan.lead.full_name}</td><td>Draft</td><td>Submitted</td>" in page, (
        "the history row"
    )
    assert reverse("plan_version", args=[plan.pk, 1]) in page
    assert "Version 1" in page
    version = client.get(reverse("plan_version", args=[plan.pk, 1])).content.decode()
    assert "Perovskite solar cells: a first look" in version


def test_submit_refused_after_deadline_even_if_page_was_opened_before(client, plan):
    client.force_login(plan.lead)
    opened = client.get(reverse("plan_submit", args=[plan.pk]))
    assert "Submit the plan" in opened.content.decode()
    plan.call.closes_at = timezone.now() - timedelta(seconds=1)
    plan.call.save()

    response = client.post(reverse("plan_submit", args=[plan.pk]))
    assert response.status_code == 400
    assert "The call closed at" in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT
    assert not plan.versions.exists()


def test_withdraw_draft_by_lead(client, plan):
    client.force_login(plan.lead)
    response = move(client, plan, PlanState.WITHDRAWN, "The partner university cancelled.")
    assert response.status_code == 200
    page = response.content.decode()
    assert "The plan is now: Withdrawn." in page
    assert "The partner university cancelled." in page
    plan.refresh_from_db()
    assert plan.state == PlanState.WITHDRAWN
    assert plan.history.get().reason == "The partner university cancelled."


def test_withdraw_needs_the_box_ticked(client, plan):
    client.force_login(plan.lead)
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert 'name="confirm" value="yes" required' in page

    response = move(client, plan, PlanState.WITHDRAWN, "Changed our mind.", confirm="")

    assert "Tick the box to confirm the withdrawal" in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT and not plan.history.exists()


def test_withdraw_refused_to_collaborator(client, plan, colleague):
    plan.collaborators.add(colleague)
    client.force_login(colleague)
    response = move(client, plan, PlanState.WITHDRAWN)
    assert "You may not make this change to the plan." in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_lead_cannot_start_review(client, plan):
    submitted(plan)
    client.force_login(plan.lead)
    response = move(client, plan, PlanState.UNDER_REVIEW)
    assert "You may not make this change to the plan." in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED


def test_staff_start_review_and_request_revision_with_reason(client, plan, staff_user):
    submitted(plan)
    client.force_login(staff_user)
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Start review" in page
    assert "Request a revision" in page

    move(client, plan, PlanState.UNDER_REVIEW)
    plan.refresh_from_db()
    assert plan.state == PlanState.UNDER_REVIEW

    reason = "Please add a site visit to a company on day 3."
    response = move(client, plan, PlanState.REVISION_REQUESTED, reason)
    assert "The plan is now: Revision requested." in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == PlanState.REVISION_REQUESTED
    assert plan.history.last().reason == reason
    assert reason in response.content.decode()

    client.force_login(plan.lead)
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    notice = page.split('id="revision-heading"', 1)[1].split("</section>", 1)[0]
    assert reason in notice and "asked for a revision on" in notice


@pytest.mark.parametrize("reason", ["", "   "])
def test_staff_revision_request_without_reason_is_refused(client, plan, staff_user, reason):
    submitted(plan)
    client.force_login(staff_user)
    response = move(client, plan, PlanState.REVISION_REQUESTED, reason)
    assert response.status_code == 200
    assert "Please give a reason." in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    assert plan.history.count() == 1


def test_transition_to_unknown_state_is_not_understood(client, plan):
    client.force_login(plan.lead)
    response = move(client, plan, "archived")
    assert "The request was not understood." in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_resubmission_after_revision_shows_what_changed(client, plan, staff_user):
    submitted(plan)
    client.force_login(staff_user)
    move(client, plan, PlanState.REVISION_REQUESTED, "Add a company visit.")

    client.force_login(plan.lead)
    plan.refresh_from_db()
    edited = client.post(
        reverse("plan_edit_basics", args=[plan.pk]),
        basics_data(plan, title_en="Perovskite solar cells: from lab to factory"),
    )
    assert edited.status_code == 302
    plan.refresh_from_db()
    added = client.post(
        reverse("plan_edit_itinerary", args=[plan.pk]),
        item_data(
            plan,
            day="2027-01-12",
            start_time="14:00",
            end_time="16:00",
            kind="site_visit",
            title_en="Visit to a solar panel factory",
            title_ja="太陽電池工場見学",
            place="Sakai",
        ),
    )
    assert added.status_code == 302
    resubmitted = client.post(reverse("plan_submit", args=[plan.pk]))
    assert resubmitted.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    assert list(plan.versions.values_list("number", flat=True)) == [1, 2]

    detail = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert reverse("plan_diff", args=[plan.pk]) in detail
    changes = client.get(reverse("plan_diff", args=[plan.pk]))
    assert changes.status_code == 200
    page = changes.content.decode()
    assert "Changes from version 1 to version 2" in page
    assert "<del>Perovskite solar cells: a first look</del>" in page
    assert "<ins>Perovskite solar cells: from lab to factory</ins>" in page
    assert (
        "+ 2027-01-12 14:00–16:00 [Site visit] Visit to a solar panel factory"
        " / 太陽電池工場見学 @ Sakai"
    ) in page


def test_changes_page_not_found_with_one_version(client, plan):
    submitted(plan)
    client.force_login(plan.lead)
    assert client.get(reverse("plan_diff", args=[plan.pk])).status_code == 404
