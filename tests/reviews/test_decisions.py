"""Decisions: recorded by staff in a batch, invisible to coordinators until released.

Deciding changes nothing the coordinator can see. Releasing moves every decided plan of the
call to its outcome at once, with history rows and notifications, and marks the call
decided. Approved money stays committed while the plan goes ahead; money freed by a
withdrawal can go to waitlisted plans, never more than what is left.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.domain.money import call_money
from applications.domain.states import (
    TransitionRefused,
    plan_coordinators,
    start_review,
    submit_plan,
    withdraw_plan,
)
from applications.models import BudgetLine, PlanState, PlanTransition
from institutions.models import Membership
from notifications.models import Notification
from programs.models import Call
from reviews.domain.decisions import (
    decide,
    promote_from_waitlist,
    reject_from_waitlist,
    release_decisions,
    waitlist_candidates,
)
from reviews.domain.ranking import rank_call
from reviews.models import Decision
from reviews.queries import released_feedback
from tests.factories import MembershipFactory, PlanFactory
from tests.reviews.factories import closed

pytestmark = pytest.mark.django_db
Outcome = Decision.Outcome
S = PlanState


def plan_requesting(call, amount, *, state=S.SUBMITTED, staff=None):
    """A complete plan asking for `amount` yen (one airfare line), submitted by its lead.

    Its host has an administrator too, so the plan has two coordinators to notify.
    """
    plan = PlanFactory(call=call)
    MembershipFactory(institution=plan.host, role=Membership.Role.ADMINISTRATOR)
    BudgetLine.objects.filter(plan=plan).delete()
    BudgetLine.objects.create(plan=plan, category="airfare", unit_cost_jpy=amount, quantity=1)
    submit_plan(plan, by=plan.lead)
    if state == S.UNDER_REVIEW:
        start_review(plan, by=staff)
    return plan


def snapshot(plan):
    """What the plan's coordinators can see of it: its state, history and messages."""
    plan.refresh_from_db()
    return (
        plan.state,
        list(PlanTransition.objects.filter(plan=plan).values_list("pk", flat=True)),
        list(Notification.objects.filter(plan=plan).values_list("pk", flat=True)),
    )


@pytest.mark.parametrize("state", [S.SUBMITTED, S.UNDER_REVIEW])
@pytest.mark.parametrize("outcome", [Outcome.APPROVED, Outcome.WAITLISTED, Outcome.REJECTED])
def test_decide_leaves_plan_state_unchanged(call, staff, state, outcome):
    plan = plan_requesting(call, 500_000, state=state, staff=staff)
    before = snapshot(plan)

    decision = decide(plan, outcome, conditions="Budget as requested.", by=staff)

    assert snapshot(plan) == before
    assert plan.state == state
    assert (decision.outcome, decision.released_at, decision.decided_by) == (outcome, None, staff)


def test_decide_again_replaces_unreleased_decision(call, staff):
    plan = plan_requesting(call, 500_000)
    decide(plan, Outcome.APPROVED, approved_amount=400_000, requested=500_000, by=staff)

    decide(plan, Outcome.WAITLISTED, approved_amount=400_000, by=staff)

    decision = Decision.objects.get(plan=plan)
    assert (decision.outcome, decision.approved_amount_jpy) == (Outcome.WAITLISTED, None)


@pytest.mark.parametrize("caller_passes_request", [True, False])
def test_decide_approved_amount_above_requested_refused(call, staff, caller_passes_request):
    """The plan asks for ¥500,000: ¥500,001 cannot be approved, whoever calls decide()."""
    plan = plan_requesting(call, 500_000)
    extra = {"requested": 500_000} if caller_passes_request else {}

    with pytest.raises(ValidationError):
        decide(plan, Outcome.APPROVED, approved_amount=500_001, by=staff, **extra)

    assert not Decision.objects.filter(plan=plan).exists()


@pytest.mark.parametrize("amount", [500_000, 350_000, None])
def test_decide_approved_amount_up_to_requested_accepted(call, staff, amount):
    plan = plan_requesting(call, 500_000)

    decision = decide(plan, Outcome.APPROVED, approved_amount=amount, requested=500_000, by=staff)

    assert decision.approved_amount_jpy == amount


def test_decide_refused_for_coordinator(call):
    plan = plan_requesting(call, 500_000)

    with pytest.raises(PermissionDenied):
        decide(plan, Outcome.APPROVED, by=plan.lead)

    assert not Decision.objects.exists()


@pytest.mark.parametrize("state", [S.DRAFT, S.WITHDRAWN])
def test_decide_refused_for_plan_not_under_consideration(call, staff, state):
    plan = PlanFactory(call=call)
    if state == S.WITHDRAWN:
        withdraw_plan(plan, by=plan.lead)

    with pytest.raises(ValidationError):
        decide(plan, Outcome.APPROVED, by=staff)
    assert not Decision.objects.exists()


