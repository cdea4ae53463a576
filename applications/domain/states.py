"""The life of a plan: which moves are allowed, who may make them, and what each one does.

One table of allowed moves and one function, `set_plan_state()`, that every named
transition goes through. Grep for a state to find everything that can happen to it.
"""

from collections.abc import Callable
from dataclasses import dataclass

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
from .checks import check_plan, read_plan_rows
from .declarations import declarations_record, missing_declaration_messages
from .snapshots import freeze_version

S = PlanState
HOST = "applications.act_for_host"  # the plan's lead or an administrator of its institution
STAFF = "applications.manage_plans"  # a program officer


# What must hold for a move, besides who makes it. Each is asked with the plan and the state
# it would move to, and answers with the problems that stop the move (an empty list: it may
# go ahead). Decisions and reports live in apps above this one: they are read through the
# plan's `decision` and `report` relations, not imported.


def plan_passes_its_rules(plan, to):
    """Submission: every rule of the call and course (`check_plan`), all at once."""
    return check_plan(plan)


def released_decision(plan, to):
    """approved / rejected / waitlisted: staff decided so, and the decision was released."""
    decision = getattr(plan, "decision", None)
    if decision is None or decision.outcome != to:
        return [_("There is no decision for this outcome: decide it on the call's ranking.")]
    if decision.released_at is None:
        return [_("The decision is not released yet: release the call's decisions.")]
    return []


def screening_cleared(plan, to):
    """approved: no partner institution of the plan, and no participant's home institution,
    has a match on the End User List that staff have not resolved (export control,
    安全保障輸出管理). The matches live in the screening app, above this one: they are read
    through the partners' `screening_matches` relation, not imported."""
    # One filter() call, so both conditions concern the same match (not "any partner
    # without a match"): a match exists and it has no resolution.
    unresolved = {
        "screening_matches__isnull": False,
        "screening_matches__resolved_at__isnull": True,
    }
    names = set(plan.partners.filter(**unresolved).values_list("name", flat=True))
    names.update(
        plan.participants.filter(
            **{f"home_institution__{key}": value for key, value in unresolved.items()}
        ).values_list("home_institution__name", flat=True)
    )
    if names:
        return [
            _(
                "%(names)s may be on the End User List: staff must resolve the export-control "
                "match before the plan is approved."
            )
            % {"names": ", ".join(sorted(names))}
        ]
    return []


def approval(plan, to):
    """approved: the released decision, and the export-control screening cleared."""
    return released_decision(plan, to) + screening_cleared(plan, to)


def direct_approval(plan, to):
    """approved straight from a draft: only an agency-hosted plan (the JST Direct Invitation
    Program is not open for applications and is not reviewed), complete by every rule of its
    course except the call's submission window, with its released approving decision (so the
    call's committed money counts it) and the export-control screening cleared."""
    if not plan.call.program.agency_hosted:
        return [_("Only a plan the agency hosts itself is approved without submission.")]
    problems = [
        message
        for section, field_name, message in check_plan(plan).as_list()
        if (section, field_name) != ("call", "call")  # its call never takes applications
    ]
    return problems + approval(plan, to)


def stay_begun(plan, to):
    """in progress: the arrival day has come (in Japan)."""
    if plan.arrival_on is None:
        return [_("The plan has no arrival date.")]
    if plan.arrival_on > timezone.localdate():
        return [
            _("The stay begins on %(date)s, the arrival day.")
            % {"date": plan.arrival_on.isoformat()}
        ]
    return []


def stay_ended(plan, to):
    """completed: the departure day is over (in Japan)."""
    if plan.departure_on is None:
        return [_("The plan has no departure date.")]
    if plan.departure_on >= timezone.localdate():
        return [
            _("The stay ends after %(date)s, the departure day.")
            % {"date": plan.departure_on.isoformat()}
        ]
    return []


def _report(plan):
    return getattr(plan, "report", None)


def report_submitted(plan, to):
    """reported: the host submitted the implementation report (`submit_report`)."""
    report = _report(plan)
    if report is None or report.submitted_at is None:
        return [_("The implementation report has not been submitted.")]
    return []


