"""In Chromium: staff assign, a reviewer (with two-factor) scores, staff decide and release,
and the coordinator sees the decision."""

import pytest
from playwright.sync_api import expect

from applications.domain.states import submit_plan
from reviews.models import Criterion, ReviewerProfile, ReviewSetup
from tests.conftest import totp_code, with_two_factor
from tests.factories import PASSWORD, CallFactory, PlanFactory, UserFactory
from tests.reviews.factories import closed
from tests.reviews.test_views_staff import ranked_plans
from tests.reviews.view_helpers import PLAN_REQUESTS_JPY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def review_world(db):
    plan = PlanFactory(title_en="Robotics for disaster response", field_of_science="engineering")
    submit_plan(plan, by=plan.lead)
    call = plan.call
    call.budget_jpy = 2_000_000
    call.save()
    ReviewSetup.objects.create(call=call, reviewers_per_plan=1, max_load=5)
    Criterion.objects.create(call=call, name_en="Scientific value", name_ja="意義", weight=2)
    Criterion.objects.create(call=call, name_en="Feasibility", name_ja="実現可能性", weight=1)
    reviewer = with_two_factor(
        UserFactory(is_reviewer=True, email="expert@example.org", full_name="Dr. Expert")
    )
    ReviewerProfile.objects.create(user=reviewer, fields_of_science=["engineering"])
    staff = with_two_factor(UserFactory(is_staff=True, email="officer@example.org"))
    return {"plan": plan, "reviewer": reviewer, "staff": staff}


def sign_in(context, live_server, email, *, two_factor):
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.login-form").get_by_role("button", name="Sign in").click()
    if two_factor:
        page.get_by_label("Code", exact=True).fill(totp_code())
        page.locator("main").get_by_role("button", name="Sign In", exact=True).click()
    return page


def test_assign_review_decide_release_and_coordinator_sees_it(browser, live_server, review_world):
    plan = review_world["plan"]
    staff = sign_in(browser.new_context(), live_server, "officer@example.org", two_factor=True)

    # Staff preview and apply the automatic assignment.
    staff.goto(f"{live_server.url}/staff/calls/{plan.call_id}/assignments/")
    staff.get_by_role("link", name="Preview automatic assignment").click()
    expect(
        staff.get_by_text("1 assignment would be added (1 with matching fields).")
    ).to_be_visible()
    staff.get_by_role("button", name="Apply the assignment").click()
    expect(staff.get_by_text("1 assignment added.")).to_be_visible()

    # The reviewer signs in with two-factor, declares no conflict and scores.
    reviewer = sign_in(browser.new_context(), live_server, "expert@example.org", two_factor=True)
    expect(reviewer.get_by_role("heading", name="Reviewer dashboard")).to_be_visible()
    reviewer.get_by_role("link", name=plan.reference).click()
    expect(reviewer.get_by_text(plan.objectives)).to_have_count(0)
    reviewer.get_by_label("I have no conflict of interest with this plan").check()
    reviewer.get_by_role("button", name="Send my declaration").click()
    expect(reviewer.get_by_text(plan.objectives)).to_be_visible()
    reviewer.get_by_label("Scientific value (weight 2)").select_option("5")
    reviewer.get_by_label("Feasibility (weight 1)").select_option("4")
    reviewer.get_by_label("Comment to staff").fill("Strong, well-planned programme.")
    reviewer.get_by_role("button", name="Submit review").click()
    expect(reviewer.get_by_text("Your review was submitted.")).to_be_visible()

    # Staff rank, approve within the budget and release.
    staff.goto(f"{live_server.url}/staff/calls/{plan.call_id}/ranking/")
    row = staff.locator("table.ranking tbody tr", has_text=plan.reference)
    expect(row).to_contain_text("4.67")  # (5×2 + 4×1) / 3
    staff.get_by_label(f"Decision on {plan.reference}").select_option("approved")
    staff.get_by_role("button", name="Save decisions").click()
    expect(staff.get_by_text("Decisions saved.")).to_be_visible()

    coordinator = sign_in(browser.new_context(), live_server, plan.lead.email, two_factor=False)
    coordinator.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(coordinator.locator(".plan-meta .badge")).to_have_text("Submitted")

    # Not while the call still accepts plans; once it has closed, with the box ticked.
    expect(staff.get_by_text("decisions can be released after that")).to_be_visible()
    closed(plan.call)
    staff.reload()
    staff.get_by_label("I confirm: every coordinator of this call sees the outcome").check()
    staff.get_by_role("button", name="Release all decisions of this call").click()
    expect(staff.get_by_text("1 decision released.")).to_be_visible()
    expect(staff.get_by_text("Budget left", exact=True)).to_be_visible()

    coordinator.reload()
    expect(coordinator.locator(".plan-meta .badge")).to_have_text("Approved")
    expect(coordinator.locator("table.history")).to_contain_text("Approved")


