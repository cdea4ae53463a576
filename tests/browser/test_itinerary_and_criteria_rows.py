"""In Chromium: itinerary items added (three, no page load between them), refused at their
field with the input kept, and deleted in place; review criteria added and removed in place by
a program officer; a budget line's cap message at its unit cost; every part of a date field
shows the site's focus ring; the participant list filtered by query string. Axe finds nothing
on each page, in English and Japanese."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from reviews.models import Criterion
from tests.conftest import totp_code
from tests.factories import PASSWORD, CallFactory, PlanFactory
from tests.participants.builders import approved, registered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user, *, two_factor=False):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    if two_factor:
        page.locator("input[name=code]").fill(totp_code())
        page.locator("main form button[type=submit]:not([form])").click()
        expect(page.locator("input[name=code]")).to_have_count(0)


def in_japanese(user):
    user.preferred_language = "ja"
    user.save()


def no_reload_marker(page):
    page.evaluate("window.stillTheSamePage = true")


def assert_no_reload(page):
    assert page.evaluate("window.stillTheSamePage === true")


def axe_violations(page):
    return [violation["id"] for violation in Axe().run(page).response["violations"]]


@pytest.fixture
def plan(institution, coordinator):
    return PlanFactory(host=institution, lead=coordinator)


def add_item(page, title, start, end):
    form = page.locator("form.item-form")
    form.locator("[name=day]").fill("2027-01-12")
    form.locator("[name=start_time]").fill(start)
    form.locator("[name=end_time]").fill(end)
    form.locator("[name=title_en]").fill(title)
    form.locator("button[type=submit]").click()


def test_three_itinerary_items_added_in_place_then_one_deleted(page, live_server, plan):
    sign_in(page, live_server, plan.lead)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/itinerary/")
    no_reload_marker(page)
    day = page.locator("#day-2027-01-12 tbody tr")
    before = day.count()

    for number, (title, start, end) in enumerate(
        [
            ("Lab tour", "09:00", "10:00"),
            ("Seminar", "10:30", "12:00"),
            ("Dinner", "18:00", "20:00"),
        ],
        start=1,
    ):
        add_item(page, title, start, end)
        expect(day).to_have_count(before + number)
        expect(page.locator("#itinerary-status")).to_contain_text(f"Item added: {title}.")
        # The keyboard goes back to the add form, emptied, for the next item.
        expect(page.locator("form.item-form [name=day]")).to_be_focused()
        expect(page.locator("form.item-form [name=title_en]")).to_have_value("")

    # An item ending before it starts: the error at its field, what was typed kept.
    add_item(page, "Late lecture", "14:00", "13:00")
    expect(page.locator("#id_end_time_error")).to_contain_text("The end must be after the start.")
    expect(page.locator("form.item-form [name=title_en]")).to_have_value("Late lecture")
    expect(page.locator(".error-summary")).to_be_focused()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Delete Seminar").click()
    expect(page.locator("#itinerary-status")).to_contain_text("Item deleted: Seminar.")
    expect(day).to_have_count(before + 2)
    assert_no_reload(page)
    assert not plan.itinerary.filter(title_en="Seminar").exists()
    assert plan.itinerary.filter(title_en__in=["Lab tour", "Dinner"]).count() == 2


def test_itinerary_in_japanese_adds_in_place_and_labels_the_copy_day(page, live_server, plan):
    in_japanese(plan.lead)
    sign_in(page, live_server, plan.lead)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/itinerary/")
    no_reload_marker(page)
    expect(page.get_by_label("コピー元の日")).to_be_visible()
    expect(page.get_by_label("コピー先の日")).to_be_visible()
    add_item(page, "Lab tour", "09:00", "10:00")
    expect(page.locator("#itinerary-status")).to_contain_text("項目を追加しました")
    assert_no_reload(page)
    assert axe_violations(page) == []


def test_every_part_of_a_date_field_shows_the_focus_ring(page, live_server, plan):
    """Tab from the day's first part through all of its parts (Chromium: day, month, year and
    the calendar button): the input shows the site's 3px ring at each step."""
    sign_in(page, live_server, plan.lead)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/itinerary/")
    ring = page.locator("form.item-form").evaluate(
        "form => getComputedStyle(form.querySelector('[name=kind]')).outlineColor"
    )
    page.locator("form.item-form [name=day]").focus()
    steps = []
    while page.evaluate("document.activeElement.name") == "day":
        steps.append(
            page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
            )
        )
        page.keyboard.press("Tab")
    assert len(steps) >= 3  # day, month and year at least
    # The site's ring (--focus: #0b57d0), as on every other input.
    assert set(map(tuple, steps)) == {("solid", "3px", "rgb(11, 87, 208)")}
    assert ring != "rgb(11, 87, 208)"  # measured before: not focused, no ring


