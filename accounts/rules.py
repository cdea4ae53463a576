"""Who holds which role. Predicates for django-rules; every app's rules.py builds on these."""

import rules


def membership_roles(user):
    """{institution id: role} for the user's memberships, read once per request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_membership_roles", None)
    if cached is None:
        # Through the reverse relation: accounts sit below institutions and import none of it.
        # Unordered: Membership's ordering joins the institution and the user (0.56 → 0.36 ms).
        cached = dict(user.memberships.order_by().values_list("institution_id", "role"))
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


rules.add_perm("accounts.use_coordinator_dashboard", is_coordinator)
rules.add_perm("accounts.use_reviewer_dashboard", is_reviewer)
rules.add_perm("accounts.use_staff_pages", is_program_officer)
# The admin site (sakura/urls.py): operators administer; program officers see there only the
# models they were granted.
rules.add_perm("accounts.use_admin_site", is_operator | is_program_officer)