def test_release_decisions_refused_for_coordinator(call, staff):
    plan = plan_requesting(call, 500_000)
    decide(plan, Outcome.APPROVED, by=staff)
    before = snapshot(plan)

    with pytest.raises(PermissionDenied):
        release_decisions(closed(call), by=plan.lead)

    assert snapshot(plan) == before
    assert Decision.objects.get(plan=plan).released_at is None
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED


def test_release_is_refused_while_the_call_accepts_plans(call, staff):
    plan = plan_requesting(call, 500_000)
    decide(plan, Outcome.REJECTED, by=staff)

    with pytest.raises(ValidationError) as refused:
        release_decisions(call, by=staff)

    assert "The call accepts plans until" in refused.value.messages[0]
    plan.refresh_from_db()
    call.refresh_from_db()
    assert plan.state == S.SUBMITTED and call.status != Call.Status.DECIDED


def test_release_decisions_moves_every_decided_plan_at_once(call, staff):
    approved = plan_requesting(call, 500_000)
    waitlisted = plan_requesting(call, 500_000, state=S.UNDER_REVIEW, staff=staff)
    rejected = plan_requesting(call, 500_000)
    undecided = plan_requesting(call, 500_000)
    decide(approved, Outcome.APPROVED, approved_amount=450_000, requested=500_000, by=staff)
    decide(waitlisted, Outcome.WAITLISTED, by=staff)
    decide(
        rejected, Outcome.REJECTED, conditions="The itinerary has no research content.", by=staff
    )
    untouched = snapshot(undecided)
    already = set(PlanTransition.objects.values_list("pk", flat=True))
    Notification.objects.all().delete()

    released = release_decisions(closed(call), by=staff)

    assert released == 3
    for plan, outcome in [
        (approved, S.APPROVED),
        (waitlisted, S.WAITLISTED),
        (rejected, S.REJECTED),
    ]:
        plan.refresh_from_db()
        assert plan.state == outcome
    new = PlanTransition.objects.exclude(pk__in=already)
    assert sorted(new.values_list("plan_id", "from_state", "to_state", "by_id")) == sorted(
        [
            (approved.pk, S.SUBMITTED, S.UNDER_REVIEW, staff.pk),
            (approved.pk, S.UNDER_REVIEW, S.APPROVED, staff.pk),
            (waitlisted.pk, S.UNDER_REVIEW, S.WAITLISTED, staff.pk),
            (rejected.pk, S.SUBMITTED, S.UNDER_REVIEW, staff.pk),
            (rejected.pk, S.UNDER_REVIEW, S.REJECTED, staff.pk),
        ]
    )
    assert new.get(plan=rejected, to_state=S.REJECTED).reason == (
        "The itinerary has no research content."
    )
    assert Decision.objects.filter(released_at__isnull=True).count() == 0
    for plan in [approved, waitlisted, rejected]:
        coordinators = {user.pk for user in plan_coordinators(plan)}
        assert len(coordinators) == 2  # the lead and the host's administrator
        notified = Notification.objects.filter(plan=plan, kind="decision_released")
        assert sorted(notified.values_list("recipient_id", flat=True)) == sorted(coordinators)
        # one message each: none for the step through "under review" on the way
        assert Notification.objects.filter(plan=plan).count() == len(coordinators)
    assert snapshot(undecided)[:2] == untouched[:2]
    assert not Notification.objects.filter(plan=undecided).exists()
    call.refresh_from_db()
    assert call.status == Call.Status.DECIDED


def test_a_plan_shows_its_decision_once_released_and_asks_nothing_before(
    call, staff, django_assert_num_queries
):
    """Decided but not released, the plan page says nothing of it: the plan is still in review,
    and a decision is released only with the move to its outcome, so nothing is asked."""
    plan = plan_requesting(call, 500_000)
    decide(plan, Outcome.APPROVED, approved_amount=450_000, requested=500_000, by=staff)
    with django_assert_num_queries(0):
        assert released_feedback(plan) == (None, [])
    release_decisions(closed(call), by=staff)
    plan.refresh_from_db()
    decision, comments = released_feedback(plan)
    assert (decision.outcome, decision.approved_amount_jpy, comments) == (
        Outcome.APPROVED,
        450_000,
        [],
    )


def test_release_decisions_second_time_releases_nothing(call, staff):
    plan = plan_requesting(call, 500_000)
    decide(plan, Outcome.APPROVED, by=staff)
    release_decisions(closed(call), by=staff)
    before = snapshot(plan)
    released_at = Decision.objects.get(plan=plan).released_at

    assert release_decisions(closed(call), by=staff) == 0

    assert snapshot(plan) == before
    assert Decision.objects.get(plan=plan).released_at == released_at


