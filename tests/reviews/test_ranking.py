"""Scores, calibration and the ranking of a call's plans against its budget.

A review's total is the weighted mean of its scores (so it stays on the criteria's scale).
Calibration corrects harsh and lenient reviewers: each total becomes a z-score within its
reviewer's own reviews, mapped back with the mean and spread of all totals and clipped to
the scale. Plans are ranked by their mean or calibrated score; running totals of what they
cost draw the line where the call's budget runs out.
"""

import math

import pytest

from applications.models import PlanState
from reviews.domain.decisions import decide
from reviews.domain.ranking import calibrate, mean_and_spread, rank_call
from reviews.models import Decision

from .factories import CriterionFactory, ReviewerFactory, scored_review, submitted_plans

pytestmark = pytest.mark.django_db
approx = pytest.approx


@pytest.fixture
def criteria(call):
    """Scientific merit counts twice as much as feasibility; both are scored 1 to 5."""
    return [
        CriterionFactory(call=call, name_en="Scientific merit", weight=2),
        CriterionFactory(call=call, name_en="Feasibility", weight=1),
    ]


@pytest.fixture
def one_criterion(call):
    return CriterionFactory(call=call, name_en="Overall", weight=1)


def row_of(ranking, plan):
    (row,) = [row for row in ranking.rows if row.plan.pk == plan.pk]
    return row


def order(ranking):
    return [row.plan.pk for row in ranking.rows]


# The calibration example, worked by hand.
#
# Total of a review = (2 × merit + 1 × feasibility) / 3.
#
#             P1            P2            P3
#   Ito     (5,5) → 5     (5,2) → 4     (3,3) → 3      mean 4, SD √(2/3) ≈ 0.8165
#   Kato    (4,1) → 3     (2,2) → 2     (1,1) → 1      mean 2, SD √(2/3)
#   Mori    (5,5) → 5     (5,5) → 5     (1,4) → 2      mean 4, SD √2
#
# Population SD: Ito's deviations are +1, 0, −1 → variance 2/3; Mori's +1, +1, −2 → 6/3 = 2.
# z-scores: Ito and Kato +√(3/2) ≈ +1.2247, 0, −1.2247; Mori +1/√2, +1/√2, −√2.
# All nine totals: 5 4 3 3 2 1 5 5 2 → sum 30, overall mean 10/3.
#   Squared deviations × 9: 25 4 1 1 16 49 25 25 16 = 162 → variance 162 / 81 = 2, SD √2.
# Calibrated = 10/3 + z × √2, clipped to [1, 5]:
#   Ito, Kato: P1 10/3 + √3 ≈ 5.0654 → 5 (clipped); P2 10/3; P3 10/3 − √3 ≈ 1.6013
#   Mori:      P1 10/3 + 1 = 13/3; P2 13/3; P3 10/3 − 2 = 4/3
# Plan calibrated scores: P1 (5 + 5 + 13/3) / 3 = 43/9 ≈ 4.7778
#                         P2 (10/3 + 10/3 + 13/3) / 3 = 11/3
#                         P3 (2 × (10/3 − √3) + 4/3) / 3 = (8 − 2√3) / 3 ≈ 1.5120
# Plan means of the totals: P1 13/3, P2 11/3, P3 2; spreads 2, 3, 2 (all over 0.3 × 4 = 1.2).
SCORES = {
    "Ito": {"P1": (5, 5), "P2": (5, 2), "P3": (3, 3)},
    "Kato": {"P1": (4, 1), "P2": (2, 2), "P3": (1, 1)},
    "Mori": {"P1": (5, 5), "P2": (5, 5), "P3": (1, 4)},
}
TOTALS = {"Ito": (5, 4, 3), "Kato": (3, 2, 1), "Mori": (5, 5, 2)}
ROOT3 = math.sqrt(3)
CALIBRATED = {
    ("P1", "Ito"): 5,
    ("P2", "Ito"): 10 / 3,
    ("P3", "Ito"): 10 / 3 - ROOT3,
    ("P1", "Kato"): 5,
    ("P2", "Kato"): 10 / 3,
    ("P3", "Kato"): 10 / 3 - ROOT3,
    ("P1", "Mori"): 13 / 3,
    ("P2", "Mori"): 13 / 3,
    ("P3", "Mori"): 4 / 3,
}


