"""In Chromium: a coordinator signs in, switches to Japanese and sees the open call."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import PASSWORD, CallFactory, CourseFactory, ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_call(db):
    program = ProgramFactory(
        name_en="Sakura Science Exchange Program", name_ja="さくらサイエンスプログラム"
    )
    course = CourseFactory(program=program, code="A", name_ja="科学技術体験コース")
    return CallFactory(program=program, fiscal_year=2026, round=3, courses=[course])


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.login-form").get_by_role("button", name="Sign in").click()


def test_coordinator_signs_in_switches_to_japanese_and_sees_open_call(
    page, live_server, coordinator, open_call
):
    sign_in(page, live_server, coordinator.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Coordinator dashboard")
    # The open calls are folded below the coordinator's own plans.
    call = page.get_by_text("Sakura Science Exchange Program FY2026 round 3")
    expect(call).to_be_hidden()
    page.locator("#open-calls summary").click()
    expect(call).to_be_visible()

    page.get_by_label("Language").select_option("ja")
    page.get_by_role("button", name="Switch").click()

    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", level=1)).to_have_text("コーディネーター用ダッシュボード")
    page.locator("#open-calls summary").click()
    call_link = page.get_by_role("link", name="さくらサイエンスプログラム 2026年度 第3回")
    expect(call_link).to_be_visible()
    expect(page.get_by_text("科学技術体験コース").first).to_be_visible()
    expect(page.locator(".countdown").first).to_contain_text("残り")

    call_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "さくらサイエンスプログラム 2026年度 第3回"
    )
    expect(page.get_by_text("JST").first).to_be_visible()


def test_dashboard_has_no_serious_accessibility_violations(
    page, live_server, coordinator, open_call
):
    sign_in(page, live_server, coordinator.email)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [v["id"] for v in serious]


def test_keyboard_user_can_skip_to_main_content(page, live_server):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
