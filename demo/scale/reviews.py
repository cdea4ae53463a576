"""The scale data's reviews: a pool of reviewers of different harshness, each call's criteria
and set-up, three reviewers per plan that reached review, and scores that follow the plan's
quality and the reviewer's harshness. Everything is written with bulk_create.

The rule the scores follow: each plan has a quality (about 3.2 on the 1–5 scale, spread 0.7);
a reviewer gives each criterion round(quality − harshness + noise), kept within the
criterion's scale. Reviewer 1 is the harshest (+1 point), the last the most lenient (−1), the
others evenly between. Among a call's decided plans the approved ones get the higher
qualities, so decisions agree with the ranking up to the reviewers' noise.
"""

from collections import Counter
from datetime import timedelta

from accounts.models import User
from applications.models import PlanState
from demo.ranking import CRITERIA
from institutions.models import Membership
from programs.models import FieldOfScience
from reviews.models import (
    ConflictDeclaration,
    Criterion,
    Review,
    ReviewAssignment,
    ReviewerProfile,
    ReviewSetup,
    Score,
)

from .tables import BATCH, EMAIL_DOMAIN, WITH_PARTICIPANTS

REVIEWERS = 60
REVIEWERS_PER_PLAN = 3
QUALITY_MEAN, QUALITY_SPREAD = 3.2, 0.7
SCORE_NOISE = 0.5
# Plans in a call still in review: each review is submitted with this chance, else still open.
SUBMITTED_SHARE_IN_REVIEW = 2 / 3
DECIDED = WITH_PARTICIPANTS | {PlanState.REJECTED}
S = ReviewAssignment.State


def reviewer_email(number):
    return f"reviewer-{number:03d}@{EMAIL_DOMAIN}"


def harshness(number):
    """Points reviewer `number` (1…REVIEWERS) takes off a fair score: +1 for the first,
    −1 for the last, evenly between."""
    return 1.0 - 2.0 * (number - 1) / (REVIEWERS - 1)


def create_reviewers(rng, institutions):
    """REVIEWERS reviewers, each a member of one scale institution (whose plans they must
    never review), with two fields of expertise."""
    users = User.objects.bulk_create(
        [
            User(
                email=reviewer_email(number),
                full_name=f"Reviewer {number:03d}",
                password="!",
                is_reviewer=True,
            )
            for number in range(1, REVIEWERS + 1)
        ]
    )
    homes = [institutions[(number * 7) % len(institutions)] for number in range(REVIEWERS)]
    Membership.objects.bulk_create(
        Membership(user=user, institution=home, role=Membership.Role.MEMBER)
        for user, home in zip(users, homes, strict=True)
    )
    ReviewerProfile.objects.bulk_create(
        ReviewerProfile(user=user, fields_of_science=rng.sample(FieldOfScience.values, 2))
        for user in users
    )
    for number, (user, home) in enumerate(zip(users, homes, strict=True), start=1):
        user.harshness = harshness(number)
        user.home_id = home.pk
    return users


def create_criteria(calls):
    """The demo's three weighted criteria (1–5) and a set-up for every call."""
    ReviewSetup.objects.bulk_create(
        ReviewSetup(
            call=call,
            reviewers_per_plan=REVIEWERS_PER_PLAN,
            max_load=30,
            deadline=call.closes_at + timedelta(days=30),
        )
        for call in calls
    )
    criteria = Criterion.objects.bulk_create(
        Criterion(call=call, name_en=name_en, name_ja=name_ja, weight=weight, position=position)
        for call in calls
        for position, (name_en, name_ja, weight) in enumerate(CRITERIA)
    )
    by_call = {}
    for criterion in criteria:
        by_call.setdefault(criterion.call_id, []).append(criterion)
    return by_call


