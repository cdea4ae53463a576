"""What a user may see: lists are built on these so they cannot leak."""

from accounts.rules import is_program_officer

from .models import Institution


def institutions_visible_to(user):
    if is_program_officer(user):
        return Institution.objects.all()
    if not user.is_authenticated:
        return Institution.objects.none()
    return Institution.objects.filter(memberships__user=user)
