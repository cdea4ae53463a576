"""The coordinator's dashboard: "New plan" first, then their plans with the deadline, what is
missing and the next step; their pending reviews when they also review; the open calls last,
folded."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.domain.states import submit_plan
from applications.models import BudgetLine, InvitationPlan, PlanState
from reviews.models import ReviewAssignment
from tests.conftest import with_two_factor
from tests.factories import CallFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("coordinator_dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def row_of(html, plan):
    return html.split(plan.reference, 1)[1].split("</tr>", 1)[0]


def test_new_plan_and_my_plans_come_before_the_open_calls(client, institution, coordinator):
    PlanFactory(host=institution, lead=coordinator)
    html = dashboard(client, coordinator)
    new_plan = html.index(reverse("plan_create"))
    my_plans = html.index('id="my-plans"')
    open_calls = html.index('id="open-calls"')
    assert new_plan < my_plans < open_calls
    # The open calls are folded: a <details> without `open`.
    assert '<details class="box" id="open-calls">' in html


def test_each_plan_says_what_is_missing_and_what_comes_next(client, institution, coordinator):
    ready = PlanFactory(host=institution, lead=coordinator, title_en="Ready plan")
    unfinished = PlanFactory(host=institution, lead=coordinator, title_en="Unfinished plan")
    BudgetLine.objects.filter(plan=unfinished).delete()
    submitted = PlanFactory(host=institution, lead=coordinator, title_en="Submitted plan")
    submit_plan(submitted, by=coordinator)

    html = dashboard(client, coordinator)

    assert "Review and submit" in row_of(html, ready)
    assert reverse("plan_submit", args=[ready.pk]) in row_of(html, ready)
    assert "Complete: Budget" in row_of(html, unfinished)
    assert "Wait for the review" in row_of(html, submitted)
    # The deadline counts down for plans still being written.
    assert 'class="countdown"' in row_of(html, ready)
    assert 'class="countdown"' not in row_of(html, submitted)


def test_a_plan_whose_call_has_closed_says_so(client, institution, coordinator):
    closed = CallFactory(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(days=1)
    )
    plan = PlanFactory(call=closed, host=institution, lead=coordinator)
    assert "The call has closed" in row_of(dashboard(client, coordinator), plan)


def test_an_approved_plan_leads_to_its_participants(client, institution, coordinator):
    plan = PlanFactory(host=institution, lead=coordinator)
    InvitationPlan.objects.filter(pk=plan.pk).update(state=PlanState.APPROVED)
    row = row_of(dashboard(client, coordinator), plan)
    assert "Register participants" in row
    assert reverse("participant_list", args=[plan.pk]) in row


def test_another_institutions_plans_are_not_listed(client, coordinator, other_coordinator):
    theirs = PlanFactory(lead=other_coordinator, host=other_coordinator.institutions.first())
    assert theirs.reference not in dashboard(client, coordinator)


def test_a_coordinator_who_also_reviews_sees_the_reviews_waiting(client, institution, coordinator):
    coordinator.is_reviewer = True
    coordinator.save()
    with_two_factor(coordinator)  # reviewers sign in with a second factor
    other = PlanFactory(title_en="A plan of another host to review")
    submit_plan(other, by=other.lead)
    ReviewAssignment.objects.create(plan=other, reviewer=coordinator, assigned_by=UserFactory())

    html = dashboard(client, coordinator)

    reviews = html.split('id="my-reviews"', 1)[1].split("</section>", 1)[0]
    assert other.reference in reviews
    assert html.index('id="my-reviews"') < html.index('id="open-calls"')


def test_a_coordinator_who_does_not_review_has_no_reviews_section(client, coordinator):
    assert 'id="my-reviews"' not in dashboard(client, coordinator)


def test_plans_still_being_written_come_first(client, institution, coordinator):
    submitted = PlanFactory(host=institution, lead=coordinator, title_en="Submitted first")
    submit_plan(submitted, by=coordinator)
    later_call = CallFactory(closes_at=timezone.now() + timedelta(days=60))
    draft = PlanFactory(call=later_call, host=institution, lead=coordinator)
    html = dashboard(client, coordinator)
    assert html.index(draft.reference) < html.index(submitted.reference)
