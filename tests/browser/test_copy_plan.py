"""In Chromium, in English and Japanese: a coordinator starts a plan for a new call as a copy
of last year's, with a new arrival date; the copy arrives and leaves on the moved days and
every itinerary day moved by the same 22 days. Axe finds nothing on the New plan page."""

import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from applications.models import InvitationPlan
from programs.models import Call
from tests.browser.signing_in import sign_in
from tests.factories import CallFactory, CourseFactory, PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CREATE = {"en": "Create the draft", "ja": "下書きを作成"}
NEW_DATE = {"en": "New arrival date of the copy", "ja": "コピーの新しい来日日"}


def axe_violations(page):
    return [violation["id"] for violation in Axe().run(page).response["violations"]]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_copy_with_a_new_arrival_date_moves_the_itinerary(
    page, live_server, institution, coordinator, language
):
    coordinator.preferred_language = language
    coordinator.save()
    # Last year's plan: arrives 2027-01-10, leaves 2027-01-16, items on the 10th to 12th.
    source = PlanFactory(
        host=institution, lead=coordinator, call=CallFactory(status=Call.Status.DECIDED)
    )
    call = CallFactory(fiscal_year=2027, round=1)
    course = CourseFactory(program=call.program, code="A")
    call.courses.add(course)

    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/plans/new/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("[name=call_course]").select_option(f"{call.pk}-{course.pk}")
    page.locator("[name=copy_of]").select_option(str(source.pk))
    arrival = page.get_by_label(NEW_DATE[language])
    expect(arrival).to_have_attribute("aria-describedby", re.compile("helptext"))
    arrival.fill("2027-02-01")  # 22 days after 2027-01-10
    assert axe_violations(page) == []
    page.get_by_role("button", name=CREATE[language]).click()

    expect(page.locator("[name=arrival_on]")).to_have_value("2027-02-01")
    expect(page.locator("[name=departure_on]")).to_have_value("2027-02-07")
    copy = InvitationPlan.objects.get(call=call)
    page.goto(f"{live_server.url}/plans/{copy.pk}/edit/itinerary/")
    expect(page.locator("section.day")).to_have_count(3)
    for index, day in enumerate(["2027-02-01", "2027-02-02", "2027-02-03"]):
        expect(page.locator("section.day").nth(index)).to_have_attribute("id", f"day-{day}")
    assert list(copy.itinerary.values_list("day", flat=True)) == [
        date(2027, 2, 1),
        date(2027, 2, 2),
        date(2027, 2, 3),
    ]
    assert source.itinerary.first().day == date(2027, 1, 10)