@pytest.mark.parametrize("language", ["en", "ja"])
def test_budget_cap_message_at_the_unit_cost(page, live_server, plan, language):
    plan.course.line_caps_jpy = {"accommodation": 11_999}
    plan.course.save()
    plan.lead.preferred_language = language
    plan.lead.save()
    sign_in(page, live_server, plan.lead)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/budget/")
    row = page.locator(
        "#budget-rows tbody tr", has=page.locator("option[value=accommodation][selected]")
    )
    expect(row.locator("p.needed")).to_contain_text("11,999")
    expect(row.locator("input[name$=unit_cost_jpy]")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["en", "ja"])
def test_criteria_rows_added_and_removed_in_place(page, live_server, staff_user, language):
    call = CallFactory()
    staff_user.preferred_language = language
    staff_user.save()
    sign_in(page, live_server, staff_user, two_factor=True)
    page.goto(f"{live_server.url}{reverse('review_setup', args=[call.pk])}")
    no_reload_marker(page)
    rows = page.locator("#criteria-rows tbody tr:not([hidden])")
    add = "Add a row" if language == "en" else "行を追加"
    start = rows.count()
    wanted = [("Merit", "3"), ("Feasibility", "2"), ("Impact", "1")]
    for index, (name, weight) in enumerate(wanted):
        if index >= start:
            page.get_by_role("button", name=add).click()
            expect(rows).to_have_count(index + 1)
            expect(page.locator(f"[name=criteria-{index}-name_en]")).to_be_focused()
        page.locator(f"[name=criteria-{index}-name_en]").fill(name)
        page.locator(f"[name=criteria-{index}-name_ja]").fill(f"{name}（日本語）")
        page.locator(f"[name=criteria-{index}-weight]").fill(weight)
        page.locator(f"[name=criteria-{index}-scale_min]").fill("1")
        page.locator(f"[name=criteria-{index}-scale_max]").fill("5")
    page.get_by_role("button", name=add).click()
    expect(rows).to_have_count(max(start, 3) + 1)
    page.locator("#criteria-rows tbody tr:not([hidden])").last.locator(
        "button[name=remove_row]"
    ).click()
    expect(rows).to_have_count(max(start, 3))
    expect(page.locator("[name=criteria-2-name_en]")).to_have_value("Impact")
    assert_no_reload(page)
    assert axe_violations(page) == []

    page.locator("main form button.button:not([name])").last.click()
    expect(page.locator(".message")).to_be_visible()
    assert sorted(Criterion.objects.filter(call=call).values_list("name_en", "weight")) == [
        ("Feasibility", 2),
        ("Impact", 1),
        ("Merit", 3),
    ]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_participant_list_filtered_by_query_string(page, live_server, plan, language):
    approved(plan)
    registered(plan)
    registered(plan, family_name="NGUYEN", nationality="VN", email="an@example.edu.vn")
    plan.lead.preferred_language = language
    plan.lead.save()
    sign_in(page, live_server, plan.lead)
    page.goto(f"{live_server.url}/plans/{plan.pk}/participants/")
    page.locator("form.filters [name=nationality]").select_option("VN")
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(
        f"{live_server.url}/plans/{plan.pk}/participants/?q=&category=&nationality=VN"
    )
    expect(page.locator("table.participants tbody tr")).to_have_count(1)
    expect(page.locator("table.participants tbody")).to_contain_text("NGUYEN")
    assert axe_violations(page) == []
