"""What a person may see of participants: one query function per kind, lists are built on it."""

from letters.queries import current_letters_prefetch

from .models import Participant


def participations_of(user):
    """The user's own participant records, with what the portal shows of each plan."""
    return (
        Participant.objects.filter(user=user)
        .select_related("plan", "plan__host", "plan__call", "survey_answer")
        .prefetch_related("plan__itinerary", current_letters_prefetch())
        .order_by("plan__arrival_on", "pk")
    )