def report_accepted(plan, to):
    """closed: staff accepted the implementation report (`accept_report`)."""
    report = _report(plan)
    if report is None or report.accepted_at is None:
        return [_("The implementation report has not been accepted.")]
    return []


def report_returned(plan, to):
    """back to completed: staff returned the report with a comment (`return_report`)."""
    report = _report(plan)
    if report is None or report.submitted_at is not None or not report.returned_comment:
        return [_("The implementation report has not been returned.")]
    return []


@dataclass(frozen=True)
class Move:
    """Who may make a move (a django-rules permission, asked with the plan) and what must hold
    (a check answering with problems). `on_plan_page`: offered by the plan page's generic
    form; every other move has its own service (submission, release, reports)."""

    permission: str
    condition: Callable | None = None
    on_plan_page: bool = False
    reason_required: bool = False

    def problems(self, plan, new_state):
        return self.condition(plan, new_state) if self.condition else []


# (from, to) → the move. Anything not in the table is refused. As in DESIGN.md's diagram.
TRANSITIONS = {
    # The host: submits (submit_plan) and withdraws.
    (S.DRAFT, S.SUBMITTED): Move(HOST, plan_passes_its_rules),
    (S.REVISION_REQUESTED, S.SUBMITTED): Move(HOST, plan_passes_its_rules),
    (S.DRAFT, S.WITHDRAWN): Move(HOST, on_plan_page=True),
    (S.SUBMITTED, S.WITHDRAWN): Move(HOST, on_plan_page=True),
    (S.REVISION_REQUESTED, S.WITHDRAWN): Move(HOST, on_plan_page=True),
    (S.APPROVED, S.WITHDRAWN): Move(HOST, on_plan_page=True),
    # Staff: review, ask for a revision.
    (S.SUBMITTED, S.UNDER_REVIEW): Move(STAFF, on_plan_page=True),
    (S.SUBMITTED, S.REVISION_REQUESTED): Move(STAFF, on_plan_page=True, reason_required=True),
    (S.UNDER_REVIEW, S.REVISION_REQUESTED): Move(STAFF, on_plan_page=True, reason_required=True),
    # Decisions reach plans only through release (reviews.domain.decisions).
    (S.UNDER_REVIEW, S.APPROVED): Move(STAFF, approval),
    (S.UNDER_REVIEW, S.REJECTED): Move(STAFF, released_decision, reason_required=True),
    (S.UNDER_REVIEW, S.WAITLISTED): Move(STAFF, released_decision),
    (S.WAITLISTED, S.APPROVED): Move(STAFF, approval),
    (S.WAITLISTED, S.REJECTED): Move(STAFF, released_decision, reason_required=True),
    # The agency's own plans (direct invitations) skip submission and review: only through
    # nominations.domain.plans.approve_direct_plan, which records the released decision.
    (S.DRAFT, S.APPROVED): Move(STAFF, direct_approval),
    # The stay, marked by staff once its dates have come.
    (S.APPROVED, S.IN_PROGRESS): Move(STAFF, stay_begun, on_plan_page=True),
    (S.IN_PROGRESS, S.COMPLETED): Move(STAFF, stay_ended, on_plan_page=True),
    # The report: only through reports.domain.reporting.
    (S.COMPLETED, S.REPORTED): Move(HOST, report_submitted),
    (S.REPORTED, S.CLOSED): Move(STAFF, report_accepted),
    (S.REPORTED, S.COMPLETED): Move(STAFF, report_returned, reason_required=True),
}


class TransitionRefused(Exception):
    """A move from a wrong state, by a wrong person, or without what it needs."""

    def __init__(self, message, problems=None):
        super().__init__(message)
        self.message = message
        self.problems = problems


def _own_page_moves(plan, user):
    """[(state, problems)] of the plan page's moves `user` may make from the plan's state."""
    return [
        (S(to), move.problems(plan, to))
        for (frm, to), move in TRANSITIONS.items()
        if frm == plan.state and move.on_plan_page and user.has_perm(move.permission, plan)
    ]


