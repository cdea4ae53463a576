"""A reviewer's own assignments: everything a reviewer sees is built on this."""

from .models import ReviewAssignment


def assignments_of(user):
    return ReviewAssignment.objects.filter(reviewer=user).select_related(
        "plan__call__program", "plan__course", "plan__host", "review"
    )
