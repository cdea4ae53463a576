"""Who may review what, and who manages reviews."""

import rules

from accounts.rules import is_program_officer, is_reviewer


@rules.predicate
def is_assigned_reviewer(user, assignment):
    return assignment is not None and assignment.reviewer_id == user.pk


rules.add_perm("reviews.review", is_reviewer & is_assigned_reviewer)
rules.add_perm("reviews.manage_reviews", is_program_officer)
# Deciding, releasing and promoting from the waitlist, asked with the call.
rules.add_perm("reviews.decide", is_program_officer)
