"""Who may see, edit, submit and withdraw an invitation plan."""

import rules

from accounts.rules import is_coordinator, is_program_officer, membership_roles
from institutions.models import Membership


@rules.predicate
def is_host_member(user, plan):
    return plan is not None and plan.host_id in membership_roles(user)


@rules.predicate
def is_host_administrator(user, plan):
    if plan is None:
        return False
    return membership_roles(user).get(plan.host_id) == Membership.Role.ADMINISTRATOR


@rules.predicate
def is_lead(user, plan):
    return plan is not None and plan.lead_id == user.pk


@rules.predicate
def is_collaborator(user, plan):
    if plan is None or not user.is_authenticated:
        return False
    return plan.collaborators.filter(pk=user.pk).exists()


@rules.predicate
def is_editable(user, plan):
    return plan is not None and plan.is_editable


@rules.predicate
def is_agency_plan(user, plan):
    """A plan the agency hosts itself (direct invitations): agency staff coordinate it."""
    return plan is not None and plan.call.program.agency_hosted


agency_staff = is_program_officer & is_agency_plan  # the cheap question first

# The lead or an institution administrator speaks for the institution: submit, withdraw.
may_act_for_host = (is_host_member & (is_lead | is_host_administrator)) | agency_staff

rules.add_perm("applications.create_plan", is_coordinator)
rules.add_perm("applications.view_plan", is_host_member | is_program_officer)
rules.add_perm(
    "applications.edit_plan",
    is_editable
    & ((is_host_member & (is_lead | is_host_administrator | is_collaborator)) | agency_staff),
)
rules.add_perm("applications.act_for_host", may_act_for_host)
rules.add_perm("applications.manage_plans", is_program_officer)
