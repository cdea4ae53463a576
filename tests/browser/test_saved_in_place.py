"""In Chromium: a coordinator saves the basics twice and the budget once without the page being
loaded again (htmx sends the boosted form, the saved page comes back in one answer): "Saved."
each time, the next save is not refused as stale, the heading shows the new title; an address
that cannot be takes the keyboard to the error summary, as after a page load; an error
answering a table's "Add a row" leaves the table as it was (no error page inside it)."""

import pytest
from playwright.sync_api import expect

from applications.models import InvitationPlan
from institutions.models import Membership
from tests.browser.signing_in import sign_in
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(institution, coordinator):
    return PlanFactory(host=institution, lead=coordinator)


def save(page):
    """Click "Save draft" and wait for the answer (the page stays: no load to wait for)."""
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.get_by_role("button", name="Save draft").click()


def test_sections_save_twice_in_place(page, live_server, plan, coordinator):
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Title (English)").fill("Hands-on perovskite solar cells")
    save(page)
    expect(page.locator(".message.success")).to_have_text("Saved.")
    expect(page.locator("h1")).to_contain_text("Hands-on perovskite solar cells")

    page.get_by_label("Objectives").fill("A second save, from the page that came back.")
    save(page)
    expect(page.locator(".message.success")).to_have_text("Saved.")
    expect(page.get_by_label("Objectives")).to_have_value(
        "A second save, from the page that came back."
    )
    assert page.evaluate("window.stillTheSamePage === true")
    assert page.url.endswith(f"/plans/{plan.pk}/edit/")

    stored = InvitationPlan.objects.get(pk=plan.pk)
    assert stored.title_en == "Hands-on perovskite solar cells"
    assert stored.objectives == "A second save, from the page that came back."
    assert stored.version == plan.version + 2

    page.get_by_role("link", name="Budget").click()
    page.evaluate("window.stillTheSamePage = true")
    page.locator("[name=budget-0-note]").fill("Saved in place")
    save(page)
    expect(page.locator(".message.success")).to_have_text("Saved.")
    assert page.evaluate("window.stillTheSamePage === true")
    assert stored.budget.filter(note="Saved in place").exists()


def test_errors_in_place_take_the_keyboard_to_their_summary(page, live_server, plan, coordinator):
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Title (English)").fill("Kept though refused")
    page.get_by_label("Contact email").fill("not an address")
    save(page)

    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.get_by_label("Title (English)")).to_have_value("Kept though refused")
    assert page.evaluate("window.stillTheSamePage === true")
    assert InvitationPlan.objects.get(pk=plan.pk).title_en != "Kept though refused"


def test_a_tables_rows_are_not_replaced_by_an_error_page(page, live_server, plan, coordinator):
    """htmx swaps a boosted form's error page in, but not an error in place of a table."""
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/budget/")
    rows = page.locator("#budget-rows tbody tr").count()
    Membership.objects.filter(user=coordinator).delete()  # the plan is no longer theirs

    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.get_by_role("button", name="Add a row").click()

    assert answer.value.status == 404
    expect(page.locator("#budget-rows tbody tr")).to_have_count(rows)
    expect(page.locator("h1")).to_have_count(1)
