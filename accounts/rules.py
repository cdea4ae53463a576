"""Who holds which role. Predicates for django-rules; every app's rules.py builds on these."""

import rules


def membership_roles(user):
    """{institution id: role} for the user's memberships, read once per request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_membership_roles", None)
    if cached is None:
        from institutions.models import Membership

        cached = dict(Membership.objects.filter(user=user).values_list("institution_id", "role"))
        user._membership_roles = cached
    return cached


@rules.predicate
def is_program_officer(user):
    return user.is_authenticated and user.is_active and user.is_staff


@rules.predicate
def is_operator(user):
    return user.is_authenticated and user.is_active and user.is_superuser


@rules.predicate
def is_reviewer(user):
    return user.is_authenticated and user.is_active and user.is_reviewer


@rules.predicate
def is_coordinator(user):
    return user.is_authenticated and user.is_active and bool(membership_roles(user))


def roles_of(user):
    """The roles a person holds, in the order the header shows them."""
    from participants.rules import is_participant

    held = [
        ("participant", is_participant(user)),
        ("coordinator", is_coordinator(user)),
        ("reviewer", is_reviewer(user)),
        ("program_officer", is_program_officer(user)),
        ("admin", is_operator(user)),
    ]
    return [role for role, has in held if has]


rules.add_perm("accounts.use_coordinator_dashboard", is_coordinator)
rules.add_perm("accounts.use_reviewer_dashboard", is_reviewer)
rules.add_perm("accounts.use_staff_pages", is_program_officer)
