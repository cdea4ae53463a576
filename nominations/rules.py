"""Who may see and change nominations: staff, and each body's contacts for their own plan.

A contact (nominator) sees only the nominations of their body for the plans they were invited
to; anything else answers 404 (common.views.PermissionRequiredMixin).
"""

import rules

from accounts.rules import is_program_officer


def nominator_keys(user):
    """{(plan id, body id)} the user nominates for, read once per request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_nominator_keys", None)
    if cached is None:
        cached = set(user.nominator_roles.values_list("plan_id", "body_id"))
        user._nominator_keys = cached
    return cached


@rules.predicate
def is_nominator(user):
    return bool(nominator_keys(user))


@rules.predicate
def nominates_for_plan(user, plan):
    return plan is not None and any(plan_id == plan.pk for plan_id, _ in nominator_keys(user))


@rules.predicate
def nominated_by_own_body(user, nomination):
    return nomination is not None and (nomination.plan_id, nomination.body_id) in nominator_keys(
        user
    )


@rules.predicate
def round_is_open(user, obj):
    """Nominations of the plan (or of the nomination's plan) are still taken."""
    plan = getattr(obj, "plan", obj)
    nomination_round = getattr(plan, "nomination_round", None)
    return nomination_round is None or nomination_round.is_open


@rules.predicate
def nomination_is_editable(user, nomination):
    return nomination is not None and nomination.is_editable


rules.add_perm("nominations.manage_direct_invitations", is_program_officer)
rules.add_perm("nominations.use_nominator_pages", is_nominator)
rules.add_perm("nominations.nominate", nominates_for_plan & round_is_open)
rules.add_perm(
    "nominations.edit_nomination",
    nominated_by_own_body & nomination_is_editable & round_is_open,
)
