"""In Chromium: a coordinator fills a plan, meets the budget cap, fixes it and submits."""

import pytest
from playwright.sync_api import expect

from institutions.models import Membership
from tests.factories import (
    PASSWORD,
    CallFactory,
    CourseFactory,
    MembershipFactory,
    PartnerInstitutionFactory,
    ProgramFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def lead(db):
    program = ProgramFactory()
    course = CourseFactory(
        program=program,
        code="A",
        max_days=7,
        max_invitees=8,
        per_plan_cap_jpy=3_600_000,
        per_person_cap_jpy=450_000,
        line_caps_jpy={"accommodation": 15_000},
        required_attachments=["partner_consent"],
        eligible_categories=["graduate", "escort"],
    )
    CallFactory(program=program, fiscal_year=2026, round=3, courses=[course])
    membership = MembershipFactory(
        role=Membership.Role.ADMINISTRATOR,
        user__email="lead@example.org",
        user__full_name="田中 一郎",
    )
    PartnerInstitutionFactory(
        host=membership.institution, name="Chulalongkorn University", country="TH"
    )
    return membership.user


def test_coordinator_fills_plan_fixes_over_cap_budget_and_submits(page, live_server, lead):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.login-form").get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="New invitation plan").first.click()
    page.get_by_label("Call and course").select_option(index=1)
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_text("SSP-2026-3-0001 created")).to_be_visible()

    # Basics
    page.get_by_label("Title (Japanese)").fill("ペロブスカイト太陽電池の実習")
    page.get_by_label("Title (English)").fill("Hands-on perovskite solar cells")
    page.get_by_label("Field of science").select_option("materials")
    page.get_by_label("Objectives").fill("A first experience of solar-cell research in Japan.")
    page.get_by_label("Expected outcomes").fill("A joint poster; applications to graduate school.")
    page.get_by_label("Arrival in Japan").fill("2027-01-10")
    page.get_by_label("Departure from Japan").fill("2027-01-16")
    page.get_by_label("Contact person during the stay").fill("田中 一郎")
    page.get_by_label("Contact email").fill("lead@example.org")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved.")).to_be_visible()

    # Partners and invitees
    page.get_by_role("link", name="Partners and invitees").click()
    page.get_by_label("Chulalongkorn University (Thailand)").check()
    page.locator("#id_invitees-0-country").select_option("TH")
    page.locator("#id_invitees-0-category").select_option("graduate")
    page.locator("#id_invitees-0-count").fill("5")
    page.locator("#id_invitees-1-country").select_option("TH")
    page.locator("#id_invitees-1-category").select_option("escort")
    page.locator("#id_invitees-1-count").fill("1")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved.")).to_be_visible()

    # A three-day itinerary
    page.get_by_role("link", name="Itinerary", exact=True).click()
    for day, title in [
        ("2027-01-11", "Welcome lecture"),
        ("2027-01-12", "Lab work"),
        ("2027-01-13", "Site visit"),
    ]:
        page.get_by_label("Day", exact=True).fill(day)
        page.get_by_label("Start").fill("09:30")
        page.get_by_label("End", exact=True).fill("12:00")
        page.get_by_label("Title (English)").fill(title)
        page.get_by_role("button", name="Add to itinerary").click()
        # Added in place (htmx): the status says so, the page is not loaded again.
        expect(page.locator("#itinerary-status")).to_have_text(f"Item added: {title}.")
    expect(page.get_by_role("heading", name="Day 4 — 2027-01-13 (Wed)")).to_be_visible()

    # Budget, with accommodation over its cap per night
    page.get_by_role("link", name="Budget", exact=True).click()
    page.locator("#id_budget-0-category").select_option("airfare")
    page.locator("#id_budget-0-unit_cost_jpy").fill("150000")
    page.locator("#id_budget-0-quantity").fill("6")
    page.locator("#id_budget-1-category").select_option("accommodation")
    page.locator("#id_budget-1-unit_cost_jpy").fill("25000")
    page.locator("#id_budget-1-quantity").fill("36")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("tfoot")).to_contain_text("¥1,800,000")

    # Attachment
    page.get_by_role("link", name="Attachments", exact=True).click()
    page.get_by_label("PDF file").set_input_files(
        {"name": "consent.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name="consent.pdf")).to_be_visible()

    # The export-control pre-check: no ties, no listed technology, no "specific category"
    page.get_by_role("link", name="Export-control screening").click()
    for question in (
        "Is any partner institution or invitee tied to an entity on the End User List?",
        "Will technology listed under the export control regulations be provided?",
        "Is any invitee in the “specific category”",
    ):
        page.get_by_role("group", name=question).get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save the answers").click()
    expect(page.get_by_text("The screening answers were saved.")).to_be_visible()

    # Submitting shows the over-cap line; the draft is kept
    page.get_by_role("link", name="Review and submit").click()
    page.get_by_role("button", name="Submit the plan").click()
    problems = page.locator(".problem-list")
    expect(problems).to_contain_text("Accommodation: ¥25,000 per unit is over the cap of ¥15,000")
    expect(page.locator(".plan-meta")).to_contain_text("Draft")

    problems.get_by_role("link", name="Accommodation").click()
    page.locator("#id_budget-1-unit_cost_jpy").fill("12000")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("tfoot")).to_contain_text("¥1,332,000")

    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_text("Everything the call requires is in place.")).to_be_visible()
    page.get_by_role("button", name="Submit the plan").click()

    expect(page.get_by_text("Plan SSP-2026-3-0001 was submitted.")).to_be_visible()
    expect(page.locator(".plan-meta .badge")).to_have_text("Submitted")
    history = page.locator("table.history")
    expect(history).to_contain_text("Draft")
    expect(history).to_contain_text("Submitted")
    expect(history).to_contain_text("田中 一郎")
    expect(page.get_by_role("link", name="Version 1")).to_be_visible()
