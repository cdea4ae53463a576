"""Rows added and removed in place (invitees, budget lines): "Add a row" and "Remove" are
submit buttons that save nothing. Without JavaScript the whole page comes back with the
typed input and one row more or less; with htmx (HX-Request) only the table, checked for
permission exactly like the page."""

import pytest
from django.urls import reverse

from applications.models import BudgetLine, PlannedInvitees
from tests.applications.view_helpers import budget_data, budget_rows, invitees_data, snapshot
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def plan(institution, coordinator):
    return PlanFactory(host=institution, lead=coordinator)


def budget_url(plan):
    return reverse("plan_edit_budget", args=[plan.pk])


def typed_rows(plan):
    """The plan's two lines and a third typed in, not saved yet."""
    return [*budget_rows(plan), {"category": "per_diem", "unit_cost_jpy": "3000", "quantity": "7"}]


def test_add_a_row_without_javascript_keeps_the_input_and_saves_nothing(client, plan):
    client.force_login(plan.lead)
    before = snapshot(plan)
    data = budget_data(plan, typed_rows(plan)) | {"add_row": "budget"}

    response = client.post(budget_url(plan), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html  # the whole page
    assert 'name="budget-TOTAL_FORMS" value="4"' in html
    assert 'name="budget-3-category"' in html  # the new, empty row
    assert 'name="budget-2-unit_cost_jpy" value="3000"' in html  # the typed row kept
    assert snapshot(plan) == before


def test_add_a_row_with_htmx_answers_only_the_table(client, plan):
    client.force_login(plan.lead)
    data = budget_data(plan, typed_rows(plan)) | {"add_row": "budget"}

    response = client.post(budget_url(plan), data, headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<div id="budget-rows">')
    assert 'name="budget-TOTAL_FORMS" value="4"' in html
    assert "data-new-row" in html.split('name="budget-3-category"')[0].rsplit("<tr", 1)[1]


def test_remove_hides_the_row_and_the_line_goes_when_saved(client, plan):
    client.force_login(plan.lead)
    rows = budget_rows(plan)
    first = BudgetLine.objects.get(pk=rows[0]["id"])

    response = client.post(
        budget_url(plan), budget_data(plan, rows) | {"remove_row": "budget-0"}, headers=HTMX
    )
    html = response.content.decode()
    assert '<input type="hidden" name="budget-0-DELETE" value="on">' in html
    assert BudgetLine.objects.filter(pk=first.pk).exists()  # nothing saved yet

    saved = budget_data(plan, rows) | {"budget-0-DELETE": "on"}
    assert client.post(budget_url(plan), saved).status_code == 302
    assert not BudgetLine.objects.filter(pk=first.pk).exists()
    assert plan.budget.count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"budget-TOTAL_FORMS": "abc", "add_row": "budget"},
        {"budget-TOTAL_FORMS": "99999", "add_row": "budget"},
        {"remove_row": "budget-99"},
        {"remove_row": "budget-x"},
        {"add_row": "budget\x00"},
    ],
)
def test_tampered_row_buttons_never_break_the_page(client, plan, changes):
    client.force_login(plan.lead)
    response = client.post(budget_url(plan), budget_data(plan, budget_rows(plan)) | changes)
    assert response.status_code in (200, 302, 400)


def test_add_an_invitee_row_in_place(client, plan):
    client.force_login(plan.lead)
    data = invitees_data(plan) | {"add_row": "invitees"}

    response = client.post(reverse("plan_edit_partners", args=[plan.pk]), data, headers=HTMX)

    html = response.content.decode()
    assert html.strip().startswith('<div id="invitee-rows">')
    assert 'name="invitees-TOTAL_FORMS" value="1"' in html
    assert PlannedInvitees.objects.filter(plan=plan).count() == 2  # unchanged


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_another_institutions_coordinator_cannot_add_rows(client, plan, other_coordinator, headers):
    client.force_login(other_coordinator)
    data = budget_data(plan, budget_rows(plan)) | {"add_row": "budget"}
    assert client.post(budget_url(plan), data, headers=headers).status_code == 404
