"""The roles a person holds, for the header and the way to their dashboard.

It lives on the roof because the roles come from several floors: accounts (reviewer,
program officer, admin), institutions (coordinator), participants (participant) and
nominations (nominator).
"""

from accounts.rules import is_coordinator, is_operator, is_program_officer, is_reviewer
from nominations.rules import is_nominator
from participants.rules import is_participant

# The roles of a person invited from abroad, asked for (a query each, in this order, the first
# held being the one shown) only when the person holds none of the program's own roles: such
# people hold none of those, and the pages of everyone else ask nothing more. A participant
# is invited to stay in Japan; a nominator is a contact at a body abroad, for the agency's
# direct invitations.
INVITED_ROLES = [("participant", is_participant), ("nominator", is_nominator)]


def roles_of(user):
    """The roles a person holds, in the order the header shows them: the program's own
    (coordinator, reviewer, program officer, admin), else those of a person invited from
    abroad (participant, nominator). The pages of each role check it themselves (a
    participant's portal asks `participants.use_portal`): this list only shows the way."""
    held = [
        ("coordinator", is_coordinator(user)),
        ("reviewer", is_reviewer(user)),
        ("program_officer", is_program_officer(user)),
        ("admin", is_operator(user)),
    ]
    roles = [role for role, has in held if has]
    if not roles:
        roles = next(([role] for role, has in INVITED_ROLES if has(user)), [])
    return roles
