"""Who may see and manage programs, courses and calls."""

import rules

from accounts.rules import is_coordinator, is_program_officer, is_reviewer


@rules.predicate
def is_published(user, call):
    return call is not None and call.status != call.Status.DRAFT


rules.add_perm("programs.manage_calls", is_program_officer)
rules.add_perm("programs.manage_rules", is_program_officer)
rules.add_perm(
    "programs.view_call", is_program_officer | ((is_coordinator | is_reviewer) & is_published)
)
