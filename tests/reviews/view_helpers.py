"""Helpers for the review pages' tests (test_views_*.py): people, submitted plans, reviews.

Everything goes through the domain functions people's clicks end in (submit_plan,
assign_reviewer, declare, save_review), so the rows are the ones the pages really meet.
The domain tests in this folder have their own factories; these are kept apart on purpose.
"""

from itertools import count

from applications.domain.states import submit_plan
from reviews.domain.assignment import assign_reviewer
from reviews.domain.reviewing import declare, save_review
from reviews.models import Criterion
from tests.conftest import with_two_factor
from tests.factories import PlanFactory, UserFactory

_numbers = count(1)

# PlanFactory's budget: 5 airfares of ¥150,000 and 30 nights at ¥12,000.
PLAN_REQUESTS_JPY = 1_110_000


def reviewer_with_two_factor(name=None, **fields):
    """An expert reviewer who has set up two-factor, with a name no other name contains."""
    number = next(_numbers)
    return with_two_factor(
        UserFactory(
            is_reviewer=True,
            full_name=name or f"Reviewer Nr{number:04d}x",
            email=f"view-reviewer-{number}@example.org",
            **fields,
        )
    )


def submitted_plan(**fields):
    """A complete plan (PlanFactory) submitted by its lead: state SUBMITTED, version 1."""
    plan = PlanFactory(**fields)
    return submit_plan(plan, by=plan.lead)


def criteria_of(call, *scales):
    """Criteria of `call`, one per (weight, scale_min, scale_max); default: merit, feasibility."""
    scales = scales or ((2, 1, 5), (1, 1, 5))
    return [
        Criterion.objects.create(
            call=call,
            name_en=f"Criterion {position + 1} of call {call.pk}",
            name_ja=f"評価項目{position + 1}",
            weight=weight,
            scale_min=low,
            scale_max=high,
            position=position,
        )
        for position, (weight, low, high) in enumerate(scales)
    ]


def assigned(plan, reviewer, staff):
    return assign_reviewer(plan, reviewer, by=staff)


def accepted(plan, reviewer, staff):
    """Assigned, and the reviewer declared no conflict: the plan's details are open to them."""
    return declare(assigned(plan, reviewer, staff), has_conflict=False, by=reviewer)


def submitted_review(plan, reviewer, staff, values, **comments):
    """Assigned, declared and submitted with `values` ({criterion: score})."""
    assignment = accepted(plan, reviewer, staff)
    save_review(
        assignment,
        scores={criterion.pk: value for criterion, value in values.items()},
        comment_to_staff=comments.get("comment_to_staff", ""),
        comment_to_applicant=comments.get("comment_to_applicant", ""),
        submit=True,
        by=reviewer,
    )
    assignment.refresh_from_db()
    return assignment


def review_data(action, scores=None, **comments):
    """The review form as the browser posts it: {criterion: value}, the comments, the button."""
    data = {
        "action": action,
        "comment_to_staff": comments.get("comment_to_staff", ""),
        "comment_to_applicant": comments.get("comment_to_applicant", ""),
    }
    for criterion, value in (scores or {}).items():
        data[f"score_{criterion.pk}"] = "" if value is None else str(value)
    return data


def page(response):
    return response.content.decode()
