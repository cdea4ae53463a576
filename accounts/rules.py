"""Who holds which role. Predicates for django-rules; every app's rules.py builds on these."""

from functools import cache

import rules
from django.db import connection

from .models import User


def membership_roles(user):
    """{institution id: role} for the user's memberships, read once per request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_membership_roles", None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute(_membership_roles_sql(), [user.pk])
            cached = dict(cursor.fetchall())
        user._membership_roles = cached
    return cached


@cache
def _membership_roles_sql():
    """Every signed-in page asks for the roles: a plain SELECT of one table by an indexed
    column costs a fifth of the ORM's query (0.09 against 0.47 ms, most of it building and
    compiling the query). Unordered: the dict keeps no order. The table and its columns come
    from the reverse relation: accounts sit below institutions and import none of it."""
    membership = User._meta.get_field("memberships").related_model._meta
    name = connection.ops.quote_name
    institution, role, user = (
        name(membership.get_field(field).column) for field in ("institution", "role", "user")
    )
    return f"SELECT {institution}, {role} FROM {name(membership.db_table)} WHERE {user} = %s"


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