def test_calibrate_hand_computed_example():
    totals = [
        (plan, reviewer, float(total))
        for reviewer, values in TOTALS.items()
        for plan, total in zip(["P1", "P2", "P3"], values, strict=True)
    ]

    calibrated, _outliers = calibrate(totals, (1, 5))

    assert calibrated == approx(CALIBRATED)


def test_rank_call_hand_computed_example(call, criteria, staff):
    merit, feasibility = criteria
    plans = dict(zip(["P1", "P2", "P3"], submitted_plans(call, 3, requested=500_000), strict=True))
    for name, by_plan in SCORES.items():
        reviewer = ReviewerFactory(full_name=name)
        for plan_name, (m, f) in by_plan.items():
            scored_review(plans[plan_name], reviewer, {merit: m, feasibility: f}, by=staff)

    ranking = rank_call(call, by="calibrated")

    assert ranking.scale == (1, 5)
    assert order(ranking) == [plans["P1"].pk, plans["P2"].pk, plans["P3"].pk]
    expected = {
        "P1": (13 / 3, 43 / 9, [5, 3, 5]),
        "P2": (11 / 3, 11 / 3, [4, 2, 5]),
        "P3": (2, (8 - 2 * ROOT3) / 3, [3, 1, 2]),
    }
    for name, (mean, calibrated_mean, totals) in expected.items():
        row = row_of(ranking, plans[name])
        assert sorted(row.totals) == approx(sorted(totals))
        assert row.mean == approx(mean)
        assert row.calibrated_mean == approx(calibrated_mean)
        assert row.disagreement is True
    assert row_of(ranking, plans["P1"]).spread == approx(2)
    assert row_of(ranking, plans["P2"]).spread == approx(3)


def test_calibrate_harsh_and_lenient_reviewer_same_order_same_calibrated_scores():
    """Kato gives 1, 2, 3 and Ito 3, 4, 5 to the same plans: the same judgement."""
    totals = [
        ("A", "Kato", 1.0),
        ("B", "Kato", 2.0),
        ("C", "Kato", 3.0),
        ("A", "Ito", 3.0),
        ("B", "Ito", 4.0),
        ("C", "Ito", 5.0),
    ]

    calibrated, _outliers = calibrate(totals, (1, 5))

    for plan in "ABC":
        assert calibrated[(plan, "Kato")] == approx(calibrated[(plan, "Ito")])
    assert calibrated[("A", "Kato")] < calibrated[("B", "Kato")] < calibrated[("C", "Kato")]


def test_calibrate_reviewer_with_one_total_maps_to_overall_mean():
    """Ito gives every plan 4: that says nothing about order; Kato's spread does."""
    totals = [
        ("A", "Ito", 4.0),
        ("B", "Ito", 4.0),
        ("C", "Ito", 4.0),
        ("A", "Kato", 1.0),
        ("B", "Kato", 3.0),
        ("C", "Kato", 5.0),
    ]
    overall_mean = (4 + 4 + 4 + 1 + 3 + 5) / 6  # 3.5

    calibrated, _outliers = calibrate(totals, (1, 5))

    for plan in "ABC":
        assert calibrated[(plan, "Ito")] == approx(overall_mean)


def test_calibrate_reviewer_with_a_single_review_maps_to_overall_mean():
    totals = [("A", "Ito", 5.0), ("A", "Kato", 2.0), ("B", "Kato", 4.0)]

    calibrated, _outliers = calibrate(totals, (1, 5))

    assert calibrated[("A", "Ito")] == approx((5 + 2 + 4) / 3)


