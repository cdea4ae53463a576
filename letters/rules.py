"""Who may download a letter and who may issue letters in bulk.

A participant's letter follows the participant's record (the person, the host's coordinators,
staff); the host's decision letter follows the plan (its coordinators, staff).
"""

import rules

from accounts.rules import is_program_officer


@rules.predicate
def may_see_letter(user, letter):
    if letter is None:
        return False
    if letter.participant_id is not None:
        return user.has_perm("participants.view_participant", letter.participant)
    return user.has_perm("applications.view_plan", letter.plan)


rules.add_perm("letters.download_letter", may_see_letter)
rules.add_perm("letters.issue_letters", is_program_officer)