def test_release_decisions_only_of_this_call(call, staff):
    from tests.factories import CallFactory

    other_call = CallFactory()
    mine = plan_requesting(call, 500_000)
    theirs = plan_requesting(other_call, 500_000)
    decide(mine, Outcome.APPROVED, by=staff)
    decide(theirs, Outcome.APPROVED, by=staff)

    release_decisions(closed(call), by=staff)

    theirs.refresh_from_db()
    assert theirs.state == S.SUBMITTED
    assert Decision.objects.get(plan=theirs).released_at is None


def test_release_decisions_rejection_decided_without_conditions_releasable(call, staff):
    """A rejection must say why. Either decide() asks for the reason up front, or a
    decision it accepted can be released: it must never block the release of the call.
    """
    approved = plan_requesting(call, 500_000)
    rejected = plan_requesting(call, 500_000)
    decide(approved, Outcome.APPROVED, by=staff)
    try:
        decide(rejected, Outcome.REJECTED, by=staff)
    except ValidationError:
        rejected_refused_up_front = True
    else:
        rejected_refused_up_front = False

    release_decisions(closed(call), by=staff)

    approved.refresh_from_db()
    rejected.refresh_from_db()
    assert approved.state == S.APPROVED
    assert rejected.state == (S.SUBMITTED if rejected_refused_up_front else S.REJECTED)


def test_release_decisions_plan_withdrawn_after_decision_does_not_block_release(call, staff):
    """The coordinator withdrew a plan that staff had already (secretly) approved.

    The other plans of the call are still released; the withdrawn plan stays withdrawn.
    """
    kept = plan_requesting(call, 500_000)
    gone = plan_requesting(call, 500_000)
    decide(kept, Outcome.APPROVED, by=staff)
    decide(gone, Outcome.APPROVED, by=staff)
    withdraw_plan(gone, by=gone.lead, reason="The partner cancelled.")

    release_decisions(closed(call), by=staff)

    kept.refresh_from_db()
    gone.refresh_from_db()
    assert kept.state == S.APPROVED
    assert gone.state == S.WITHDRAWN
    call.refresh_from_db()
    assert call.status == Call.Status.DECIDED


def test_committed_amount_counts_approved_plans(call, staff):
    first = plan_requesting(call, 500_000)
    second = plan_requesting(call, 800_000)
    waitlisted = plan_requesting(call, 300_000)
    decide(first, Outcome.APPROVED, approved_amount=400_000, requested=500_000, by=staff)
    decide(second, Outcome.APPROVED, approved_amount=800_000, requested=800_000, by=staff)
    decide(waitlisted, Outcome.WAITLISTED, by=staff)
    release_decisions(closed(call), by=staff)

    assert call_money(call).committed == 1_200_000


def test_committed_amount_approved_without_amount_counts_request(call, staff):
    """Approved as requested (no amount typed): the ranking counts the request; so must this."""
    plan = plan_requesting(call, 500_000)
    decide(plan, Outcome.APPROVED, by=staff)
    release_decisions(closed(call), by=staff)

    assert rank_call(call).money.approved == 500_000
    assert call_money(call).committed == 500_000


def test_committed_amount_stops_counting_plan_withdrawn_after_approval(call, staff):
    kept = plan_requesting(call, 500_000)
    gone = plan_requesting(call, 700_000)
    decide(kept, Outcome.APPROVED, approved_amount=500_000, requested=500_000, by=staff)
    decide(gone, Outcome.APPROVED, approved_amount=700_000, requested=700_000, by=staff)
    release_decisions(closed(call), by=staff)
    assert call_money(call).committed == 1_200_000

    withdraw_plan(gone, by=gone.lead, reason="Visas were refused.")

    assert call_money(call).committed == 500_000


@pytest.fixture
def waitlist(call, staff):
    """Budget ¥1,000,000: one plan approved at ¥600,000; two waitlisted asking 400k and 500k."""
    call.budget_jpy = 1_000_000
    call.save()
    approved = plan_requesting(call, 600_000)
    small = plan_requesting(call, 400_000)
    large = plan_requesting(call, 500_000)
    decide(approved, Outcome.APPROVED, approved_amount=600_000, requested=600_000, by=staff)
    decide(small, Outcome.WAITLISTED, by=staff)
    decide(large, Outcome.WAITLISTED, by=staff)
    release_decisions(closed(call), by=staff)
    return approved, small, large


def test_waitlist_candidates_fit_into_money_left(call, waitlist):
    approved, small, large = waitlist

    rows, left = waitlist_candidates(call, rank_call(call).rows)

    assert left == 400_000
    assert [row.plan.pk for row in rows] == [small.pk]


