"""Assigning reviewers: by hand, or balanced automatically, never with a conflict.

Automatic assignment gives each plan `reviewers_per_plan` reviewers, keeps every reviewer's
load within `max_load` and the loads within one of each other where it can, prefers a
reviewer whose fields match the plan's, and only fills gaps when run again.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import InvitationPlan, PlanState
from notifications.services import queue_notification
from programs.models import Call

from ..models import ReviewAssignment, ReviewSetup
from .conflicts import ConflictIndex, conflict_reasons, profile_of


@dataclass
class Proposal:
    pairs: list  # [(plan, reviewer, field_match)]
    unfilled: list  # [(plan, missing count)]
    loads: dict  # {reviewer: load after applying}
    loads_before: dict  # {reviewer id: active assignments in the call now}

    @property
    def matched(self):
        return sum(1 for _plan, _reviewer, match in self.pairs if match)


def setup_of(call):
    setup, _created = ReviewSetup.objects.get_or_create(call=call)
    return setup


def reviewers():
    return User.objects.filter(is_reviewer=True, is_active=True).select_related("reviewer_profile")


def plans_to_assign(call):
    """The call's plans in review as the proposal and conflict detection use them, in number
    order: named rows (pk, number, reference, field_of_science, host_id, lead_id), not model
    objects (438 plans: 1 ms against 10 ms)."""
    return list(
        InvitationPlan.objects.filter(call=call, state__in=PlanState.in_review())
        .order_by("number")
        .values_list(
            "pk", "number", "reference", "field_of_science", "host_id", "lead_id", named=True
        )
    )


def propose_assignment(call, *, loaded=None, setup=None):
    """The assignments automatic assignment would add now (nothing is saved): pairs of a plan
    (a row of `plans_to_assign`) and a reviewer.

    `loaded`, when the caller has read them already: (`plans_to_assign(call)`, every active
    reviewer, their ConflictIndex); `setup`, the call's ReviewSetup, likewise."""
    setup = setup or setup_of(call)
    if loaded is None:
        plans = plans_to_assign(call)
        people = list(reviewers())
        index = ConflictIndex(plans, people)
    else:
        plans, people, index = loaded
    existing = {}
    loads = {reviewer.pk: 0 for reviewer in people}
    for plan_id, reviewer_id, state in ReviewAssignment.objects.filter(plan__call=call).values_list(
        "plan_id", "reviewer_id", "state"
    ):
        existing.setdefault(plan_id, {})[reviewer_id] = state
        if state in ReviewAssignment.ACTIVE_STATES and reviewer_id in loads:
            loads[reviewer_id] += 1
    loads_before = dict(loads)
    fields = {reviewer.pk: set(profile_of(reviewer).fields_of_science) for reviewer in people}
    # Reviewers by id from here on, in id order (the last tie-break): a model's .pk is a
    # property, and the loops below ask ~100,000 times for a call of 450 plans.
    ids = sorted(loads)
    # Each plan's reviewers already asked or in conflict: few, so the possible ones are
    # counted from them and listed only for the plans that need more.
    known = set(ids)
    excluded = {
        plan.pk: (existing.get(plan.pk, {}).keys() & known) | index.in_conflict(plan).keys()
        for plan in plans
    }

    def eligible(plan):
        return [pk for pk in ids if pk not in excluded[plan.pk]]

    # Hardest plans first: those with the fewest possible reviewers.
    plans = sorted(plans, key=lambda plan: (len(ids) - len(excluded[plan.pk]), plan.number))

    pairs, unfilled = [], []
    by_pk = {reviewer.pk: reviewer for reviewer in people}
    experts = {}  # field: {ids of the reviewers who know it}
    for plan in plans:
        active = sum(
            1
            for state in existing.get(plan.pk, {}).values()
            if state in ReviewAssignment.ACTIVE_STATES
        )
        need = setup.reviewers_per_plan - active
        if need <= 0:
            continue
        field = plan.field_of_science
        if field not in experts:
            experts[field] = {pk for pk in ids if field in fields[pk]}
        chosen = choose(eligible(plan), need, loads, experts[field], setup.max_load)
        for pk in chosen:
            pairs.append((plan, by_pk[pk], pk in experts[field]))
            loads[pk] += 1
        if len(chosen) < need:
            unfilled.append((plan, need - len(chosen)))
    return Proposal(
        pairs=pairs,
        unfilled=unfilled,
        loads={by_pk[pk]: load for pk, load in loads.items()},
        loads_before=loads_before,
    )


def choose(candidates, need, loads, experts, max_load):
    """The `need` reviewers to add from `candidates` (ids in id order): balance first (those
    with the least work of all reviewers), then expertise, then the lighter load, then the
    lower id. In plain passes over the list rather than a sort by a tuple per reviewer: the
    preview asks this for each of a call's plans."""
    lowest = min(loads.values(), default=0)
    open_ = [pk for pk in candidates if loads[pk] < max_load]
    least = [pk for pk in open_ if loads[pk] == lowest]
    chosen = [pk for pk in least if pk in experts] + [pk for pk in least if pk not in experts]
    if len(chosen) < need:
        busier = [pk for pk in open_ if loads[pk] != lowest]
        by_load = loads.__getitem__  # a stable sort: ids stay in order within a load
        chosen += sorted((pk for pk in busier if pk in experts), key=by_load)
        chosen += sorted((pk for pk in busier if pk not in experts), key=by_load)
    return chosen[:need]


def apply_assignment(call, *, by):
    """Compute the proposal again and save it (so it never applies a stale preview).

    Side effects: creates ReviewAssignment rows in bulk and queues one 'reviewer assigned'
    notification per reviewer, in one transaction. Returns the proposal applied.
    """
    if not by.has_perm("reviews.manage_reviews"):
        raise PermissionDenied
    with transaction.atomic():
        # Two staff applying at once: the second waits here, then proposes only what the
        # first left unfilled (nothing), so assignments and mail are made once.
        Call.objects.select_for_update().get(pk=call.pk)
        proposal = propose_assignment(call)
        ReviewAssignment.objects.bulk_create(
            [
                ReviewAssignment(plan_id=plan.pk, reviewer=reviewer, assigned_by=by)
                for plan, reviewer, _match in proposal.pairs
            ],
            ignore_conflicts=True,
        )
        counts = {}
        for _plan, reviewer, _match in proposal.pairs:
            counts[reviewer] = counts.get(reviewer, 0) + 1
        for reviewer, count in counts.items():
            queue_notification(
                reviewer, "reviewer_assigned", context={"call": call, "count": count}
            )
    return proposal


def assign_reviewer(plan, reviewer, *, by):
    """Manual assignment by staff; refused with the reasons when there is a conflict."""
    if not by.has_perm("reviews.manage_reviews"):
        raise PermissionDenied
    if not reviewer.is_reviewer:
        raise ValidationError(_("%(name)s is not a reviewer.") % {"name": reviewer})
    reasons = conflict_reasons(plan, reviewer)
    if reasons:
        raise ValidationError(
            _("%(name)s has a conflict: %(reasons)s.")
            % {"name": reviewer, "reasons": ", ".join(reasons)}
        )
    with transaction.atomic():
        assignment, created = ReviewAssignment.objects.get_or_create(
            plan=plan, reviewer=reviewer, defaults={"assigned_by": by}
        )
        if not created and not assignment.is_active:
            raise ValidationError(
                _("%(name)s already declined or declared a conflict for this plan.")
                % {"name": reviewer}
            )
        if created:
            queue_notification(
                reviewer, "reviewer_assigned", context={"call": plan.call, "count": 1}
            )
    return assignment
