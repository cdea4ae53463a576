"""In Chromium: staff raise a course's cap for the fiscal year, and a coordinator sees the new
limit and where it comes from."""

import pytest
from playwright.sync_api import expect

from programs.domain.rules import save_rule_set, start_fiscal_year
from tests.applications.factories import course_of_call
from tests.conftest import with_two_factor
from tests.factories import CallFactory, PlanFactory, UserFactory

from .test_review_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rules_world(institution, coordinator):
    """An open FY2026 call with course A (¥3,600,000 per plan, FY2026 guidelines §3.2), a
    draft of the coordinator's and a program officer with two-factor."""
    staff = with_two_factor(
        UserFactory(is_staff=True, email="officer@example.org", full_name="Hanako Sato")
    )
    call = CallFactory(fiscal_year=2026)
    course = course_of_call(call, code="A")
    rule_set = start_fiscal_year(course, 2026, by=staff)
    rule_set.source_en = "FY2026 guidelines §3.2"
    rule_set.source_ja = "2026年度募集要項 3.2"
    save_rule_set(rule_set, by=staff)
    plan = PlanFactory(call=call, course=course, host=institution, lead=coordinator)
    return {"call": call, "rule_set": rule_set, "plan": plan, "coordinator": coordinator}


def test_staff_raise_a_cap_and_a_coordinator_sees_the_new_limit_and_its_source(
    browser, live_server, rules_world
):
    staff = sign_in(browser.new_context(), live_server, "officer@example.org", two_factor=True)
    staff.goto(f"{live_server.url}/staff/rules/")
    staff.get_by_role("link", name="A —").first.click()
    staff.get_by_label("cost cap per plan (JPY)").fill("4000000")
    staff.get_by_label("source (English)").fill("FY2026 guidelines §3.2 (revised 1 October)")
    staff.get_by_role("button", name="Save").click()
    expect(staff.get_by_text("The rules were saved.")).to_be_visible()
    history = staff.locator("table.rule-history")
    expect(history).to_contain_text("Hanako Sato")
    expect(history).to_contain_text("cost cap per plan (JPY): 3600000 → 4000000")

    coordinator = sign_in(
        browser.new_context(), live_server, rules_world["coordinator"].email, two_factor=False
    )
    coordinator.goto(f"{live_server.url}/calls/{rules_world['call'].pk}/")
    row = coordinator.locator("tr", has_text="A —")
    expect(row).to_contain_text("¥4,000,000 per plan")
    expect(row).to_contain_text("FY2026 guidelines §3.2 (revised 1 October)")

    coordinator.goto(f"{live_server.url}/plans/{rules_world['plan'].pk}/edit/budget/")
    expect(coordinator.locator("tfoot")).to_contain_text("¥4,000,000 per plan")
    expect(coordinator.locator("tfoot")).to_contain_text(
        "Source: FY2026 guidelines §3.2 (revised 1 October)"
    )
