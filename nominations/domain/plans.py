"""The agency's own plans (JST Direct Invitation Program): created by staff, approved without
submission or review, then registered, lettered and reported like any plan."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.domain.editing import create_plan
from applications.domain.money import call_money, requested_total
from applications.domain.states import set_plan_state
from applications.models import InvitationPlan, PlanState
from institutions.models import Institution
from programs.models import Call
from reviews.models import Decision

from ..models import NominationRound


def agency_institution():
    """The agency as host institution of its own plans (the first of its kind), or None."""
    return Institution.objects.filter(kind=Institution.Kind.AGENCY).order_by("pk").first()


def direct_calls():
    """Calls of the programs the agency hosts itself, newest first."""
    return (
        Call.objects.filter(program__agency_hosted=True)
        .select_related("program")
        .prefetch_related("courses")
        .order_by("-fiscal_year", "-round")
    )


def direct_plans():
    return (
        InvitationPlan.objects.filter(call__program__agency_hosted=True)
        .select_related("call__program", "course", "host")
        .order_by("-created_at", "-pk")
    )


def create_direct_plan(*, call, course, by, **basics):
    """A new agency-hosted draft in `call` with its basics (titles, dates, field).

    Side effects, in one transaction: the plan (numbered in the call, `create_plan`) with the
    agency as host and `by` as lead; its nomination round, open.
    """
    if not by.has_perm("applications.manage_plans"):
        raise PermissionDenied
    host = agency_institution()
    if host is None:
        raise ValidationError(_("No institution is recorded as the agency itself."))
    if not call.program.agency_hosted:
        raise ValidationError(_("Only a call of a program the agency hosts itself."))
    with transaction.atomic():
        plan = create_plan(call=call, course=course, host=host, by=by)
        for name, value in basics.items():
            setattr(plan, name, value)
        plan.save()
        NominationRound.objects.create(plan=plan)
    return plan


def approve_direct_plan(plan, *, by):
    """Approve an agency-hosted draft without submission or review.

    Side effects, in one transaction (the call's row locked, as for every approval that spends
    its money): a released Decision approving the requested total (so the call's committed
    money counts it); the plan moves draft → approved through set_plan_state, which checks
    the move's condition (agency-hosted, every rule of the course, screening cleared), writes
    the history row and queues the notices. Refused beyond the call's money left.
    """
    if not by.has_perm("reviews.decide", plan.call):
        raise PermissionDenied
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=plan.call_id)
        plan = InvitationPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.state != PlanState.DRAFT:
            raise ValidationError(_("Only a draft can be approved this way."))
        requested = requested_total(plan)
        left = call_money(call).left
        if requested > left:
            raise ValidationError(
                _("The plan asks for ¥%(requested)s; only ¥%(left)s of the budget is left.")
                % {"requested": f"{requested:,}", "left": f"{left:,}"}
            )
        now = timezone.now()
        Decision.objects.update_or_create(
            plan=plan,
            defaults={
                "outcome": Decision.Outcome.APPROVED,
                "approved_amount_jpy": requested,
                "conditions": "",
                "decided_by": by,
                "decided_at": now,
                "released_at": now,
            },
        )
        set_plan_state(
            plan, PlanState.APPROVED, by=by, reason=_("Direct invitation approved by the agency.")
        )
    plan.refresh_from_db()
    return plan
