"""A reviewer's own assignments: everything a reviewer sees is built on this."""

from django.db.models import OuterRef, Subquery

from applications.models import PlanState, PlanVersion

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


def released_feedback(plan):
    """What the applicant may see once decisions are released: the decision and the
    reviewers' comments to the applicant (anonymous). Before release: (None, []).

    A plan still being written or reviewed has none, without asking: a decision is released in
    the transaction that moves its plan to the outcome (`release_decisions`, and the agency's
    approval of a direct invitation)."""
    from .models import Decision, Review

    if plan.state in PlanState.undecided():
        return None, []
    decision = Decision.objects.filter(plan=plan, released_at__isnull=False).first()
    if decision is None:
        return None, []
    comments = list(
        Review.objects.filter(assignment__plan=plan, submitted_at__isnull=False)
        .exclude(comment_to_applicant="")
        .order_by("pk")
        .values_list("comment_to_applicant", flat=True)
    )
    return decision, comments
