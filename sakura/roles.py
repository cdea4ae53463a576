"""The roles a person holds, for the header and the way to their dashboard.

It lives on the roof because the roles come from several floors: accounts (reviewer,
program officer, admin), institutions (coordinator) and participants (participant).
"""

from accounts.rules import is_coordinator, is_operator, is_program_officer, is_reviewer
from participants.rules import is_participant


def roles_of(user):
    """The roles a person holds, in the order the header shows them."""
    held = [
        ("participant", is_participant(user)),
        ("coordinator", is_coordinator(user)),
        ("reviewer", is_reviewer(user)),
        ("program_officer", is_program_officer(user)),
        ("admin", is_operator(user)),
    ]
    return [role for role, has in held if has]