def test_calibrate_clips_to_scale():
    """Overall mean 3, SD 2. Ito (5, 5, 1) and Kato (1, 5, 1) each have a z of ±√2 once.

    Mapped back: 3 ± 2√2 ≈ 5.83 and 0.17, past both ends of the scale: clipped to 5 and 1.
    Their z of ±1/√2 map to 3 ± √2, inside the scale, and stay as they are.
    """
    totals = [
        ("A", "Ito", 5.0),
        ("B", "Ito", 5.0),
        ("C", "Ito", 1.0),
        ("A", "Kato", 1.0),
        ("B", "Kato", 5.0),
        ("C", "Kato", 1.0),
    ]

    calibrated, _outliers = calibrate(totals, (1, 5))

    assert calibrated[("B", "Kato")] == 5
    assert calibrated[("C", "Ito")] == 1
    assert calibrated[("A", "Ito")] == approx(3 + math.sqrt(2))
    assert calibrated[("A", "Kato")] == approx(3 - math.sqrt(2))


def test_calibrate_nothing_to_calibrate():
    assert calibrate([], (1, 5)) == ({}, {})


def test_calibrate_outlier_flagged_among_three_reviewers():
    """Ito and Kato average about 3; Mori averages 1, far from the other two.

    The others' means are 3.0 and 3.2 (mean 3.1, SD 0.1): Mori is 21 SDs below them.
    Three reviewers are enough to flag one (an outlier is only looked for from three on).
    """
    totals = [
        ("A", "Ito", 3.0),
        ("B", "Ito", 3.0),
        ("A", "Kato", 3.4),
        ("B", "Kato", 3.0),
        ("A", "Mori", 1.0),
        ("B", "Mori", 1.0),
    ]

    _calibrated, outliers = calibrate(totals, (1, 5))

    assert set(outliers) == {"Mori"}
    mean, z = outliers["Mori"]
    assert mean == approx(1.0)
    assert z < 0


def test_calibrate_outlier_flagged_among_six_reviewers():
    means = {"Ito": 3.0, "Kato": 3.2, "Mori": 2.8, "Abe": 3.0, "Sato": 3.1, "Ueda": 4.9}
    totals = [(plan, name, mean) for name, mean in means.items() for plan in "AB"]

    _calibrated, outliers = calibrate(totals, (1, 5))

    assert set(outliers) == {"Ueda"}
    assert outliers["Ueda"][1] > 0


def test_calibrate_no_outlier_when_reviewers_agree():
    means = {"Ito": 3.0, "Kato": 3.2, "Mori": 2.8, "Abe": 3.1}
    totals = [(plan, name, mean) for name, mean in means.items() for plan in "AB"]

    _calibrated, outliers = calibrate(totals, (1, 5))

    assert outliers == {}


def test_calibrate_no_outlier_with_two_reviewers():
    totals = [("A", "Ito", 5.0), ("B", "Ito", 5.0), ("A", "Kato", 1.0), ("B", "Kato", 1.0)]

    _calibrated, outliers = calibrate(totals, (1, 5))

    assert outliers == {}


def test_rank_call_outliers_reported_by_reviewer_id(call, one_criterion, staff):
    plans = submitted_plans(call, 2, requested=100_000)
    means = [3, 3, 3, 3, 3, 1]  # five agree, the sixth is 2 below the others' median
    reviewers = [ReviewerFactory() for _ in means]
    for reviewer, value in zip(reviewers, means, strict=True):
        for plan in plans:
            scored_review(plan, reviewer, {one_criterion: value}, by=staff)

    ranking = rank_call(call)

    assert set(ranking.outliers) == {reviewers[-1].pk}
    assert ranking.outliers[reviewers[-1].pk][1] == approx(-2.0)


def test_rank_call_disagreement_when_totals_spread_over_30_percent_of_scale(call, staff):
    """Scale 1 to 11 (width 10): a spread of 3 is exactly 30 % and not yet disagreement."""
    criterion = CriterionFactory(call=call, scale_min=1, scale_max=11)
    split, close, edge, alone = submitted_plans(call, 4, requested=100_000)
    first, second = ReviewerFactory(), ReviewerFactory()
    for plan, (a, b) in {split: (3, 7), close: (6, 8), edge: (4, 7)}.items():
        scored_review(plan, first, {criterion: a}, by=staff)
        scored_review(plan, second, {criterion: b}, by=staff)
    scored_review(alone, first, {criterion: 11}, by=staff)

    ranking = rank_call(call)

    assert row_of(ranking, split).spread == approx(4)
    assert row_of(ranking, split).disagreement is True
    assert row_of(ranking, close).disagreement is False
    assert row_of(ranking, edge).spread == approx(3)
    assert row_of(ranking, edge).disagreement is False
    assert row_of(ranking, alone).disagreement is False


