"""Automatic assignment of reviewers to the submitted plans of a call.

Every reviewable plan (submitted or under review) gets `reviewers_per_plan` distinct
reviewers; no reviewer gets more than `max_load` plans, and the loads stay within one of each
other. Among the reviewers with the least work, one whose fields include the plan's is
preferred. Conflicts are never paired. Running it again only fills the gaps left by reviewers
who declined or declared a conflict; what it cannot fill is reported, not forced.
"""

import time
from collections import Counter, defaultdict

import pytest
from django.core.exceptions import PermissionDenied

from applications.models import PlanState
from institutions.models import Membership
from notifications.models import Notification
from reviews.domain.assignment import apply_assignment, choose, propose_assignment, setup_of
from reviews.domain.conflicts import conflict_reasons
from reviews.domain.reviewing import declare, decline
from reviews.domain.workload import reviewer_loads
from reviews.models import ReviewAssignment
from tests.factories import CallFactory, MembershipFactory, UserFactory

from .factories import ReviewerFactory, bulk_reviewers, submitted_plans

pytestmark = pytest.mark.django_db
A = ReviewAssignment.State


def configure(call, *, per_plan, max_load):
    setup = setup_of(call)
    setup.reviewers_per_plan = per_plan
    setup.max_load = max_load
    setup.save()
    return setup


def active_by_plan(call):
    """{plan id: [reviewer ids]} of the assignments that count (not declined, no conflict)."""
    rows = defaultdict(list)
    for plan_id, reviewer_id in ReviewAssignment.objects.filter(
        plan__call=call, state__in=ReviewAssignment.ACTIVE_STATES
    ).values_list("plan_id", "reviewer_id"):
        rows[plan_id].append(reviewer_id)
    return rows


def loads_of(call, reviewers):
    counted = Counter(
        ReviewAssignment.objects.filter(
            plan__call=call, state__in=ReviewAssignment.ACTIVE_STATES
        ).values_list("reviewer_id", flat=True)
    )
    return {reviewer.pk: counted[reviewer.pk] for reviewer in reviewers}


def test_apply_assignment_three_distinct_reviewers_per_plan_balanced(call, staff):
    """30 plans, 9 reviewers, 3 per plan, at most 10 each: exactly enough, despite conflicts."""
    configure(call, per_plan=3, max_load=10)
    plans = submitted_plans(call, 30)
    reviewers = [ReviewerFactory() for _ in range(9)]
    # Three reviewers belong to the host institutions of six plans between them.
    conflicted = list(zip(reviewers[:3] * 2, plans[:6], strict=True))
    for reviewer, plan in conflicted:
        MembershipFactory(user=reviewer, institution=plan.host)

    proposal = apply_assignment(call, by=staff)

    assert proposal.unfilled == []
    assigned = active_by_plan(call)
    assert set(assigned) == {plan.pk for plan in plans}
    for plan in plans:
        assert len(assigned[plan.pk]) == 3
        assert len(set(assigned[plan.pk])) == 3
        for reviewer in reviewers:
            if reviewer.pk in assigned[plan.pk]:
                assert conflict_reasons(plan, reviewer) == []
    for reviewer, plan in conflicted:
        assert reviewer.pk not in assigned[plan.pk]
    loads = loads_of(call, reviewers)
    assert sum(loads.values()) == 90
    assert max(loads.values()) <= 10
    assert max(loads.values()) - min(loads.values()) <= 1
    assert {r.pk: load for r, load in proposal.loads.items()} == loads


def test_apply_assignment_loads_within_one_when_not_divisible(call, staff):
    """31 plans × 3 = 93 reviews for 9 reviewers: loads of 10 and 11, never 9 and 12."""
    configure(call, per_plan=3, max_load=30)
    submitted_plans(call, 31)
    reviewers = [ReviewerFactory() for _ in range(9)]

    apply_assignment(call, by=staff)

    loads = loads_of(call, reviewers)
    assert sum(loads.values()) == 93
    assert sorted(set(loads.values())) == [10, 11]


def test_apply_assignment_notifies_each_reviewer_once(call, staff):
    configure(call, per_plan=2, max_load=30)
    submitted_plans(call, 6)
    reviewers = [ReviewerFactory() for _ in range(3)]

    apply_assignment(call, by=staff)

    notified = Counter(
        Notification.objects.filter(kind="reviewer_assigned").values_list("recipient_id", flat=True)
    )
    assert notified == {reviewer.pk: 1 for reviewer in reviewers}


def test_apply_assignment_refused_for_non_staff(call):
    submitted_plans(call, 2)
    ReviewerFactory()
    coordinator = UserFactory()

    with pytest.raises(PermissionDenied):
        apply_assignment(call, by=coordinator)
    assert not ReviewAssignment.objects.exists()


def test_propose_assignment_saves_nothing(call):
    submitted_plans(call, 3)
    ReviewerFactory()

    proposal = propose_assignment(call)

    assert len(proposal.pairs) == 3
    assert not ReviewAssignment.objects.exists()


