"""Calls a user may see, and the open ones a coordinator can apply to."""

from django.utils import timezone

from accounts.rules import is_program_officer

from .models import Call


def calls_visible_to(user):
    calls = Call.objects.select_related("program")
    if is_program_officer(user):
        return calls
    if not user.is_authenticated:
        return calls.none()
    # The agency's own programs (direct invitations) take no applications: staff only.
    return calls.published().exclude(program__agency_hosted=True)


def open_calls(moment=None):
    """Calls taking plans now, soonest deadline first, with their courses loaded. Never a
    call of a program the agency hosts itself: direct invitations take no applications."""
    return (
        Call.objects.open_at(moment or timezone.now())
        .exclude(program__agency_hosted=True)
        .select_related("program")
        .prefetch_related("courses")
        .order_by("closes_at")
    )