def test_rank_call_by_mean_or_calibrated_changes_order(call, one_criterion, staff):
    """A is the harsh reviewer's best plan (3 of 5); B the lenient reviewer's worst (4 of 5).

    By mean, B (4) beats A (3). Calibrated, A is +1 SD for its reviewer and B −1 SD for
    theirs: A comes before B.
    """
    a, b, c, d = submitted_plans(call, 4, requested=100_000)
    harsh, lenient = ReviewerFactory(), ReviewerFactory()
    scored_review(a, harsh, {one_criterion: 3}, by=staff)
    scored_review(c, harsh, {one_criterion: 1}, by=staff)
    scored_review(b, lenient, {one_criterion: 4}, by=staff)
    scored_review(d, lenient, {one_criterion: 5}, by=staff)

    by_mean = order(rank_call(call, by="mean"))
    calibrated = order(rank_call(call, by="calibrated"))

    assert by_mean == [d.pk, b.pk, a.pk, c.pk]
    assert by_mean.index(b.pk) < by_mean.index(a.pk)
    assert calibrated.index(a.pk) < calibrated.index(b.pk)
    assert calibrated == [a.pk, d.pk, b.pk, c.pk]  # A and D tie (+1 SD); plan number decides


@pytest.fixture
def three_plans(call, one_criterion, staff):
    """Three plans asking ¥400,000 each, in a call of ¥1,000,000, scored 3, 5 and 4.

    The plan numbers do not follow the scores: ranking order is (second, third, first).
    """
    call.budget_jpy = 1_000_000
    call.save()
    plans = submitted_plans(call, 3, requested=400_000)
    reviewer = ReviewerFactory()
    for plan, value in zip(plans, [3, 5, 4], strict=True):
        scored_review(plan, reviewer, {one_criterion: value}, by=staff)
    first, second, third = plans
    return second, third, first


def test_rank_call_cut_line_where_budget_runs_out(call, three_plans):
    ranking = rank_call(call)

    assert order(ranking) == [plan.pk for plan in three_plans]
    assert [row.requested for row in ranking.rows] == [400_000, 400_000, 400_000]
    assert [row.running_total for row in ranking.rows] == [400_000, 800_000, 1_200_000]
    assert [row.above_line for row in ranking.rows] == [True, True, False]
    assert ranking.budget == 1_000_000
    assert ranking.money.left == 1_000_000
    assert ranking.money.approved == 0


def test_rank_call_approved_amount_lower_than_requested_counts(call, three_plans, staff):
    best, middle, last = three_plans
    decide(best, Decision.Outcome.APPROVED, approved_amount=150_000, requested=400_000, by=staff)

    ranking = rank_call(call)

    assert ranking.rows[0].requested == 400_000
    assert ranking.rows[0].amount == 150_000
    assert [row.running_total for row in ranking.rows] == [150_000, 550_000, 950_000]
    assert [row.above_line for row in ranking.rows] == [True, True, True]


def test_rank_call_budget_left_after_decisions(call, three_plans, staff):
    best, middle, last = three_plans
    decide(best, Decision.Outcome.APPROVED, approved_amount=300_000, requested=400_000, by=staff)
    decide(middle, Decision.Outcome.APPROVED, by=staff)  # at the amount requested
    decide(last, Decision.Outcome.WAITLISTED, by=staff)

    ranking = rank_call(call)

    assert ranking.money.approved == 700_000
    assert ranking.money.left == 300_000
    assert [row.decision.outcome for row in ranking.rows] == ["approved", "approved", "waitlisted"]