def test_propose_assignment_field_match_preferred_at_equal_load(call):
    configure(call, per_plan=1, max_load=30)
    chemist = ReviewerFactory(profile__fields_of_science=["chemistry"])  # the lower pk
    materials = ReviewerFactory(profile__fields_of_science=["physics", "materials"])
    (plan,) = submitted_plans(call, 1, fields=["materials"])

    proposal = propose_assignment(call)

    assert [(p.pk, r, match) for p, r, match in proposal.pairs] == [(plan.pk, materials, True)]
    assert proposal.matched == 1
    assert chemist not in [r for _p, r, _m in proposal.pairs]


def test_propose_assignment_balance_before_expertise(call, staff):
    """A reviewer with less work is chosen over a busier one who knows the field."""
    configure(call, per_plan=1, max_load=30)
    chemist = ReviewerFactory(profile__fields_of_science=["chemistry"])
    materials = ReviewerFactory(profile__fields_of_science=["materials"])
    first, second = submitted_plans(call, 2, fields=["materials"])
    ReviewAssignment.objects.create(plan=first, reviewer=materials, assigned_by=staff)

    proposal = propose_assignment(call)

    assert [(p.pk, r, match) for p, r, match in proposal.pairs] == [(second.pk, chemist, False)]


def test_propose_assignment_every_pair_field_matched_with_enough_matching_reviewers(call):
    """Plans alternate between two fields and each field has six reviewers: all 90 match."""
    configure(call, per_plan=3, max_load=30)
    plans = submitted_plans(call, 30, fields=["materials", "chemistry"])
    for field in ["materials", "chemistry"]:
        for _ in range(6):
            ReviewerFactory(profile__fields_of_science=[field])

    proposal = propose_assignment(call)

    assert len(proposal.pairs) == 90
    assert proposal.matched == 90
    for plan, reviewer, match in proposal.pairs:
        assert match is True
        assert plan.field_of_science in reviewer.reviewer_profile.fields_of_science
    assert {plan.pk for plan, _r, _m in proposal.pairs} == {plan.pk for plan in plans}
    loads = list(proposal.loads.values())
    assert max(loads) - min(loads) <= 1


def test_propose_assignment_max_load_too_small_reports_unfilled(call):
    """10 plans need 20 reviews; 3 reviewers × 4 plans = 12: 8 reviews cannot be placed."""
    configure(call, per_plan=2, max_load=4)
    plans = submitted_plans(call, 10)
    reviewers = [ReviewerFactory() for _ in range(3)]

    proposal = propose_assignment(call)

    assert len(proposal.pairs) == 12
    assert {r.pk: load for r, load in proposal.loads.items()} == {r.pk: 4 for r in reviewers}
    assert sum(missing for _plan, missing in proposal.unfilled) == 8
    per_plan = Counter(plan.pk for plan, _r, _m in proposal.pairs)
    missing = {plan.pk: count for plan, count in proposal.unfilled}
    for plan in plans:
        assert per_plan[plan.pk] + missing.get(plan.pk, 0) == 2
    for _plan, count in proposal.unfilled:
        assert count > 0


def test_apply_assignment_twice_adds_nothing_the_second_time(call, staff):
    configure(call, per_plan=3, max_load=30)
    submitted_plans(call, 10)
    for _ in range(5):
        ReviewerFactory()
    apply_assignment(call, by=staff)
    before = set(ReviewAssignment.objects.values_list("pk", "plan_id", "reviewer_id", "state"))
    notifications = Notification.objects.count()

    again = apply_assignment(call, by=staff)

    assert again.pairs == []
    assert again.unfilled == []
    assert set(ReviewAssignment.objects.values_list("pk", "plan_id", "reviewer_id", "state")) == (
        before
    )
    assert Notification.objects.count() == notifications


@pytest.mark.parametrize("leave", ["decline", "conflict"])
def test_apply_assignment_after_reviewer_leaves_fills_only_that_gap(call, staff, leave):
    configure(call, per_plan=2, max_load=30)
    plans = submitted_plans(call, 4)
    for _ in range(4):
        ReviewerFactory()
    apply_assignment(call, by=staff)
    gone = ReviewAssignment.objects.filter(plan=plans[1]).select_related("reviewer").first()
    colleague = ReviewAssignment.objects.filter(plan=plans[1]).exclude(pk=gone.pk).get()
    if leave == "decline":
        decline(gone, reason="I am travelling for the whole review period.", by=gone.reviewer)
    else:
        declare(
            gone, has_conflict=True, reason="I co-wrote a paper with the lead.", by=gone.reviewer
        )
    before = ReviewAssignment.objects.count()

    proposal = apply_assignment(call, by=staff)

    assert len(proposal.pairs) == 1
    plan, reviewer, _match = proposal.pairs[0]
    assert plan.pk == plans[1].pk
    assert reviewer.pk not in (gone.reviewer_id, colleague.reviewer_id)
    assert ReviewAssignment.objects.count() == before + 1
    assert sorted(active_by_plan(call)[plans[1].pk]) == sorted([colleague.reviewer_id, reviewer.pk])
    gone.refresh_from_db()
    assert gone.state == (A.DECLINED if leave == "decline" else A.CONFLICT)


