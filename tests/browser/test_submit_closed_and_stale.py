"""In Chromium, in English and Japanese: "Review and submit" for a closed call says so, with
no submit button; two colleagues edit the same plan in two browsers, and the one who saves
second sees the other's version next to what they typed, their input kept; axe finds nothing
on either page."""

from datetime import UTC, datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from applications.domain.states import request_revision, start_review, submit_plan
from applications.models import InvitationPlan
from tests.browser.signing_in import sign_in
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLOSED = {
    "en": ("The call is closed", "Submit the plan"),
    "ja": ("公募は締め切られました", "招へい計画を提出する"),
}
STALE = {
    "en": ("A colleague saved this plan while you were editing", "Save draft"),
    "ja": ("編集中に他の方がこの招へい計画を保存しました", "下書きを保存"),
}


def axe_violations(page):
    return [violation["id"] for violation in Axe().run(page).response["violations"]]


def speaking(user, language):
    user.preferred_language = language
    user.save()
    return user


@pytest.mark.parametrize("language", ["en", "ja"])
def test_closed_call_submit_page_has_no_button(page, live_server, institution, language):
    plan = PlanFactory(host=institution)
    plan.call.opens_at = datetime(2026, 1, 5, tzinfo=UTC)
    plan.call.closes_at = datetime(2026, 2, 22, 8, tzinfo=UTC)  # 17:00 in Tokyo
    plan.call.save()
    sign_in(page, live_server, speaking(plan.lead, language))
    page.goto(f"{live_server.url}/plans/{plan.pk}/submit/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    closed, submit = CLOSED[language]
    notice = page.locator(".call-closed")
    expect(notice).to_contain_text(closed)
    expect(notice).to_contain_text("2026-02-22 17:00 JST")
    expect(page.get_by_role("button", name=submit)).to_have_count(0)
    expect(page.locator(".editor-main button[type=submit]")).to_have_count(0)
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["en", "ja"])
def test_second_save_shows_the_colleagues_version(
    browser, live_server, institution, coordinator, language
):
    plan = PlanFactory(host=institution, title_en="Solar cells, a first look")
    lead = speaking(plan.lead, language)
    basics = f"{live_server.url}/plans/{plan.pk}/edit/"
    save = STALE[language][1]

    # Both open the form; the administrator saves first.
    mine = browser.new_context(locale="en-GB", timezone_id="Asia/Tokyo").new_page()
    theirs = browser.new_context(locale="en-GB", timezone_id="Asia/Tokyo").new_page()
    sign_in(mine, live_server, lead)
    sign_in(theirs, live_server, coordinator)
    mine.goto(basics)
    theirs.goto(basics)
    # The title in the page's language is the one the heading shows.
    title = "title_en" if language == "en" else "title_ja"
    theirs.locator(f"[name={title}]").fill("Solar cells, saved by the administrator")
    theirs.get_by_role("button", name="Save draft").click()
    expect(theirs.get_by_text("Saved.")).to_be_visible()

    mine.locator(f"[name={title}]").fill("Solar cells, typed by the lead")
    mine.locator("[name=contact_phone]").fill("+81-3-9999-0000")
    mine.get_by_role("button", name=save).click()

    comparison = mine.locator(".stale-comparison")
    expect(comparison).to_contain_text(STALE[language][0])
    rows = comparison.locator("tbody tr")
    expect(rows).to_have_count(2)  # the title and the phone; nothing else differs
    expect(rows.nth(0).locator("td").nth(0)).to_have_text("Solar cells, saved by the administrator")
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("Solar cells, typed by the lead")
    expect(rows.nth(1).locator("td").nth(0)).to_have_text("+81-3-1234-5678")
    expect(rows.nth(1).locator("td").nth(1)).to_have_text("+81-3-9999-0000")
    # The input is kept; the heading and the title show the saved plan.
    expect(mine.locator(f"[name={title}]")).to_have_value("Solar cells, typed by the lead")
    expect(mine.locator("h1")).to_contain_text("Solar cells, saved by the administrator")
    expect(mine.locator("h1")).not_to_contain_text("typed by the lead")
    assert "typed by the lead" not in mine.title()
    assert axe_violations(mine) == []

    # Saved again, the typed version wins: the form now carries the current version.
    mine.get_by_role("button", name=save).click()
    expect(mine.locator(".stale-comparison")).to_have_count(0)
    stored = InvitationPlan.objects.get(pk=plan.pk)
    assert (getattr(stored, title), stored.contact_phone) == (
        "Solar cells, typed by the lead",
        "+81-3-9999-0000",
    )


REVISION = {
    "en": ("but the agency asked for a revision of this plan", "Submit the plan"),
    "ja": ("機構がこの計画の修正を依頼しているため", "招へい計画を提出する"),
}


@pytest.mark.parametrize("language", ["en", "ja"])
def test_revision_may_be_sent_after_the_call_closed(
    page, live_server, institution, staff_user, language
):
    plan = PlanFactory(host=institution)
    submit_plan(plan, by=plan.lead)
    start_review(plan, by=staff_user)
    request_revision(plan, by=staff_user, reason="Add a company visit.")
    plan.call.opens_at = datetime(2026, 1, 5, tzinfo=UTC)
    plan.call.closes_at = datetime(2026, 2, 22, 8, tzinfo=UTC)
    plan.call.save()
    sign_in(page, live_server, speaking(plan.lead, language))
    page.goto(f"{live_server.url}/plans/{plan.pk}/submit/")
    said, submit = REVISION[language]
    expect(page.locator(".editor-main")).to_contain_text(said)
    expect(page.locator(".call-closed")).to_have_count(0)
    expect(page.get_by_role("button", name=submit)).to_be_visible()
    assert axe_violations(page) == []
