"""In Chromium: a coordinator adds three invitee rows and three budget lines with "Add a row"
(no page load between them), removes one in place, and saves each table once; axe finds
nothing on the page with rows added, in English and Japanese."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from applications.models import BudgetLine
from tests.browser.signing_in import sign_in
from tests.factories import PartnerInstitutionFactory, PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(institution, coordinator):
    plan = PlanFactory(host=institution, lead=coordinator, complete=False)
    plan.partners.add(PartnerInstitutionFactory(host=institution, country="TH"))
    return plan


def no_reload_marker(page):
    """A mark on the window: gone if the page is loaded again."""
    page.evaluate("window.stillTheSamePage = true")


def assert_no_reload(page):
    assert page.evaluate("window.stillTheSamePage === true")


def axe_violations(page):
    return [violation["id"] for violation in Axe().run(page).response["violations"]]


def test_three_budget_lines_added_in_place_and_saved_once(page, live_server, plan, coordinator):
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/budget/")
    no_reload_marker(page)
    rows = page.locator("#budget-rows tbody tr:not([hidden])")
    start = rows.count()
    lines = [
        ("airfare", "120000", "5"),
        ("accommodation", "12000", "30"),
        ("per_diem", "3000", "35"),
    ]
    # Fill the empty rows there are, adding a row whenever none is left.
    for index, (category, unit, quantity) in enumerate(lines):
        if index >= start:
            page.get_by_role("button", name="Add a row").click()
            expect(rows).to_have_count(index + 1)
            # The keyboard goes on in the new row.
            expect(page.locator(f"[name=budget-{index}-category]")).to_be_focused()
        page.locator(f"[name=budget-{index}-category]").select_option(category)
        page.locator(f"[name=budget-{index}-unit_cost_jpy]").fill(unit)
        page.locator(f"[name=budget-{index}-quantity]").fill(quantity)
    page.get_by_role("button", name="Add a row").click()  # one too many
    expect(rows).to_have_count(max(start, 3) + 1)
    page.get_by_role("button", name=f"Remove (line {max(start, 3) + 1})").click()
    expect(rows).to_have_count(max(start, 3))
    # Whatever was typed is still there after the table came back from the server.
    expect(page.locator("[name=budget-2-unit_cost_jpy]")).to_have_value("3000")
    assert_no_reload(page)
    assert axe_violations(page) == []

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    assert sorted(BudgetLine.objects.filter(plan=plan).values_list("category", flat=True)) == [
        "accommodation",
        "airfare",
        "per_diem",
    ]


def test_three_invitee_rows_added_in_place_in_japanese(page, live_server, plan, coordinator):
    coordinator.preferred_language = "ja"
    coordinator.save()
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/partners/")
    no_reload_marker(page)
    rows = page.locator("#invitee-rows tbody tr:not([hidden])")
    start = rows.count()
    wanted = [("graduate", "2"), ("undergraduate", "2"), ("escort", "1")]
    for index, (category, count) in enumerate(wanted):
        if index >= start:
            page.get_by_role("button", name="行を追加").click()
            expect(rows).to_have_count(index + 1)
        page.locator(f"[name=invitees-{index}-country]").select_option("TH")
        page.locator(f"[name=invitees-{index}-category]").select_option(category)
        page.locator(f"[name=invitees-{index}-count]").fill(count)
    assert_no_reload(page)
    assert axe_violations(page) == []

    page.get_by_role("button", name="下書きを保存").click()
    expect(page.get_by_text("保存しました。")).to_be_visible()
    assert sorted(plan.invitees.values_list("category", "count")) == [
        ("escort", 1),
        ("graduate", 2),
        ("undergraduate", 2),
    ]
