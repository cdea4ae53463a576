"""Scores, calibration and the ranking of a call's plans against its budget.

Weighted totals per review are computed in the database (one aggregate query); calibration
corrects each reviewer's harshness or leniency: a review's total becomes a z-score within that
reviewer's own reviews of the call, mapped back onto the scale with the mean and spread of
all reviews. A plan's calibrated score is the mean of its calibrated reviews.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean, median

from django.db.models import F, FloatField, Sum
from django.db.models.functions import Cast

from applications.domain.money import (
    CallMoney,
    draw_cut_line,
    money_of,
    requested_total_expression,
)
from applications.models import InvitationPlan, PlanState

from ..models import Criterion, Decision, Score

# A plan's reviews disagree when their totals spread over more than this share of the scale.
DISAGREEMENT_SHARE = 0.3
# A reviewer is an outlier when their mean is this share of the scale away from the others'.
OUTLIER_SHARE = 0.25


@dataclass
class RankedPlan:
    """One plan in the ranking. What ranking it takes is read for every plan of the call;
    `plan` and `decision` (the model objects a page shows) only for the rows that
    load_plans() is given."""

    plan_id: int
    number: int
    state: str
    requested: int  # the plan's requested total
    outcome: str | None = None  # the decided outcome (released or not), None while undecided
    approved_amount: int | None = None  # the decision's amount, when staff set one
    released_at: datetime | None = None  # when the decision was released
    plan: InvitationPlan | None = None
    decision: Decision | None = None
    rank: int = 0  # 1 for the best
    totals: list = field(default_factory=list)  # weighted totals of its submitted reviews
    calibrated: list = field(default_factory=list)
    mean: float | None = None
    spread: float | None = None
    calibrated_mean: float | None = None
    disagreement: bool = False
    # Set by money.draw_cut_line():
    counted: bool = True  # counts against the budget (not decided against)
    running_total: int | None = 0  # None for a row that does not count
    above_line: bool = False
    cut_before: bool = False  # the budget runs out just before this plan

    @property
    def amount(self):
        """What the plan costs the budget: the approved amount when staff set one."""
        return self.requested if self.approved_amount is None else self.approved_amount

    @property
    def is_in_review(self):
        return self.state in PlanState.in_review()


@dataclass
class Ranking:
    rows: list
    money: CallMoney  # budget, committed, pending and left: the one "left" figure
    scale: tuple
    outliers: dict  # {reviewer id: (mean, gap to the others' median)}

    @property
    def budget(self):
        return self.money.budget

    @property
    def unreleased(self):
        """Decisions that releasing would release now: those of plans still in review (a
        plan withdrawn after it was decided keeps its decision unreleased for good)."""
        return sum(
            1 for row in self.rows if row.outcome and not row.released_at and row.is_in_review
        )


def review_totals(call):
    """[(plan id, reviewer id, weighted total)] for the call's submitted reviews: one query.

    Grouped by plan and reviewer, which name one review (a reviewer is assigned to a plan
    once); the database divides, so each review comes back as three numbers."""
    points = Sum(Cast(F("value") * F("criterion__weight"), FloatField()))
    weights = Sum(Cast("criterion__weight", FloatField()))
    return list(
        Score.objects.filter(
            review__assignment__plan__call=call, review__submitted_at__isnull=False
        )
        .values_list("review__assignment__plan_id", "review__assignment__reviewer_id")
        .annotate(total=points / weights)
        .order_by()
    )


def calibrate(totals, scale):
    """{(plan id, reviewer id): calibrated total} and the outlier reviewers.

    A reviewer with a single review, or who gives every plan the same total, tells us
    nothing about order: their reviews map to the overall mean.
    """
    if not totals:
        return {}, {}
    values = [total for _plan, _reviewer, total in totals]
    overall_mean, overall_sd = mean_and_spread(values)
    by_reviewer = {}
    for _plan, reviewer, total in totals:
        by_reviewer.setdefault(reviewer, []).append(total)
    stats = {r: mean_and_spread(v) for r, v in by_reviewer.items()}
    low, high = scale
    calibrated = {}
    for plan, reviewer, total in totals:
        mean, sd = stats[reviewer]
        z = (total - mean) / sd if sd > 0 else 0.0
        calibrated[(plan, reviewer)] = min(high, max(low, overall_mean + z * overall_sd))
    return calibrated, outlier_reviewers({r: mean for r, (mean, _sd) in stats.items()}, scale)


def mean_and_spread(values):
    """The mean and the population standard deviation of floats. (statistics.pstdev is exact,
    through fractions: 6 ms for a call's 1,300 reviews; this takes 0.2 ms.) Equal values
    have a spread of exactly 0, whatever the rounding of their mean."""
    if min(values) == max(values):
        return values[0], 0.0
    mean = math.fsum(values) / len(values)
    return mean, math.sqrt(math.fsum((value - mean) ** 2 for value in values) / len(values))


def outlier_reviewers(means, scale):
    """{reviewer: (mean, gap)} for reviewers whose mean stands apart from the others'.

    The gap is the reviewer's mean minus the median of all reviewers' means (a median, which
    one extreme reviewer cannot drag along); an outlier's gap is at least OUTLIER_SHARE of the
    scale. A z-score cannot do this with the handful of reviewers a call may have: with n
    reviewers |z| never exceeds √(n−1).
    """
    outliers = {}
    if len(means) < 3:
        return outliers
    width = scale[1] - scale[0]
    centre = median(means.values())
    for reviewer, mean in means.items():
        gap = mean - centre
        if abs(gap) >= OUTLIER_SHARE * width:
            outliers[reviewer] = (mean, gap)
    return outliers


def rank_call(call, *, by="calibrated", plans=True):
    """Every plan of `call` that was submitted and is not withdrawn, best first, with running
    totals, the cut line and the call's money (see applications.domain.money). With
    plans=False the rows' `plan` and `decision` are left for load_plans(): a page that shows
    50 of a call's 450 plans reads those 50 (the model objects cost 60 ms for 450)."""
    criteria = list(Criterion.objects.filter(call=call))
    scale = (
        (min(c.scale_min for c in criteria), max(c.scale_max for c in criteria))
        if criteria
        else (1, 5)
    )
    totals = review_totals(call)
    calibrated, outliers = calibrate(totals, scale)
    # Only what the ranking needs of each plan: its requested total (not with_completeness's
    # figures, five subqueries a plan) and its decision.
    ranked = (
        InvitationPlan.objects.filter(call=call, state__in=PlanState.ranked())
        .annotate(requested=requested_total_expression())
        .values_list(
            "pk",
            "number",
            "state",
            "requested",
            "decision__outcome",
            "decision__approved_amount_jpy",
            "decision__released_at",
        )
    )
    rows = {values[0]: RankedPlan(*values) for values in ranked}
    for plan_id, reviewer_id, total in totals:
        row = rows.get(plan_id)
        if row is not None:
            row.totals.append(total)
            row.calibrated.append(calibrated[(plan_id, reviewer_id)])
    width = scale[1] - scale[0]
    for row in rows.values():
        if row.totals:
            row.mean = fmean(row.totals)
            row.spread = max(row.totals) - min(row.totals)
            row.calibrated_mean = fmean(row.calibrated)
            row.disagreement = row.spread > DISAGREEMENT_SHARE * width
    key = "calibrated_mean" if by == "calibrated" else "mean"
    ordered = sorted(
        rows.values(),
        key=lambda row: (
            getattr(row, key) is None,
            -(getattr(row, key) or 0),
            row.number,
        ),
    )
    for rank, row in enumerate(ordered, 1):
        row.rank = rank
    draw_cut_line(ordered, call.budget_jpy)
    if plans:
        load_plans(ordered)
    # The call's money from the rows in hand (every plan that can hold money is ranked):
    # call_money()'s aggregate cost ~3 ms of Python to build for one row of figures.
    money = money_of(call.budget_jpy, ordered)
    return Ranking(rows=ordered, money=money, scale=scale, outliers=outliers)


def load_plans(rows, fields=None):
    """Set each row's plan (with its host, course and decision) and decision: one query.
    `fields`: only these (a page that shows a few of them; see QuerySet.only())."""
    plans = InvitationPlan.objects.select_related("host", "course", "decision")
    if fields:
        plans = plans.only(*fields)
    plans = plans.in_bulk([row.plan_id for row in rows])
    for row in rows:
        row.plan = plans[row.plan_id]
        row.decision = getattr(row.plan, "decision", None)
    return rows
