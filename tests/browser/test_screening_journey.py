"""In Chromium: the host sees a partner's End User List match on the plan's screening section
and answers the pre-check; staff resolve the match, with the reason shown to the host."""

from datetime import date

import pytest
from playwright.sync_api import expect

from institutions.domain.partners import save_partner
from institutions.models import PartnerInstitution
from screening.domain.lists import FICTIONAL_LIST, upload_list
from screening.models import ScreeningAnswers, ScreeningMatch
from tests.browser.test_review_journey import sign_in
from tests.conftest import with_two_factor
from tests.factories import PlanFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def screening_world(db):
    upload_list(
        FICTIONAL_LIST.name,
        FICTIONAL_LIST.read_bytes(),
        version="TEST-1",
        published_on=date(2026, 1, 1),
        by=None,
    )
    plan = PlanFactory(lead=UserFactory(email="host@example.org"))
    ScreeningAnswers.objects.filter(plan=plan).delete()
    partner = save_partner(
        PartnerInstitution(
            host=plan.host,
            name="Zefyria Institute of Advanced Propulsión",
            country="IN",
            kind="research_institute",
        )
    )
    plan.partners.add(partner)
    plan.host.memberships.create(user=plan.lead, role="administrator")
    with_two_factor(UserFactory(is_staff=True, email="officer@example.org"))
    return plan


def test_host_answers_the_screening_and_staff_resolve_the_match(
    browser, live_server, screening_world
):
    plan = screening_world
    host = sign_in(browser.new_context(), live_server, "host@example.org", two_factor=False)

    host.goto(f"{live_server.url}/plans/{plan.pk}/")
    host.get_by_role("link", name="Export-control screening").click()
    row = host.locator("table.screening-matches tbody tr")
    expect(row).to_contain_text("Zephyria Institute of Advanced Propulsion")
    expect(row).to_contain_text("Unresolved: approval waits for staff.")
    host.get_by_role(
        "group",
        name="Is any partner institution or invitee tied to an entity on the End User List?",
    ).get_by_label("Yes", exact=True).check()
    host.get_by_role(
        "group", name="Will technology listed under the export control regulations be provided?"
    ).get_by_label("No", exact=True).check()
    host.get_by_role("group", name="Is any invitee in the “specific category”").get_by_label(
        "No", exact=True
    ).check()
    host.get_by_label("Explanation").fill("The partner's name is close to a listed entity.")
    host.get_by_role("button", name="Save the answers").click()
    expect(host.get_by_text("The screening answers were saved.")).to_be_visible()
    assert ScreeningAnswers.objects.get(plan=plan).tied_to_listed_entity == "yes"

    staff = sign_in(browser.new_context(), live_server, "officer@example.org", two_factor=True)
    staff.goto(f"{live_server.url}/staff/screening/")
    staff.get_by_role("link", name="Resolve Zefyria Institute of Advanced Propulsión").click()
    expect(staff.get_by_text(plan.reference)).to_be_visible()
    staff.get_by_label("Resolution").fill("A different institute; checked with the host.")
    staff.get_by_role("button", name="Record the resolution").click()
    expect(staff.get_by_text("The match was resolved.")).to_be_visible()
    assert ScreeningMatch.objects.get().resolution == (
        "A different institute; checked with the host."
    )

    host.reload()
    expect(host.locator("table.screening-matches tbody tr")).to_contain_text(
        "A different institute; checked with the host."
    )
