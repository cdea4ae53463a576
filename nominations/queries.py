"""Nominations a user may see: every list is built on this so it cannot leak."""

from django.db.models import Exists, OuterRef

from accounts.rules import is_program_officer

from .models import Nomination, Nominator


def nominations_visible_to(user):
    nominations = Nomination.objects.select_related("body", "plan", "participant")
    if is_program_officer(user):
        return nominations
    if not user.is_authenticated:
        return nominations.none()
    own = Nominator.objects.filter(user=user, plan=OuterRef("plan"), body=OuterRef("body"))
    return nominations.filter(Exists(own))


def nominator_roles_of(user):
    """The user's (plan, body) roles as nominator, with the plan and body loaded."""
    return Nominator.objects.filter(user=user).select_related("plan__call__program", "body")