def allowed_moves(plan, user):
    """The moves the plan page offers `user` now: its own moves whose conditions hold."""
    return [to for to, problems in _own_page_moves(plan, user) if not problems]


def moves_not_yet_possible(plan, user):
    """[(state, problems)] of the plan page's moves `user` may make whose condition does not
    hold yet (the page says why, e.g. the stay begins on the arrival day)."""
    return [(to, problems) for to, problems in _own_page_moves(plan, user) if problems]


def page_move(plan, new_state):
    """The move the plan page's generic form may make, or None."""
    move = TRANSITIONS.get((plan.state, new_state))
    return move if move is not None and move.on_plan_page else None


def set_plan_state(plan, new_state, *, by, reason="", notify=True, declarations=()):
    """Move `plan` to `new_state` on behalf of `by`.

    Side effects, in one transaction: locks the plan row; checks the move is in TRANSITIONS,
    that `by` holds its permission, that a reason is given where one is required and that
    its condition holds (on submission: every rule of the call; on a decision: the released
    decision; on a report move: the report's own step); saves the state; on submission
    stamps submitted_at and freezes a version; writes a PlanTransition; queues notifications
    to the host's coordinators of the plan (unless `notify` is false: a step on the way to
    another state that is announced itself). Raises PermissionDenied for the wrong person and
    TransitionRefused (with the problems) otherwise. On submission, `declarations` are the
    codes of the declarations the host ticked: a required one missing refuses the move, and
    the ticked ones are stored in the frozen version with who ticked them and when.
    """
    with transaction.atomic():
        # The plan row alone is locked (`of`): its call, course and host are read with it, for
        # the checks and the frozen version, but a call's other plans may move meanwhile.
        locked = (
            InvitationPlan.objects.select_for_update(of=("self",))
            .select_related("call__program", "course__program", "host", "lead")
            .get(pk=plan.pk)
        )
        if new_state == S.SUBMITTED:
            # Its rows, read once under the lock: the checks and the frozen version read them.
            read_plan_rows(locked)
        old_state = locked.state
        move = TRANSITIONS.get((old_state, new_state))
        if move is None:
            raise TransitionRefused(
                _("A plan that is “%(old)s” cannot become “%(new)s”.")
                % {"old": S(old_state).label, "new": S(new_state).label}
            )
        if not by.has_perm(move.permission, locked):
            raise PermissionDenied(_("You may not make this change to the plan."))
        if move.reason_required and not reason.strip():
            raise TransitionRefused(_("Please give a reason."))
        problems = move.problems(locked, new_state)
        if problems:
            if new_state == S.SUBMITTED:
                message = _("The plan cannot be submitted yet: please correct the problems shown.")
            else:
                message = " ".join(str(problem) for problem in problems)
            raise TransitionRefused(message, problems=problems)
        if new_state == S.SUBMITTED:
            missing = missing_declaration_messages(locked, declarations)
            if missing:
                raise TransitionRefused(" ".join(missing.values()), problems=missing)

        update_fields = ["state", "updated_at"]
        if new_state == S.SUBMITTED:
            locked.submitted_at = timezone.now()
            update_fields.append("submitted_at")
        locked.state = new_state
        locked.save(update_fields=update_fields)
        PlanTransition.objects.create(
            plan=locked, from_state=old_state, to_state=new_state, by=by, reason=reason
        )
        if new_state == S.SUBMITTED:
            version = freeze_version(locked, by=by)
            version.data["declarations"] = declarations_record(
                locked, declarations, by=by, at=locked.submitted_at
            )
            version.save(update_fields=["data"])
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


def submit_plan(plan, *, by, declarations=()):
    """Submit `plan`; `declarations`: the codes of the required declarations `by` ticked."""
    return set_plan_state(plan, S.SUBMITTED, by=by, declarations=declarations)


def withdraw_plan(plan, *, by, reason=""):
    return set_plan_state(plan, S.WITHDRAWN, by=by, reason=reason)


def start_review(plan, *, by):
    return set_plan_state(plan, S.UNDER_REVIEW, by=by)


def request_revision(plan, *, by, reason):
    return set_plan_state(plan, S.REVISION_REQUESTED, by=by, reason=reason)
