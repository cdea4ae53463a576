"""Personal data is for the participant, their host's coordinators and agency staff only."""

import rules

from accounts.rules import is_program_officer, membership_roles


@rules.predicate
def is_host_of_plan(user, plan):
    return plan is not None and plan.host_id in membership_roles(user)


@rules.predicate
def is_host_of_participant(user, participant):
    return participant is not None and participant.plan.host_id in membership_roles(user)


@rules.predicate
def is_the_participant(user, participant):
    return participant is not None and user.is_authenticated and participant.user_id == user.pk


@rules.predicate
def is_participant(user):
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_participant", None)
    if cached is None:
        cached = user._is_participant = user.participations.exists()
    return cached


rules.add_perm("participants.manage_participants", is_host_of_plan | is_program_officer)
rules.add_perm(
    "participants.view_participant",
    is_the_participant | is_host_of_participant | is_program_officer,
)
rules.add_perm("participants.use_portal", is_participant)
