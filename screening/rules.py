"""Who may see and answer a plan's screening, and who keeps the End User List.

The list, the answers and the matches are for the host's coordinators and staff only: never
reviewers (a reviewer who is not a member of the host gets 404 on every screening page).
"""

import rules

from accounts.rules import is_program_officer
from applications.rules import (
    is_collaborator,
    is_editable,
    is_host_administrator,
    is_host_member,
    is_lead,
)

rules.add_perm("screening.view_screening", is_host_member | is_program_officer)
rules.add_perm(
    "screening.answer_screening",
    is_editable & is_host_member & (is_lead | is_host_administrator | is_collaborator),
)
rules.add_perm("screening.manage_screening", is_program_officer)
