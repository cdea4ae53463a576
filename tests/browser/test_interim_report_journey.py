"""In Chromium: a course-D coordinator enters an online session's attendance and fills and
submits the interim report, per activity; axe finds nothing in English or in Japanese."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Activity
from reports.models import InterimReport
from tests.participants.builders import registered
from tests.reports.builders import activity_of, course_d_first_session_over

from .test_coordinator_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def accessibility_violations(page):
    return [violation["id"] for violation in Axe().run(page).response["violations"]]


def switch_language(page, code):
    page.locator("#language-select").select_option(code)
    page.locator("form:has(#language-select) button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


@pytest.fixture
def plan(institution, coordinator):
    """The invitation ended 9 days ago, the first online session 2 days ago."""
    plan = course_d_first_session_over(host=institution, lead=coordinator)
    registered(
        plan,
        family_name="SHARMA",
        given_name="Priya",
        nationality="IN",
        activity=activity_of(plan, Activity.Kind.INVITATION),
    )
    return plan


def test_coordinator_enters_attendance_and_submits_the_interim_report(
    page, live_server, coordinator, plan
):
    invitation = activity_of(plan, Activity.Kind.INVITATION)
    session = activity_of(plan, Activity.Kind.ONLINE)
    sign_in(page, live_server, coordinator.email)
    page.goto(live_server.url + reverse("plan_detail", args=[plan.pk]))
    page.get_by_role("link", name="Interim report").click()
    page.get_by_role("link", name="Edit the interim report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Interim report on")
    expect(page.get_by_text("¥600,000")).to_be_visible()  # airfare 120,000 × 5
    assert accessibility_violations(page) == []

    # The session's attendance, from the report.
    page.get_by_role("link", name="Attendance of “Online seminar 1”").click()
    expect(page.get_by_text("13:30 IST where the partner is").first).to_be_visible()
    assert accessibility_violations(page) == []
    page.get_by_label("Attended from Japan").fill("-1")
    page.get_by_label("Attended from the partner's side").fill("18")
    page.get_by_role("button", name="Save the attendance").click()
    expect(page.get_by_label("Attended from the partner's side")).to_have_value("18")
    page.get_by_label("Attended from Japan").fill("12")
    page.get_by_role("button", name="Save the attendance").click()
    expect(page.get_by_text("The attendance was saved.")).to_be_visible()
    switch_language(page, "ja")
    expect(page.get_by_role("heading", level=1)).to_contain_text("出席者数")
    assert accessibility_violations(page) == []
    switch_language(page, "en")

    # The interim report, per activity.
    page.goto(live_server.url + reverse("interim_report_edit", args=[plan.pk]))
    expect(page.get_by_text("Attended: 12 from Japan, 18 from the partner's side.")).to_be_visible()
    page.get_by_label("What was done in “Water lab training in Japan”").fill(
        "Ten days of lab work on river models."
    )
    page.get_by_label("SHARMA Priya").check()
    page.get_by_label("What was done in “Online seminar 1”").fill("A seminar on flood forecasting.")
    page.locator(f"#id_actual-{invitation.pk}-airfare").fill("640000")
    page.locator(f"#id_actual-{invitation.pk}-accommodation").fill("540000")
    page.locator(f"#id_actual-{invitation.pk}-other").fill("0")
    page.locator(f"#id_actual-{session.pk}-other").fill("0")
    page.get_by_role("button", name="Submit the interim report").click()
    expect(
        page.get_by_text("“International airfare of “Water lab training in Japan””")
    ).to_be_visible()
    assert accessibility_violations(page) == []
    switch_language(page, "ja")
    expect(page.get_by_role("heading", level=1)).to_contain_text("中間報告書")
    assert accessibility_violations(page) == []
    switch_language(page, "en")

    page.get_by_label("Follow-up and explanations").fill("Fares from Delhi rose in January.")
    page.get_by_role("button", name="Submit the interim report").click()
    expect(page.get_by_text("The interim report was submitted.")).to_be_visible()
    assert accessibility_violations(page) == []
    switch_language(page, "ja")
    assert accessibility_violations(page) == []

    report = InterimReport.objects.get(plan=plan)
    assert report.submitted_at is not None
    assert report.expenses.get(activity=invitation, category="airfare").actual_jpy == 640_000
