"""The roles a person holds, for the header and the way to their dashboard.

It lives on the roof because the roles come from several floors: accounts (reviewer,
program officer, admin), institutions (coordinator), participants (participant) and
nominations (nominator).
"""

from accounts.rules import is_coordinator, is_operator, is_program_officer, is_reviewer
from nominations.rules import is_nominator
from participants.rules import is_participant


def roles_of(user):
    """The roles a person holds, in the order the header shows them.

    A nominator (a contact at a body abroad, invited for the agency's direct invitations) is
    asked for only when the person holds no other role: such contacts have none, and every
    other person's pages keep their count of queries."""
    held = [
        ("participant", is_participant(user)),
        ("coordinator", is_coordinator(user)),
        ("reviewer", is_reviewer(user)),
        ("program_officer", is_program_officer(user)),
        ("admin", is_operator(user)),
    ]
    roles = [role for role, has in held if has]
    if not roles and is_nominator(user):
        roles.append("nominator")
    return roles