def test_propose_assignment_only_submitted_and_under_review_plans(call):
    submitted = submitted_plans(call, 2)
    under_review = submitted_plans(call, 1, state=PlanState.UNDER_REVIEW)
    submitted_plans(call, 2, state=PlanState.DRAFT)
    submitted_plans(call, 2, state=PlanState.WITHDRAWN)
    submitted_plans(call, 1, state=PlanState.REVISION_REQUESTED)
    ReviewerFactory()

    proposal = propose_assignment(call)

    assert {plan.pk for plan, _r, _m in proposal.pairs} == {
        plan.pk for plan in [*submitted, *under_review]
    }


def test_propose_assignment_only_active_reviewers(call):
    submitted_plans(call, 2)
    reviewer = ReviewerFactory()
    ReviewerFactory(is_active=False)
    UserFactory(is_staff=True)
    UserFactory()

    proposal = propose_assignment(call)

    assert {r.pk for _p, r, _m in proposal.pairs} == {reviewer.pk}


def test_propose_assignment_ignores_plans_of_other_calls(call, staff):
    from tests.factories import CallFactory

    other = CallFactory()
    submitted_plans(other, 3)
    mine = submitted_plans(call, 1)
    ReviewerFactory()

    proposal = propose_assignment(call)

    assert [plan.pk for plan, _r, _m in proposal.pairs] == [mine[0].pk]


def test_propose_assignment_1500_plans_100_reviewers_under_10_seconds(call):
    """A large call: 1,500 plans × 3 reviewers over 100 reviewers, each member of a host."""
    configure(call, per_plan=3, max_load=50)
    fields = ["materials", "chemistry", "physics", "biology", "engineering", "energy"]
    plans = submitted_plans(call, 1500, fields=fields)
    reviewers = bulk_reviewers(
        100, fields=[[a, b] for a, b in zip(fields, fields[1:] + fields[:1], strict=True)]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=reviewer, institution_id=plan.host_id)
            for reviewer, plan in zip(reviewers, plans[::15], strict=True)
        ]
    )

    started = time.perf_counter()
    proposal = propose_assignment(call)
    elapsed = time.perf_counter() - started

    print(f"\npropose_assignment: 1,500 plans × 100 reviewers in {elapsed:.2f} s")
    assert elapsed < 10
    assert len(proposal.pairs) == 4500
    assert proposal.unfilled == []
    assert len({(plan.pk, reviewer.pk) for plan, reviewer, _m in proposal.pairs}) == 4500
    loads = list(proposal.loads.values())
    assert max(loads) - min(loads) <= 1
    conflicted = {
        (plan.pk, reviewer.pk) for reviewer, plan in zip(reviewers, plans[::15], strict=True)
    }
    assert conflicted.isdisjoint((p.pk, r.pk) for p, r, _m in proposal.pairs)


def test_reviewer_loads_count_only_active_assignments_of_this_call(call, staff):
    """The load is what automatic assignment keeps within max_load: this call's assigned,
    accepted and submitted reviews; most loaded first, then by name."""
    other_call = CallFactory()
    plans = submitted_plans(call, 3)
    elsewhere = submitted_plans(other_call, 2)
    ann, ben, cho = (ReviewerFactory(full_name=name) for name in ("Ann", "Ben", "Cho"))
    State = ReviewAssignment.State
    for plan, reviewer, state in [
        (plans[0], ben, State.ASSIGNED),
        (plans[1], ben, State.SUBMITTED),
        (plans[2], ben, State.DECLINED),
        (plans[0], cho, State.ACCEPTED),
        (plans[1], cho, State.CONFLICT),
        (elsewhere[0], ann, State.ASSIGNED),
        (elsewhere[1], ann, State.ASSIGNED),
    ]:
        ReviewAssignment.objects.create(
            plan=plan, reviewer=reviewer, state=state, assigned_by=staff
        )

    loads = [(reviewer.full_name, reviewer.load) for reviewer in reviewer_loads(call)]

    assert loads == [("Ben", 2), ("Cho", 1), ("Ann", 0)]


def test_choose_balances_first_then_expertise_then_load_then_id():
    """Reviewers 2 and 3 carry the least work of all (1 plan): they come first, though
    neither knows the field; then the busier experts by load (1 and 5 with 2 plans before 4
    with 3); reviewer 6 is at the maximum and never chosen."""
    loads = {1: 2, 2: 1, 3: 1, 4: 3, 5: 2, 6: 9}

    chosen = choose([1, 2, 3, 4, 5, 6], 6, loads, experts={1, 4, 5}, max_load=9)

    assert chosen == [2, 3, 1, 5, 4]


def test_choose_prefers_an_expert_at_the_least_work_and_counts_the_least_over_everyone():
    """At the least work an expert comes before a lower id; "the least work" is that of all
    reviewers (reviewer 1, not a candidate here), so among busier candidates expertise comes
    before a lighter load."""
    assert choose([2, 3, 7], 2, {2: 0, 3: 0, 7: 0}, experts={7}, max_load=5) == [7, 2]
    assert choose([2, 3], 2, {1: 1, 2: 2, 3: 3}, experts={3}, max_load=5) == [3, 2]
