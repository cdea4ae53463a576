"""In Chromium: a course-D coordinator registers one of their students for the dispatch to
India (a passport expiring too early is refused at its field first), and a dispatched
participant reads the dispatch and the online sessions in both time zones on their phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.participants.course_d import course_d_plan, dispatched
from tests.participants.portal_builders import signed_up

from .test_coordinator_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def accessibility_violations(page):
    return [violation["id"] for violation in Axe().run(page).response["violations"]]


def test_coordinator_registers_a_student_for_the_dispatch(
    page, live_server, institution, coordinator
):
    plan = course_d_plan(host=institution, lead=coordinator)
    sign_in(page, live_server, coordinator.email)
    page.goto(f"{live_server.url}/plans/{plan.pk}/participants/new/")

    page.get_by_label("Activity").select_option(label="Dispatch abroad: Field study at IIT Example")
    page.get_by_label("Family name (as in passport)").fill("SUZUKI")
    page.get_by_label("Given name(s) (as in passport)").fill("Ken")
    page.get_by_label("Name in native script").fill("鈴木 健")
    page.get_by_label("Date of birth").fill("2000-10-01")
    page.get_by_label("Gender").select_option("male")
    page.get_by_label("Category").select_option("graduate")
    page.get_by_label("Email address").fill("ken@example.ac.jp")
    page.get_by_label("Passport number").fill("TK7654321")
    page.get_by_label("Passport valid until").fill("2027-02-10")
    page.get_by_label("Emergency contact in Japan").fill("鈴木 一郎")
    page.get_by_label("Emergency contact's phone").fill("+81 3 0000 0000")
    page.get_by_label("Travel insurance (insurer and policy number)").fill("Sakura 555")
    page.get_by_label("Registered with the Foreign Ministry's travel registration").select_option(
        "false"
    )
    page.get_by_role("button", name="Register").click()

    expect(
        page.get_by_text("The passport expires before the return on 2027-02-17.", exact=True)
    ).to_be_visible()
    assert accessibility_violations(page) == []
    page.get_by_label("Passport number").fill("TK7654321")
    page.get_by_label("Passport valid until").fill("2031-01-31")
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_text("SUZUKI Ken is registered.")).to_be_visible()
    expect(page.get_by_text("To do: Travel registration (Tabireg) not done yet.")).to_be_visible()
    expect(page.get_by_text("Dispatched abroad from Japan")).to_be_visible()
    assert accessibility_violations(page) == []


def test_dispatched_participant_reads_the_dispatch_and_sessions_in_both_zones(
    page, live_server, institution
):
    traveller = dispatched(course_d_plan(host=institution))
    user = signed_up(traveller)
    sign_in(page, live_server, user.email)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/me/")

    expect(page.get_by_text("IIT Example, India")).to_be_visible()
    expect(
        page.get_by_text("Asia/Kolkata (UTC+05:30); Japan time (JST) is UTC+09:00")
    ).to_be_visible()
    sessions = page.get_by_role("heading", name="Online sessions")
    expect(sessions).to_be_visible()
    expect(
        page.get_by_text("2027-01-28 13:30 IST to 2027-01-28 15:30 IST (Asia/Kolkata)")
    ).to_be_visible()
    expect(
        page.get_by_text("2027-03-01 10:00 EET to 2027-03-01 12:00 EET (Africa/Cairo)")
    ).to_be_visible()
    assert accessibility_violations(page) == []
