"""Decisions: recorded in a batch, invisible to coordinators until released together.

Release moves every decided plan of the call to its outcome in one transaction, through
`applications.domain.states.set_plan_state()` (history rows, queued notifications).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.domain.money import call_money, requested_total
from applications.domain.states import screening_cleared, set_plan_state
from applications.models import PlanState
from common.dates import jst
from programs.models import Call

from ..models import Decision


def _may_decide(by, call):
    if not by.has_perm("reviews.decide", call):
        raise PermissionDenied


def decide(plan, outcome, *, by, approved_amount=None, conditions="", requested=None):
    """Record (or change) an unreleased decision. The plan's state does not change yet.

    `requested` (the plan's budget total) may be passed by a caller that has it already.
    """
    _may_decide(by, plan.call)
    if requested is None:
        requested = requested_total(plan)
    if plan.state not in PlanState.in_review():
        raise ValidationError(
            _("%(reference)s is %(state)s: it cannot be decided now.")
            % {"reference": plan.reference, "state": plan.get_state_display()}
        )
    if outcome != Decision.Outcome.APPROVED:
        approved_amount = None
    elif approved_amount is not None and approved_amount < 0:
        raise ValidationError(
            _("%(reference)s: the approved amount cannot be below zero.")
            % {"reference": plan.reference}
        )
    elif approved_amount is not None and approved_amount > requested:
        raise ValidationError(
            _("%(reference)s: the approved amount cannot exceed the requested ¥%(requested)s.")
            % {"reference": plan.reference, "requested": f"{requested:,}"}
        )
    decision, _created = Decision.objects.update_or_create(
        plan=plan,
        defaults={
            "outcome": outcome,
            "approved_amount_jpy": approved_amount,
            "conditions": conditions,
            "decided_by": by,
            "decided_at": timezone.now(),
        },
    )
    return decision


def decide_batch(entries, *, by):
    """Record a batch of decisions whole or not at all.

    `entries` are dicts: plan, outcome ("" to leave the plan undecided), amount (as typed:
    whole yen, commas allowed, "" for none), conditions and requested. Returns {plan pk:
    problem} for the entries refused; when there is any, nothing is saved.
    """
    problems = {}
    with transaction.atomic():
        for entry in entries:
            if entry["outcome"] not in Decision.Outcome.values:
                continue
            plan = entry["plan"]
            try:
                amount = entry["amount"].strip().replace(",", "")
                decide(
                    plan,
                    entry["outcome"],
                    by=by,
                    approved_amount=int(amount) if amount else None,
                    conditions=entry["conditions"],
                    requested=entry["requested"],
                )
            except ValueError:
                problems[plan.pk] = _("The amount must be whole yen.")
            except ValidationError as error:
                problems[plan.pk] = " ".join(error.messages)
        if problems:
            transaction.set_rollback(True)
    return problems


def release_decisions(call, *, by):
    """Make every unreleased decision of `call` visible: plans move to their outcome.

    Side effects, in one transaction: for each decided plan, under review (if it was only
    submitted) and then its outcome, each with a history row and queued notifications;
    `released_at` on the decisions; the call's status becomes DECIDED. Returns the count.
    Refused (ValidationError) while the call still accepts plans: releasing closes it.
    Refused too, before anything moves, while a plan to be approved has an unresolved
    export-control match: the message lists those plans, so staff resolve the matches (or
    change the decisions) and release the call's results together, as they are announced.
    """
    _may_decide(by, call)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.closes_at > timezone.now():
            raise ValidationError(
                _("The call accepts plans until %(deadline)s: release its decisions after that.")
                % {"deadline": jst(call.closes_at)}
            )
        # A plan withdrawn after it was decided keeps its decision unreleased.
        decisions = list(
            Decision.objects.select_related("plan")
            .filter(
                plan__call=call, released_at__isnull=True, plan__state__in=PlanState.in_review()
            )
            .order_by("plan__number")
        )
        held = [
            decision.plan.reference
            for decision in decisions
            if decision.outcome == Decision.Outcome.APPROVED
            and screening_cleared(decision.plan, PlanState.APPROVED)
        ]
        if held:
            raise ValidationError(
                _(
                    "Nothing was released: %(plans)s would be approved with an unresolved "
                    "export-control match. Resolve the matches on the screening page, or "
                    "change these decisions, then release again."
                )
                % {"plans": ", ".join(held)}
            )
        # Released first: a plan reaches its outcome only with a released decision.
        Decision.objects.filter(pk__in=[d.pk for d in decisions]).update(released_at=timezone.now())
        for decision in decisions:
            plan = decision.plan
            if plan.state == PlanState.SUBMITTED:  # the history shows the step; no mail for it
                set_plan_state(plan, PlanState.UNDER_REVIEW, by=by, notify=False)
            set_plan_state(
                plan,
                decision.outcome,
                by=by,
                reason=decision.conditions or _("Decision released with the call's results."),
            )
        Call.objects.filter(pk=call.pk).update(status=Call.Status.DECIDED)
    return len(decisions)


def promote_from_waitlist(plan, *, by, amount):
    """Approve a waitlisted plan when the money left (e.g. freed by a withdrawal) covers it.

    Side effects, in one transaction (the call's row locked, so two promotions cannot both
    spend the same yen): the decision becomes an approval of `amount`; the plan moves
    waitlisted → approved through set_plan_state (history row, notifications).
    """
    _may_decide(by, plan.call)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=plan.call_id)
        state = type(plan).objects.values_list("state", flat=True).get(pk=plan.pk)
        if state != PlanState.WAITLISTED:
            raise ValidationError(
                _("%(reference)s is not on the waitlist.") % {"reference": plan.reference}
            )
        requested = requested_total(plan)
        if amount < 0:
            raise ValidationError(_("The approved amount cannot be below zero."))
        if amount > requested:
            raise ValidationError(
                _("The approved amount cannot exceed the requested ¥%(requested)s.")
                % {"requested": f"{requested:,}"}
            )
        left = call_money(call).left
        if amount > left:
            raise ValidationError(
                _("Only ¥%(left)s of the budget is left.") % {"left": f"{left:,}"}
            )
        Decision.objects.filter(plan=plan).update(
            outcome=Decision.Outcome.APPROVED, approved_amount_jpy=amount, decided_by=by
        )
        set_plan_state(plan, PlanState.APPROVED, by=by, reason=_("Promoted from the waitlist."))
    return plan


def reject_from_waitlist(plan, *, by, reason):
    """Close a waitlisted plan when no money will come: waitlisted → rejected.

    Side effects, in one transaction: the decision becomes a rejection (no amount); the plan
    moves through set_plan_state (history row with the reason, notifications).
    """
    _may_decide(by, plan.call)
    with transaction.atomic():
        Decision.objects.filter(plan=plan, outcome=Decision.Outcome.WAITLISTED).update(
            outcome=Decision.Outcome.REJECTED, approved_amount_jpy=None, decided_by=by
        )
        set_plan_state(plan, PlanState.REJECTED, by=by, reason=reason)
    return plan


def waitlist_candidates(call, ranking_rows, money=None):
    """Waitlisted plans that fit into the money left, in ranking order, and that figure."""
    left = (money or call_money(call)).left
    return [
        row for row in ranking_rows if row.state == PlanState.WAITLISTED and row.amount <= left
    ], left
