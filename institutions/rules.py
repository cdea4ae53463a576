"""Who may see and change an institution, its members and its partners."""

import rules

from accounts.rules import is_program_officer, membership_roles

from .models import Membership


@rules.predicate
def is_member(user, institution):
    return institution is not None and institution.pk in membership_roles(user)


@rules.predicate
def is_institution_administrator(user, institution):
    if institution is None:
        return False
    return membership_roles(user).get(institution.pk) == Membership.Role.ADMINISTRATOR


rules.add_perm("institutions.view_institution", is_member | is_program_officer)
rules.add_perm("institutions.manage_members", is_institution_administrator | is_program_officer)
rules.add_perm("institutions.manage_partners", is_member | is_program_officer)