def test_waitlist_candidates_grow_when_approved_plan_withdrawn(call, waitlist):
    approved, small, large = waitlist
    withdraw_plan(approved, by=approved.lead, reason="The host lab closed.")

    rows, left = waitlist_candidates(call, rank_call(call).rows)

    assert left == 1_000_000
    assert sorted(row.plan.pk for row in rows) == sorted([small.pk, large.pk])


def test_promote_from_waitlist_approves_plan(call, staff, waitlist):
    approved, small, large = waitlist

    promote_from_waitlist(small, by=staff, amount=400_000)

    small.refresh_from_db()
    assert small.state == S.APPROVED
    decision = Decision.objects.get(plan=small)
    assert (decision.outcome, decision.approved_amount_jpy) == (Outcome.APPROVED, 400_000)
    transition = PlanTransition.objects.filter(plan=small).last()
    assert (transition.from_state, transition.to_state) == (S.WAITLISTED, S.APPROVED)
    assert call_money(call).committed == 1_000_000
    assert waitlist_candidates(call, rank_call(call).rows) == ([], 0)


def test_promote_from_waitlist_refused_over_money_left(call, staff, waitlist):
    approved, small, large = waitlist

    with pytest.raises(ValidationError) as refused:
        promote_from_waitlist(large, by=staff, amount=500_000)

    assert "400,000" in " ".join(refused.value.messages)
    large.refresh_from_db()
    assert large.state == S.WAITLISTED
    decision = Decision.objects.get(plan=large)
    assert (decision.outcome, decision.approved_amount_jpy) == (Outcome.WAITLISTED, None)
    assert call_money(call).committed == 600_000


def test_promote_from_waitlist_refused_for_coordinator(call, waitlist):
    approved, small, large = waitlist

    with pytest.raises(PermissionDenied):
        promote_from_waitlist(small, by=small.lead, amount=400_000)
    small.refresh_from_db()
    assert small.state == S.WAITLISTED


def test_reject_from_waitlist_rejects_with_the_reason_and_frees_nothing(call, staff, waitlist):
    approved, small, large = waitlist

    reject_from_waitlist(large, by=staff, reason="No money will be freed this year.")

    large.refresh_from_db()
    assert large.state == S.REJECTED
    assert Decision.objects.get(plan=large).outcome == Outcome.REJECTED
    transition = PlanTransition.objects.filter(plan=large).last()
    assert (transition.from_state, transition.to_state, transition.reason) == (
        S.WAITLISTED,
        S.REJECTED,
        "No money will be freed this year.",
    )
    assert call_money(call).left == 400_000


def test_reject_from_waitlist_refused_without_reason_or_to_coordinator(call, staff, waitlist):
    approved, small, large = waitlist
    with pytest.raises(TransitionRefused):
        reject_from_waitlist(large, by=staff, reason=" ")
    with pytest.raises(PermissionDenied):
        reject_from_waitlist(large, by=large.lead, reason="Not funded.")
    large.refresh_from_db()
    assert large.state == S.WAITLISTED
    assert Decision.objects.get(plan=large).outcome == Outcome.WAITLISTED


def test_the_ranking_counts_the_calls_money_as_the_database_does(call, staff):
    """The ranking reckons committed and pending money from the plans it has read
    (money_of), the decisions from the database (call_money): the same yen for every kind of
    plan. Committed: released approvals going ahead, at their amount or, without one, their
    request. Pending: approvals saved, not released, of plans still in review. Nothing for a
    rejection, a waitlisting, a plan without a decision, nor a plan withdrawn after approval."""
    with_amount = plan_requesting(call, 900_000)
    as_requested = plan_requesting(call, 400_000)
    rejected = plan_requesting(call, 300_000)
    waitlisted = plan_requesting(call, 200_000)
    withdrawn = plan_requesting(call, 800_000)
    pending_amount = plan_requesting(call, 600_000)
    pending_as_requested = plan_requesting(call, 150_000, state=S.UNDER_REVIEW, staff=staff)
    plan_requesting(call, 50_000)  # undecided
    decide(with_amount, Outcome.APPROVED, approved_amount=700_000, by=staff)
    decide(as_requested, Outcome.APPROVED, by=staff)
    decide(rejected, Outcome.REJECTED, by=staff)
    decide(waitlisted, Outcome.WAITLISTED, by=staff)
    decide(withdrawn, Outcome.APPROVED, approved_amount=800_000, by=staff)
    release_decisions(closed(call), by=staff)
    withdraw_plan(withdrawn, by=withdrawn.lead, reason="Visas were refused.")
    decide(pending_amount, Outcome.APPROVED, approved_amount=500_000, by=staff)
    decide(pending_as_requested, Outcome.APPROVED, by=staff)

    money = rank_call(call).money

    assert (money.committed, money.pending) == (700_000 + 400_000, 500_000 + 150_000)
    assert money == call_money(call)