def test_rank_call_rejected_and_waitlisted_do_not_use_budget(call, three_plans, staff):
    best, middle, last = three_plans
    decide(best, Decision.Outcome.REJECTED, conditions="Out of scope.", by=staff)
    decide(middle, Decision.Outcome.WAITLISTED, by=staff)

    ranking = rank_call(call)

    assert ranking.money.approved == 0
    assert ranking.money.left == 1_000_000


def test_rank_call_ignores_reviews_not_yet_submitted(call, one_criterion, staff):
    scored, drafted = submitted_plans(call, 2, requested=100_000)
    reviewer, other = ReviewerFactory(), ReviewerFactory()
    scored_review(scored, reviewer, {one_criterion: 2}, by=staff)
    scored_review(scored, other, {one_criterion: 4}, by=staff)
    scored_review(drafted, reviewer, {one_criterion: 5}, by=staff, submitted=False)
    scored_review(drafted, other, {one_criterion: 5}, by=staff, submitted=False)

    ranking = rank_call(call)

    assert order(ranking) == [scored.pk, drafted.pk]  # unscored plans come last
    assert row_of(ranking, scored).totals == approx([2, 4]) or row_of(
        ranking, scored
    ).totals == approx([4, 2])
    assert row_of(ranking, scored).mean == approx(3)
    # Each reviewer has one submitted review: calibrated to the overall mean, 3.
    assert row_of(ranking, scored).calibrated_mean == approx(3)
    draft_row = row_of(ranking, drafted)
    assert (draft_row.totals, draft_row.mean, draft_row.calibrated_mean) == ([], None, None)


def test_rank_call_only_rankable_plans(call, one_criterion):
    ranked = submitted_plans(call, 1)
    ranked += submitted_plans(call, 1, state=PlanState.UNDER_REVIEW)
    ranked += submitted_plans(call, 1, state=PlanState.WAITLISTED)
    submitted_plans(call, 1, state=PlanState.DRAFT)
    submitted_plans(call, 1, state=PlanState.WITHDRAWN)
    submitted_plans(call, 1, state=PlanState.REVISION_REQUESTED)

    ranking = rank_call(call)

    assert sorted(order(ranking)) == sorted(plan.pk for plan in ranked)


def reviewed_call(call, criteria, staff, count):
    """`count` plans, three reviews each, a decision on every third plan."""
    merit, feasibility = criteria
    plans = submitted_plans(call, count, requested=300_000)
    reviewers = [ReviewerFactory() for _ in range(3)]
    for i, plan in enumerate(plans):
        for j, reviewer in enumerate(reviewers):
            value = 1 + (i + j) % 5
            scored_review(plan, reviewer, {merit: value, feasibility: 6 - value}, by=staff)
        if i % 3 == 0:
            decide(plan, Decision.Outcome.APPROVED, approved_amount=200_000, by=staff)


# Criteria, the review totals (one aggregate), the plans' figures and decisions (from which
# the call's money is reckoned) and the plans with their hosts, courses and decisions.
RANK_QUERIES = 4


@pytest.mark.parametrize("count", [3, 30])
def test_rank_call_query_count_fixed(call, criteria, staff, django_assert_num_queries, count):
    reviewed_call(call, criteria, staff, count)

    with django_assert_num_queries(RANK_QUERIES):
        ranking = rank_call(call)
        rows = [(row.plan.host.name, row.plan.course.code, row.amount) for row in ranking.rows]

    assert len(rows) == count


def test_mean_and_spread_is_the_population_standard_deviation():
    # The textbook example: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, 32 / 8 = 4.
    assert mean_and_spread([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]) == (5.0, 2.0)


def test_mean_and_spread_of_equal_totals_is_exactly_zero():
    """Three times 0.1 summed and divided by three is not 0.1 in floating point: a reviewer
    giving three plans the same total must still count as telling nothing about order, not
    as a spread of 1e-17 (which would turn rounding noise into z-scores of ±1)."""
    assert mean_and_spread([0.1] * 3) == (0.1, 0.0)
