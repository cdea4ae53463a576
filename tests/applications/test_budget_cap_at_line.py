"""A budget line over its category's cap is told at that line's unit cost, not only in the
notice at the top: the message sits in the row's unit-cost cell and the input is marked
invalid and described by it, as a field error is. Lines within their cap say nothing."""

import re

import pytest
from django.urls import reverse

from tests.applications.view_helpers import budget_data, budget_rows
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db
CAP_MESSAGE = "Accommodation: ¥12,000 per unit is over the cap of ¥11,999."


@pytest.fixture
def plan(institution, coordinator):
    """A complete plan whose accommodation line costs ¥12,000 a night, a yen over the cap."""
    plan = PlanFactory(host=institution, lead=coordinator)
    plan.course.line_caps_jpy = {"accommodation": 11_999, "airfare": 200_000}
    plan.course.save()
    return plan


def unit_cost_cell(html, index):
    """The <td> holding row `index`'s unit cost."""
    start = html.index(f'name="budget-{index}-unit_cost_jpy"')
    return html[html.rindex("<td", 0, start) : html.index("</td>", start)]


def test_the_cap_message_is_at_the_offending_unit_cost(client, plan):
    client.force_login(plan.lead)
    lines = list(plan.budget.all())
    over = next(i for i, line in enumerate(lines) if line.category == "accommodation")
    within = next(i for i, line in enumerate(lines) if line.category != "accommodation")

    html = client.get(reverse("plan_edit_budget", args=[plan.pk])).content.decode()

    cell = unit_cost_cell(html, over)
    assert CAP_MESSAGE in cell
    field = re.search(rf"<input[^>]*budget-{over}-unit_cost_jpy[^>]*>", cell).group(0)
    assert 'aria-invalid="true"' in field
    assert f'aria-describedby="id_budget-{over}-unit_cost_jpy_needed"' in field
    assert f'<p class="needed" id="id_budget-{over}-unit_cost_jpy_needed">{CAP_MESSAGE}' in cell
    # The other line is within its cap: nothing at its unit cost.
    assert "needed" not in unit_cost_cell(html, within)
    assert "aria-invalid" not in unit_cost_cell(html, within)


def test_the_cap_message_stays_at_its_line_when_a_row_is_added_in_place(client, plan):
    client.force_login(plan.lead)
    rows = budget_rows(plan)
    over = next(i for i, row in enumerate(rows) if row["category"] == "accommodation")

    response = client.post(
        reverse("plan_edit_budget", args=[plan.pk]),
        budget_data(plan, rows) | {"add_row": "budget"},
        headers={"HX-Request": "true"},
    )

    assert CAP_MESSAGE in unit_cost_cell(response.content.decode(), over)


def test_no_cap_message_at_a_line_exactly_at_its_cap(client, plan):
    plan.course.line_caps_jpy = {"accommodation": 12_000}
    plan.course.save()
    client.force_login(plan.lead)
    html = client.get(reverse("plan_edit_budget", args=[plan.pk])).content.decode()
    assert 'class="needed"' not in html