def qualities(rng, plans, plan_rows):
    """{plan index: quality} for every plan that reached review; in each call the approved
    plans get the higher qualities of its decided plans, the rejected ones the lower."""
    by_call = {}
    for index, (plan, row) in enumerate(zip(plans, plan_rows, strict=True)):
        if row["state"] in DECIDED or row["state"] == PlanState.UNDER_REVIEW:
            by_call.setdefault(plan.call_id, []).append(index)
    quality = {}
    for indexes in by_call.values():
        drawn = sorted((rng.gauss(QUALITY_MEAN, QUALITY_SPREAD) for _ in indexes), reverse=True)
        # Approved (and later) first, then rejected, then those still in review.
        order = sorted(
            indexes,
            key=lambda i: (
                plan_rows[i]["state"] not in WITH_PARTICIPANTS,
                plan_rows[i]["state"] != PlanState.REJECTED,
            ),
        )
        decided = [i for i in order if plan_rows[i]["state"] in DECIDED]
        quality.update(zip(decided, drawn, strict=False))
        for i in order[len(decided) :]:
            quality[i] = rng.gauss(QUALITY_MEAN, QUALITY_SPREAD)
    return quality


def create_reviews(rng, calls, plans, plan_rows, institutions, officer):
    """Reviewers, criteria, assignments, declarations, reviews and scores; their counts."""
    reviewers = create_reviewers(rng, institutions)
    criteria = create_criteria(calls)
    quality = qualities(rng, plans, plan_rows)
    # Each call deals its reviewers round a shuffled circle, skipping any whose institution
    # hosts the plan: the loads stay within a plan or two of each other, never a conflict.
    circles, turns = {}, Counter()
    assignments, pending = [], []  # pending: (assignment, plan, quality, reviewer)
    for index in sorted(quality):
        plan = plans[index]
        call = plan.call
        circle = circles.get(call.pk)
        if circle is None:
            circle = circles[call.pk] = rng.sample(reviewers, len(reviewers))
        chosen = []
        while len(chosen) < REVIEWERS_PER_PLAN:
            reviewer = circle[turns[call.pk] % len(circle)]
            turns[call.pk] += 1
            if reviewer.home_id != plan.host_id and reviewer not in chosen:
                chosen.append(reviewer)
        in_review = plan_rows[index]["state"] == PlanState.UNDER_REVIEW
        for reviewer in chosen:
            submitted = not in_review or rng.random() < SUBMITTED_SHARE_IN_REVIEW
            assignment = ReviewAssignment(
                plan=plan,
                reviewer=reviewer,
                state=S.SUBMITTED if submitted else S.ASSIGNED,
                assigned_by=officer,
                assigned_at=call.closes_at + timedelta(days=3),
            )
            assignments.append(assignment)
            if submitted:
                pending.append((assignment, plan, quality[index], reviewer))
    ReviewAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    declarations, reviews, scores = [], [], []
    for assignment, plan, _quality, _reviewer in pending:
        declared = plan.call.closes_at + timedelta(days=rng.randint(3, 10))
        declarations.append(
            ConflictDeclaration(assignment=assignment, has_conflict=False, declared_at=declared)
        )
        reviews.append(
            Review(
                assignment=assignment,
                plan_version=plan.version,
                submitted_at=declared + timedelta(days=rng.randint(1, 15)),
            )
        )
    ConflictDeclaration.objects.bulk_create(declarations, batch_size=BATCH)
    Review.objects.bulk_create(reviews, batch_size=BATCH)
    for review, (_assignment, plan, plan_quality, reviewer) in zip(reviews, pending, strict=True):
        for criterion in criteria[plan.call_id]:
            fair = plan_quality - reviewer.harshness + rng.gauss(0, SCORE_NOISE)
            value = min(criterion.scale_max, max(criterion.scale_min, round(fair)))
            scores.append(Score(review=review, criterion=criterion, value=value))
    Score.objects.bulk_create(scores, batch_size=BATCH)
    return {
        "reviewers": len(reviewers),
        "review assignments": len(assignments),
        "reviews": len(reviews),
        "scores": len(scores),
    }
