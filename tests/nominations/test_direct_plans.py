"""The agency's own plans (JST Direct Invitation Program): staff make them, they skip
submission and review, and the call's money counts them like any approved plan."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from applications.domain.money import call_money
from applications.domain.states import TransitionRefused
from applications.models import InvitationPlan, PlanState, PlanTransition
from nominations.domain.plans import approve_direct_plan, create_direct_plan
from programs.queries import open_calls
from reviews.models import Decision

from ..factories import PlanFactory

pytestmark = pytest.mark.django_db

# The complete draft's budget (tests/factories.py): airfare 5 × ¥150,000, lodging 30 × ¥12,000.
REQUESTED = 5 * 150_000 + 30 * 12_000


def test_staff_approve_agency_draft_without_submission(direct_draft, staff_user):
    approve_direct_plan(direct_draft, by=staff_user)

    plan = InvitationPlan.objects.get(pk=direct_draft.pk)
    assert plan.state == PlanState.APPROVED
    assert plan.submitted_at is None
    assert not plan.versions.exists()
    step = PlanTransition.objects.get(plan=plan)
    assert (step.from_state, step.to_state, step.by) == (
        PlanState.DRAFT,
        PlanState.APPROVED,
        staff_user,
    )
    decision = Decision.objects.get(plan=plan)
    assert decision.outcome == Decision.Outcome.APPROVED
    assert decision.approved_amount_jpy == REQUESTED
    assert decision.released_at is not None


def test_approved_agency_plan_counts_in_committed_money(direct_draft, direct_call, staff_user):
    assert call_money(direct_call).committed == 0
    approve_direct_plan(direct_draft, by=staff_user)
    money = call_money(direct_call)
    assert money.committed == REQUESTED
    assert money.left == direct_call.budget_jpy - REQUESTED


def test_agency_approval_refused_beyond_the_calls_money(direct_draft, direct_call, staff_user):
    type(direct_call).objects.filter(pk=direct_call.pk).update(budget_jpy=REQUESTED - 1)
    with pytest.raises(Exception, match="budget is left"):
        approve_direct_plan(direct_draft, by=staff_user)
    assert InvitationPlan.objects.get(pk=direct_draft.pk).state == PlanState.DRAFT
    assert not Decision.objects.filter(plan=direct_draft).exists()


def test_normal_draft_cannot_skip_submission(staff_user):
    plan = PlanFactory()  # Sakura Science: the call takes applications
    with pytest.raises(TransitionRefused, match="agency hosts itself"):
        approve_direct_plan(plan, by=staff_user)
    assert InvitationPlan.objects.get(pk=plan.pk).state == PlanState.DRAFT
    assert not Decision.objects.filter(plan=plan).exists()


def test_coordinator_cannot_approve_an_agency_plan(direct_draft, coordinator):
    with pytest.raises(PermissionDenied):
        approve_direct_plan(direct_draft, by=coordinator)
    assert InvitationPlan.objects.get(pk=direct_draft.pk).state == PlanState.DRAFT


def test_incomplete_agency_draft_is_not_approved(direct_draft, staff_user):
    InvitationPlan.objects.filter(pk=direct_draft.pk).update(title_en="")
    with pytest.raises(TransitionRefused, match="title in English"):
        approve_direct_plan(direct_draft, by=staff_user)
    assert not Decision.objects.filter(plan=direct_draft).exists()


def test_agency_plan_is_not_submitted_through_its_closed_call(direct_draft, staff_user):
    from applications.domain.states import submit_plan

    with pytest.raises(TransitionRefused):
        submit_plan(direct_draft, by=staff_user)


def test_direct_call_never_offered_for_applications(direct_call, client, coordinator):
    # Even with its window open, a call of an agency-hosted program takes no applications.
    type(direct_call).objects.filter(pk=direct_call.pk).update(
        opens_at=timezone.now() - timedelta(days=1), closes_at=timezone.now() + timedelta(days=9)
    )
    assert direct_call not in open_calls()
    client.force_login(coordinator)
    new_plan_page = client.get(reverse("plan_create")).content.decode()
    assert "JST Direct Invitation Program" not in new_plan_page
    dashboard = client.get(reverse("coordinator_dashboard")).content.decode()
    assert "JST Direct Invitation Program" not in dashboard
    assert client.get(reverse("call_detail", args=[direct_call.pk])).status_code == 404


def test_staff_create_an_agency_plan_with_its_basics(agency, direct_call, staff_user):
    course = direct_call.courses.get()
    plan = create_direct_plan(
        call=direct_call,
        course=course,
        by=staff_user,
        title_en="Young leaders in AI",
        title_ja="AI分野の若手リーダー",
        arrival_on=date(2027, 1, 12),
        departure_on=date(2027, 1, 18),
        field_of_science="informatics",
    )
    assert plan.host == agency
    assert plan.lead == staff_user
    assert plan.state == PlanState.DRAFT
    assert plan.nomination_round.is_open


def test_coordinator_cannot_create_an_agency_plan(agency, direct_call, coordinator):
    course = direct_call.courses.get()
    with pytest.raises(PermissionDenied):
        create_direct_plan(call=direct_call, course=course, by=coordinator, title_en="x")


def test_staff_edit_agency_plans_only(direct_draft, staff_user, client):
    normal = PlanFactory()
    assert staff_user.has_perm("applications.edit_plan", direct_draft)
    assert not staff_user.has_perm("applications.edit_plan", normal)
    client.force_login(staff_user)
    assert client.get(reverse("plan_edit_itinerary", args=[direct_draft.pk])).status_code == 200
    assert client.get(reverse("plan_edit_budget", args=[direct_draft.pk])).status_code == 200
    assert client.get(reverse("plan_edit_budget", args=[normal.pk])).status_code == 403
