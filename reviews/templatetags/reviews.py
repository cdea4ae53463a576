"""The released decision on a plan, for the plan page: the reviews app renders its own part,
so the plans' pages (a floor below) need not import it."""

from django import template

from applications.domain.money import approved_amount

from ..queries import released_feedback

register = template.Library()


@register.inclusion_tag("reviews/includes/released_decision.html")
def released_decision(plan):
    """The outcome, the approved amount, the conditions and the reviewers' comments to the
    applicant, once released; nothing before."""
    decision, feedback = released_feedback(plan)
    return {
        "decision": decision,
        "feedback": feedback,
        "approved_amount": approved_amount(plan, decision) if decision else None,
    }
