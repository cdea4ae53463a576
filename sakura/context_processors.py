"""Template context every page needs: the roles the signed-in person holds."""

from django.utils.functional import SimpleLazyObject

from sakura.roles import roles_of


def roles(request):
    return {"user_roles": SimpleLazyObject(lambda: roles_of(request.user))}
