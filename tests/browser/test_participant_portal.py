"""In Chromium at phone size: an invited participant joins, reads the itinerary, gets the ICS."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from participants.models import Participant
from tests.participants.portal_builders import (
    JOIN_PASSWORD,
    approved_plan,
    invitation_for,
    participant_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def has_no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= 375")


def serious_accessibility_problems(page):
    results = Axe().run(page)
    return [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def participant(db):
    # The coordinator's side (register and invite) is done here; the emailed token is known.
    plan = approved_plan(contact_email="international-office@sakura-u.example.ac.jp")
    participant = participant_of(plan, email="malee.srisuk.graduate@example.ac.th")
    invitation_for(participant, "known-token")
    return participant


def test_participant_joins_reads_the_itinerary_and_downloads_the_calendar(
    page, live_server, participant
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/participant/join/known-token/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Welcome to the Sakura Exchange Portal"
    )
    assert has_no_horizontal_scroll(page)

    page.get_by_label("Password", exact=True).fill(JOIN_PASSWORD)
    page.get_by_label("Password (again)").fill(JOIN_PASSWORD)
    page.get_by_label("Preferred language").select_option("en")
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("heading", name="My stay in Japan", level=1)).to_be_visible()
    expect(page.get_by_text("Welcome! Your account is ready.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Hands-on training in materials for renewable energy")
    ).to_be_visible()
    days = page.get_by_role("heading", level=4)
    expect(days).to_have_text(
        [
            "Day 1 — 2027-01-10 (Sun)",
            "Day 2 — 2027-01-11 (Mon)",
            "Day 3 — 2027-01-12 (Tue)",
        ]
    )
    items = page.locator(".itinerary-item")
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text("09:00–12:00 JST")
    expect(items.first).to_contain_text("Welcome lecture")
    expect(items.first).to_contain_text("Tokyo")
    expect(page.get_by_text("Japan time (JST)")).to_be_visible()
    expect(page.get_by_role("link", name="+81-3-1234-5678")).to_be_visible()
    expect(page.get_by_text("Your letters will appear here when they are issued.")).to_be_visible()
    assert has_no_horizontal_scroll(page)
    assert serious_accessibility_problems(page) == []

    # Tap targets are at least 44 px high on a phone.
    download_link = page.get_by_role("link", name="Download the calendar")
    assert download_link.bounding_box()["height"] >= 44

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename == "sakura-exchange.ics"
    with open(download.path(), "rb") as calendar_file:
        content = calendar_file.read()
    assert content.startswith(b"BEGIN:VCALENDAR")
    assert b"Welcome lecture" in content

    # The join link was used up.
    assert Participant.objects.get(pk=participant.pk).user.email == participant.email
    response = page.goto(f"{live_server.url}/participant/join/known-token/")
    assert response.status == 404


def test_participant_corrects_details_on_a_phone(page, live_server, participant):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/participant/join/known-token/")
    page.get_by_label("Password", exact=True).fill(JOIN_PASSWORD)
    page.get_by_label("Password (again)").fill(JOIN_PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    page.get_by_role("link", name="Check and correct my contact details").click()
    expect(page.get_by_role("heading", name="My contact details", level=1)).to_be_visible()
    assert has_no_horizontal_scroll(page)
    page.get_by_label("Email address").fill("not-an-email")
    page.get_by_label("Dietary needs").fill("Halal")
    page.get_by_role("button", name="Save my details").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert serious_accessibility_problems(page) == []
    expect(page.get_by_label("Dietary needs")).to_have_value("Halal")

    page.get_by_label("Email address").fill("malee@example.ac.th")
    page.get_by_role("button", name="Save my details").click()
    expect(page.get_by_text("Your details were saved.")).to_be_visible()

    page.get_by_role("link", name="Subscribe from my calendar app").click()
    expect(page.get_by_label("Your calendar address")).to_have_value(
        re.compile(re.escape(f"{live_server.url}/calendar/") + r"[\w-]{20,}\.ics")
    )
    assert has_no_horizontal_scroll(page)
