"""The dashboard's figures on the hand-computed dataset of dataset.py."""

import pytest
from django_countries import countries

from insights.domain import figures
from insights.domain.figures import Filters


def rows(breakdown):
    return {row.label: row.value for row in breakdown.rows}


def test_participants_by_fiscal_year_counts_each_year(dataset):
    assert rows(figures.participants_by_fiscal_year(Filters())) == {"2025": 3, "2026": 4}


def test_participants_by_country_counts_nationalities(dataset):
    breakdown = figures.participants_by_country(Filters())
    assert rows(breakdown) == {
        countries.name("TH"): 3,
        countries.name("VN"): 2,
        countries.name("IN"): 2,
    }
    assert breakdown.rows[0].label == countries.name("TH")  # largest first
    assert breakdown.total == 7


def test_participants_by_course_category_host_and_prefecture(dataset):
    assert rows(figures.participants_by_course(Filters())) == {
        "A0 — Science experience": 5,
        "B0 — Joint research": 2,
    }
    assert rows(figures.participants_by_category(Filters())) == {
        "Graduate student": 5,
        "Escort (supervisor)": 1,
        "Undergraduate student": 1,
    }
    assert rows(figures.participants_by_host(Filters())) == {
        "Tokyo Institute 0": 5,
        "Osaka Institute 0": 2,
    }
    assert rows(figures.participants_by_prefecture(Filters())) == {"Tokyo": 5, "Osaka": 2}


def test_plans_by_fiscal_year_and_state(dataset):
    plans = figures.plans_by_fiscal_year_and_state(Filters())
    assert plans.counts == {
        2025: {"approved": 1, "rejected": 1},
        2026: {"completed": 1, "submitted": 1, "closed": 1, "rejected": 1},
    }
    assert rows(plans.totals()) == {"2025": 2, "2026": 4}


def test_approval_rate_is_approved_of_decided_plans(dataset):
    """A submitted plan is not decided yet; completed and closed plans were approved."""
    rates = {rate.fiscal_year: rate for rate in figures.approval_rates(Filters())}
    assert (rates[2025].approved, rates[2025].decided, rates[2025].percent) == (1, 2, 50)
    assert (rates[2026].approved, rates[2026].decided, rates[2026].percent) == (2, 3, 67)


def test_budget_used_falls_back_to_the_plan_budget_without_an_amount(dataset):
    """FY2025: ¥1,000,000 of ¥10M; FY2026: ¥500,000 + p3's budget ¥1,110,000 of ¥20M."""
    used = {use.fiscal_year: use for use in figures.budget_use(Filters())}
    assert (used[2025].used, used[2025].budget, used[2025].percent) == (1_000_000, 10_000_000, 10)
    assert (used[2026].used, used[2026].budget, used[2026].percent) == (1_610_000, 20_000_000, 8)


@pytest.mark.parametrize(
    "used, budget, label",
    [(0, 1_000_000, "0%"), (1, 1_000_000, "<1%"), (6_000, 1_000_000, "1%"), (10, 0, "–")],
)
def test_budget_share_says_less_than_one_percent_rather_than_nothing(used, budget, label):
    assert figures.BudgetUse("SSP-2026-1", 2026, budget, used).share_label == label


def test_filters_narrow_every_figure(dataset):
    course_a, course_b = dataset["courses"]
    fy2026 = Filters(fiscal_year=2026)
    assert rows(figures.participants_by_country(fy2026)) == {
        countries.name("IN"): 2,
        countries.name("TH"): 1,
        countries.name("VN"): 1,
    }
    assert [(r.fiscal_year, r.approved, r.decided) for r in figures.approval_rates(fy2026)] == [
        (2026, 2, 3)
    ]
    only_b = Filters(course=course_b)
    assert rows(figures.participants_by_fiscal_year(only_b)) == {"2026": 2}
    assert [(u.fiscal_year, u.used) for u in figures.budget_use(only_b)] == [
        (2025, 0),
        (2026, 500_000),
    ]
    program = course_a.program
    assert figures.participants_by_fiscal_year(Filters(program=program)).total == 7


def test_breakdown_keeps_the_top_rows_and_sums_the_others():
    breakdown = figures.Breakdown.of(
        [figures.Row(f"Country {n:02d}", 100 - n) for n in range(18)], limit=15
    )
    assert len(breakdown.rows) == 15
    assert (breakdown.others, breakdown.others_count) == (85 + 84 + 83, 3)
    assert breakdown.all_rows[-1].value == 252


@pytest.mark.parametrize("narrowed", ["nothing", "fiscal_year", "course", "program"])
def test_dashboard_reads_every_participant_figure_in_one_query(
    dataset, narrowed, django_assert_num_queries
):
    """The dashboard's single pass gives each figure the rows its own query gives (whose
    values the tests above check by hand), and the same totals by direction."""
    course_a, course_b = dataset["courses"]
    chosen = {
        "nothing": Filters(),
        "fiscal_year": Filters(fiscal_year=2026),
        "course": Filters(course=course_b),
        "program": Filters(program=course_a.program),
    }[narrowed]
    with django_assert_num_queries(1):
        counts, totals = figures.participant_counts(chosen)
    for slug, figure in figures.PARTICIPANT_FIGURES.items():
        assert figure(chosen, counts[slug]) == figure(chosen), slug
    plans = figures.plans_matching(chosen)
    assert figures.people_by_direction(plans, totals) == figures.people_by_direction(plans)
    by_year = figures.plans_by_fiscal_year_and_state(chosen)
    assert figures.approval_rates(chosen, by_year) == figures.approval_rates(chosen)
