"""A reviewer's own assignments: everything a reviewer sees is built on this."""

from django.db.models import OuterRef, Subquery

from applications.models import PlanVersion

from .models import ReviewAssignment


def assignments_of(user):
    """The user's assignments, with the titles as last submitted (never the live draft)."""
    latest = PlanVersion.objects.filter(plan=OuterRef("plan")).order_by("-number")
    return (
        ReviewAssignment.objects.filter(reviewer=user)
        .select_related("plan__call__program", "plan__course", "plan__host", "review")
        .annotate(
            submitted_title_en=Subquery(latest.values("data__fields__title_en")[:1]),
            submitted_title_ja=Subquery(latest.values("data__fields__title_ja")[:1]),
        )
    )
