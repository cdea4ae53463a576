"""A save refused because a colleague saved first shows, field by field, what is saved now
next to what was typed (only where they differ); the typed input stays in the form and the
page heading shows the saved title, not the refused one."""

import pytest
from django.urls import reverse

from applications.forms import BasicsForm, BudgetFormSet, VersionedForm
from applications.models import InvitationPlan
from applications.views.base import stale_differences
from common.comparison import Difference
from tests.factories import PlanFactory

from .view_helpers import basics_data, budget_data, budget_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(institution, coordinator):
    return PlanFactory(
        host=institution, title_en="Solar cells, a first look", field_of_science="materials"
    )


def typed_basics(plan, **changes):
    form = BasicsForm(
        basics_data(plan, **changes),
        instance=InvitationPlan.objects.get(pk=plan.pk),
        colleagues=list(plan.host.members.all()),
    )
    assert form.is_valid(), form.errors
    return form


def test_comparison_lists_only_the_fields_that_differ(plan):
    form = typed_basics(
        plan,
        title_en="Solar cells, typed",
        arrival_on="2027-01-11",
        field_of_science="chemistry",
    )
    # A colleague saved a new title meanwhile; the arrival and field are as before.
    InvitationPlan.objects.filter(pk=plan.pk).update(title_en="Solar cells, saved by a colleague")

    assert stale_differences(form) == [
        Difference("Title (English)", "Solar cells, saved by a colleague", "Solar cells, typed"),
        Difference("Field of science", "Materials science", "Chemistry"),
        Difference("Arrival in Japan", "2027-01-10", "2027-01-11"),
    ]


def test_comparison_is_empty_when_the_typed_form_matches(plan):
    assert stale_differences(typed_basics(plan)) == []


def test_comparison_of_budget_rows(plan):
    rows = budget_rows(plan)
    rows[0]["unit_cost_jpy"] = 140_000
    data = budget_data(plan, rows)
    formset = BudgetFormSet(data, instance=plan, prefix="budget")
    form = VersionedForm(data)
    assert form.is_valid() and formset.is_valid(), formset.errors
    airfare = plan.budget.get(category="airfare")
    airfare.quantity = 4
    airfare.save()

    assert stale_differences(form, formset) == [
        Difference("Row 1: Unit cost (JPY)", "150000", "140000"),
        Difference("Row 1: Quantity", "4", "5"),
    ]


def test_refused_basics_page_shows_the_comparison_and_the_saved_title(client, plan, coordinator):
    opened_at = plan.version
    url = reverse("plan_edit_basics", args=[plan.pk])
    client.force_login(coordinator)
    saved = client.post(url, basics_data(plan, title_en="Solar cells, saved by the administrator"))
    assert saved.status_code == 302

    client.force_login(plan.lead)
    response = client.post(
        url, basics_data(plan, version=opened_at, title_en="Solar cells, typed by the lead")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "A colleague saved this plan while you were editing" in page
    table = page.split('class="stale-differences"')[1].split("</table>")[0]
    assert (
        '<th scope="row">Title (English)</th>\n'
        "              <td>Solar cells, saved by the administrator</td>\n"
        "              <td>Solar cells, typed by the lead</td>"
    ) in table
    assert table.count('<th scope="row">') == 1  # only the field that differs
    # The typed input is kept in the form, ready to be saved again at the new version.
    assert 'value="Solar cells, typed by the lead"' in page
    assert f'name="plan_version" value="{opened_at + 1}"' in page
    # The heading and the title show the plan as saved.
    heading = page.split("<h1>")[1].split("</h1>")[0]
    assert "Solar cells, saved by the administrator" in heading
    assert "typed by the lead" not in page.split("<title>")[1].split("</title>")[0]
    assert "typed by the lead" not in heading


def test_refused_budget_page_says_which_rows_differ(client, plan, coordinator):
    opened_at = plan.version
    url = reverse("plan_edit_budget", args=[plan.pk])
    rows = budget_rows(plan)
    client.force_login(coordinator)
    colleague_rows = [dict(row) for row in rows]
    colleague_rows[1]["quantity"] = 25
    assert client.post(url, budget_data(plan, colleague_rows)).status_code == 302

    client.force_login(plan.lead)
    rows[0]["unit_cost_jpy"] = 140_000
    response = client.post(url, budget_data(plan, rows, version=opened_at))
    assert response.status_code == 400
    table = response.content.decode().split('class="stale-differences"')[1].split("</table>")[0]
    assert '<th scope="row">Row 1: Unit cost (JPY)</th>' in table
    assert '<th scope="row">Row 2: Quantity</th>' in table
    assert table.count('<th scope="row">') == 2


def test_comparison_names_rows_removed_and_added_by_a_colleague(plan):
    data = budget_data(plan, budget_rows(plan))
    formset = BudgetFormSet(data, instance=plan, prefix="budget")
    form = VersionedForm(data)
    assert form.is_valid() and formset.is_valid(), formset.errors
    # Meanwhile a colleague removed the airfare line and added a per-diem line.
    plan.budget.get(category="airfare").delete()
    plan.budget.create(category="per_diem", unit_cost_jpy=3000, quantity=35)

    assert stale_differences(form, formset) == [
        Difference("Row 1", "removed", "kept"),
        Difference("A row added since", "Per diem, 3000, 35", "—"),
    ]