def test_cut_line_and_money_left_stay_after_saving_decisions(browser, live_server, db):
    """Approve the best plan, waitlist the one where the money ran out, save: the line is
    still drawn before the waitlisted plan, which says it is not counted."""
    staff_user = with_two_factor(UserFactory(is_staff=True, email="officer@example.org"))
    best, second = ranked_plans(CallFactory(budget_jpy=2_000_000), staff_user, [5, 4])
    call = best.call
    staff = sign_in(browser.new_context(), live_server, "officer@example.org", two_factor=True)
    staff.goto(f"{live_server.url}/staff/calls/{call.pk}/ranking/")
    rows = staff.locator("table.ranking tbody tr")
    expect(rows.nth(1)).to_have_class("cut-line")  # best, the line, second
    expect(rows.nth(2)).to_contain_text(second.reference)

    staff.get_by_label(f"Decision on {best.reference}").select_option("approved")
    staff.get_by_label(f"Decision on {second.reference}").select_option("waitlisted")
    staff.get_by_role("button", name="Save decisions").click()
    expect(staff.get_by_text("Decisions saved.")).to_be_visible()

    expect(rows.nth(1)).to_have_class("cut-line")
    expect(rows.nth(2)).to_contain_text("Not counted (Waitlisted)")
    left = f"¥{2_000_000 - PLAN_REQUESTS_JPY:,}"
    expect(staff.locator("#budget-left")).to_have_text(left)
    expect(staff.get_by_text(f"Budget left after the approvals above: {left}.")).to_be_visible()


def test_ranking_and_assignments_in_pages(browser, live_server, db, monkeypatch):
    """Two plans a page: staff follow the link to where the money runs out, decide on that
    page and come back to it; axe finds nothing on either paginated page."""
    from axe_playwright_python.sync_playwright import Axe

    from reviews.views.staff import AssignmentsView, RankingView

    monkeypatch.setattr(RankingView, "paginate_by", 2)
    monkeypatch.setattr(AssignmentsView, "paginate_by", 2)
    staff_user = with_two_factor(UserFactory(is_staff=True, email="officer@example.org"))
    # ¥2,500,000 holds two plans of ¥1,110,000: the line falls before the third, on page 2.
    best, second, third = ranked_plans(CallFactory(budget_jpy=2_500_000), staff_user, [5, 4, 3])
    call = best.call
    staff = sign_in(browser.new_context(), live_server, "officer@example.org", two_factor=True)

    staff.goto(f"{live_server.url}/staff/calls/{call.pk}/ranking/")
    expect(staff.locator("table.ranking")).not_to_contain_text(third.reference)
    assert [v["id"] for v in Axe().run(staff).response["violations"]] == []
    staff.get_by_role("link", name="The budget runs out on page 2").click()
    expect(staff.locator("#cut-line")).to_be_in_viewport()
    expect(staff.locator("table.ranking tbody tr").nth(1)).to_contain_text(third.reference)
    staff.get_by_label(f"Decision on {third.reference}").select_option("waitlisted")
    staff.get_by_role("button", name="Save decisions").click()

    expect(staff.get_by_text("Decisions saved.")).to_be_visible()
    expect(staff.get_by_text("Page 2 of 2")).to_be_visible()
    expect(staff.get_by_label(f"Decision on {third.reference}")).to_have_value("waitlisted")

    staff.goto(f"{live_server.url}/staff/calls/{call.pk}/assignments/?preview=1")
    expect(staff.get_by_text("Page 1 of 2")).to_be_visible()
    assert [v["id"] for v in Axe().run(staff).response["violations"]] == []
    staff.get_by_role("link", name="Next").click()
    expect(staff.get_by_role("heading", name="Plans and their reviewers")).to_be_visible()
    expect(staff.locator("table[aria-labelledby=plans-heading]")).to_contain_text(third.reference)
