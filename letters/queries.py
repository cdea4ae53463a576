"""What letters a person may see; the participant portal lists `letters_for(participant)`."""

from django.db.models import Prefetch

from .models import Letter


def letters_for(participant):
    """The participant's current letters, newest first, for the portal's letters section
    (each links to reverse("letter_download", args=[letter.pk]))."""
    return Letter.objects.filter(participant=participant, status=Letter.Status.CURRENT).order_by(
        "kind", "-issued_at"
    )


def letters_of_plan(plan):
    """Every letter of a plan, current ones first, for its coordinators and staff."""
    return (
        Letter.objects.filter(plan=plan)
        .select_related("participant")
        .order_by("status", "participant__family_name", "kind", "-version")
    )


def current_letters_prefetch():
    """For lists of participants: `participant.current_letters`, in one query for all."""
    return Prefetch(
        "letters",
        queryset=Letter.objects.filter(status=Letter.Status.CURRENT).order_by("kind"),
        to_attr="current_letters",
    )
