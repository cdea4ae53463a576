"""The life of a plan: which moves are allowed, who may make them, and what each one does.

One table of allowed moves and one function, `set_plan_state()`, that every named
transition goes through. Grep for a state to find everything that can happen to it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from institutions.models import Membership
from notifications.models import Notification
from notifications.services import queue_notification

from ..models import InvitationPlan, PlanState, PlanTransition
from .checks import check_plan
from .snapshots import freeze_version

S = PlanState
HOST = "host"  # the plan's lead coordinator or an administrator of its institution
STAFF = "staff"  # a program officer

# (from, to) → who may make the move. Anything not in the table is refused.
TRANSITIONS = {
    (S.DRAFT, S.SUBMITTED): HOST,
    (S.REVISION_REQUESTED, S.SUBMITTED): HOST,
    (S.DRAFT, S.WITHDRAWN): HOST,
    (S.SUBMITTED, S.WITHDRAWN): HOST,
    (S.REVISION_REQUESTED, S.WITHDRAWN): HOST,
    (S.APPROVED, S.WITHDRAWN): HOST,
    (S.SUBMITTED, S.UNDER_REVIEW): STAFF,
    (S.SUBMITTED, S.REVISION_REQUESTED): STAFF,
    (S.UNDER_REVIEW, S.REVISION_REQUESTED): STAFF,
    (S.UNDER_REVIEW, S.APPROVED): STAFF,
    (S.UNDER_REVIEW, S.REJECTED): STAFF,
    (S.UNDER_REVIEW, S.WAITLISTED): STAFF,
    (S.WAITLISTED, S.APPROVED): STAFF,
    (S.WAITLISTED, S.REJECTED): STAFF,
    (S.APPROVED, S.IN_PROGRESS): STAFF,
    (S.IN_PROGRESS, S.COMPLETED): STAFF,
    (S.COMPLETED, S.REPORTED): HOST,
    (S.REPORTED, S.CLOSED): STAFF,
    (S.REPORTED, S.COMPLETED): STAFF,
}

# Moves that must say why.
REASON_REQUIRED = {S.REVISION_REQUESTED, S.REJECTED}


class TransitionRefused(Exception):
    """A move from a wrong state, by a wrong person, or without what it needs."""

    def __init__(self, message, problems=None):
        super().__init__(message)
        self.message = message
        self.problems = problems


def allowed_moves(plan, user):
    """The states `user` may move `plan` to now (for buttons; the rules decide again)."""
    return [
        to for (frm, to), who in TRANSITIONS.items() if frm == plan.state and _may(user, plan, who)
    ]


def _may(user, plan, who):
    if who == STAFF:
        return user.is_staff
    return user.has_perm("applications.act_for_host", plan)


def set_plan_state(plan, new_state, *, by, reason="", notify=True):
    """Move `plan` to `new_state` on behalf of `by`.

    Side effects, in one transaction: locks the plan row; checks the move is in TRANSITIONS
    and that `by` may make it; on submission checks every rule of the call and freezes a
    version; saves the state; writes a PlanTransition; queues notifications to the host's
    coordinators of the plan (unless `notify` is false: a step on the way to another state
    that is announced itself). Raises TransitionRefused (with the problems) otherwise.
    """
    with transaction.atomic():
        locked = InvitationPlan.objects.select_for_update().get(pk=plan.pk)
        old_state = locked.state
        who = TRANSITIONS.get((old_state, new_state))
        if who is None:
            raise TransitionRefused(
                _("A plan that is “%(old)s” cannot become “%(new)s”.")
                % {"old": S(old_state).label, "new": S(new_state).label}
            )
        if not _may(by, locked, who):
            raise PermissionDenied(_("You may not make this change to the plan."))
        if new_state in REASON_REQUIRED and not reason.strip():
            raise TransitionRefused(_("Please give a reason."))

        update_fields = ["state", "updated_at"]
        if new_state == S.SUBMITTED:
            problems = check_plan(locked)
            if problems:
                raise TransitionRefused(
                    _("The plan cannot be submitted yet: please correct the problems shown."),
                    problems=problems,
                )
            locked.submitted_at = timezone.now()
            update_fields.append("submitted_at")
        locked.state = new_state
        locked.save(update_fields=update_fields)
        PlanTransition.objects.create(
            plan=locked, from_state=old_state, to_state=new_state, by=by, reason=reason
        )
        if new_state == S.SUBMITTED:
            freeze_version(locked, by=by)
        if notify:
            _queue_notifications(locked, old_state, new_state, by=by, reason=reason)
    plan.refresh_from_db()
    return plan


def _queue_notifications(plan, old_state, new_state, *, by, reason):
    kind = {
        S.SUBMITTED: Notification.Kind.PLAN_SUBMITTED,
        S.WITHDRAWN: Notification.Kind.PLAN_WITHDRAWN,
        S.REVISION_REQUESTED: Notification.Kind.REVISION_REQUESTED,
        S.APPROVED: Notification.Kind.DECISION_RELEASED,
        S.REJECTED: Notification.Kind.DECISION_RELEASED,
        S.WAITLISTED: Notification.Kind.DECISION_RELEASED,
    }.get(new_state, Notification.Kind.PLAN_STATE_CHANGED)
    for recipient in plan_coordinators(plan):
        queue_notification(
            recipient,
            kind,
            plan=plan,
            context={"by": by, "reason": reason, "state_label": S(new_state).label},
        )


def plan_coordinators(plan):
    """The lead, the collaborators and the institution's administrators, once each."""
    return User.objects.filter(
        Q(pk=plan.lead_id)
        | Q(collaborating_plans=plan)
        | Q(
            memberships__institution_id=plan.host_id,
            memberships__role=Membership.Role.ADMINISTRATOR,
        )
    ).distinct()


def submit_plan(plan, *, by):
    return set_plan_state(plan, S.SUBMITTED, by=by)


def withdraw_plan(plan, *, by, reason=""):
    return set_plan_state(plan, S.WITHDRAWN, by=by, reason=reason)


def start_review(plan, *, by):
    return set_plan_state(plan, S.UNDER_REVIEW, by=by)


def request_revision(plan, *, by, reason):
    return set_plan_state(plan, S.REVISION_REQUESTED, by=by, reason=reason)
