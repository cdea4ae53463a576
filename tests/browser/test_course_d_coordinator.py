"""In Chromium: a course-D coordinator plans a year of exchange — an invitation to Japan, a
dispatch abroad and an online session shown in Japan time and in India's — gives each its
budget lines and submits; axe finds nothing in English or in Japanese."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from applications.models import Activity, BudgetLine
from tests.factories import PASSWORD, CourseDPlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(db):
    """A course-D draft with its basics, partners (IIT Example in India, Cairo Example in
    Egypt), invitees, itinerary and screening, but no activities or budget yet."""
    plan = CourseDPlanFactory()
    BudgetLine.objects.filter(plan=plan).delete()
    Activity.objects.filter(plan=plan).delete()
    return plan


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.login-form").get_by_role("button", name="Sign in").click()


def switch_language(page, code):
    page.locator("#language-select").select_option(code)
    page.locator("form.language-form button").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def no_violations(page):
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], v["nodes"][0]["html"]) for v in violations]


def add_activity(page, kind, title, first, last="", partner="IIT Example", people="5", times=()):
    form = page.locator("form.activity-form")
    form.get_by_label("Kind of activity").select_option(kind)
    form.get_by_label("Title (English)").fill(title)
    form.get_by_label("First day").fill(first)
    if last:
        form.get_by_label("Last day").fill(last)
    if times:
        form.get_by_label("Starts at (Japan time)").fill(times[0])
        form.get_by_label("Ends at (Japan time)").fill(times[1])
    form.get_by_label("Partner institution").select_option(label=f"{partner} ({'India'})")
    form.get_by_label("People taking part").fill(people)
    page.get_by_role("button", name="Add the activity").click()
    expect(page.get_by_text("Saved.")).to_be_visible()


def test_coordinator_plans_a_year_of_exchange_and_submits(page, live_server, plan):
    sign_in(page, live_server, plan.lead.email)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/")
    expect(page.get_by_text("This plan is made of activities")).to_be_visible()
    page.get_by_role("link", name="Activities", exact=True).click()
    expect(page.get_by_role("heading", name="Activities", exact=True)).to_be_visible()

    add_activity(page, "invitation", "Water lab training in Japan", "2027-01-12", "2027-01-21")
    add_activity(
        page, "dispatch", "Field study at IIT Example", "2027-02-08", "2027-02-17", people="3"
    )
    add_activity(
        page, "online", "Online seminar", "2027-01-28", people="30", times=("17:00", "19:00")
    )
    table = page.locator("table.activities")
    expect(table).to_contain_text("2027-01-12 – 2027-01-21")
    expect(table).to_contain_text("2027-01-28 17:00–19:00 JST (13:30–15:30 IST)")
    no_violations(page)

    page.get_by_role("link", name="Edit Online seminar").click()
    expect(page.locator(".session-times")).to_contain_text(
        "2027-01-28 17:00–19:00 JST (13:30–15:30 IST)"
    )
    no_violations(page)
    switch_language(page, "ja")
    expect(page.locator(".session-times")).to_contain_text("17:00–19:00 JST (13:30–15:30 IST)")
    no_violations(page)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/activities/")
    no_violations(page)
    switch_language(page, "en")

    # Budget lines, each for its activity
    page.get_by_role("link", name="Budget", exact=True).click()
    for index, (activity, category, cost, quantity) in enumerate(
        [
            ("Water lab training in Japan", "airfare", "120000", "5"),
            ("Water lab training in Japan", "accommodation", "12000", "45"),
            ("Field study at IIT Example", "airfare", "130000", "3"),
        ]
    ):
        page.locator(f"#id_budget-{index}-activity").select_option(
            label=f"Invitation to Japan: {activity}"
            if "Japan" in activity
            else f"Dispatch abroad: {activity}"
        )
        page.locator(f"#id_budget-{index}-category").select_option(category)
        page.locator(f"#id_budget-{index}-unit_cost_jpy").fill(cost)
        page.locator(f"#id_budget-{index}-quantity").fill(quantity)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("tfoot")).to_contain_text("¥1,530,000")
    no_violations(page)

    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_text("Everything the call requires is in place.")).to_be_visible()
    page.get_by_role("button", name="Submit the plan").click()
    expect(page.get_by_text(f"Plan {plan.reference} was submitted.")).to_be_visible()
    expect(page.locator("table.activities")).to_contain_text("Field study at IIT Example")
    no_violations(page)
    switch_language(page, "ja")
    expect(page.locator("table.activities")).to_contain_text("17:00–19:00 JST (13:30–15:30 IST)")
    no_violations(page)
