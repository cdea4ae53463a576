"""A section's form sent by htmx (its page marks it hx-boost) gets the section's page as saved
in the same answer: "Saved.", the saved values and the plan's next version in the form, so
that the next save goes through, without the redirect a plain form gets (one request instead
of two: the page shows the plan as the edit left it, its rows read anew). A plain form is
still redirected: reloading the page does not send it again."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import InvitationPlan
from tests.factories import PlanFactory

from .view_helpers import (
    basics_data,
    budget_data,
    budget_rows,
    hidden_version,
    invitees_data,
    item_data,
)

pytestmark = pytest.mark.django_db
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}


@pytest.fixture
def plan(institution, coordinator):
    return PlanFactory(host=institution, lead=coordinator)


def basics(plan, title):
    return "plan_edit_basics", basics_data(plan, title_en=title)


def budget(plan, note):
    rows = budget_rows(plan)
    rows[0]["note"] = note
    return "plan_edit_budget", budget_data(plan, rows)


def partners(plan, _text):
    return "plan_edit_partners", invitees_data(plan)


@pytest.mark.parametrize("section", [basics, budget, partners])
def test_the_sections_form_is_marked_for_htmx_to_send(client, plan, section):
    client.force_login(plan.lead)
    name, _data = section(plan, "")

    page = client.get(reverse(name, args=[plan.pk])).content.decode()

    assert re.search(r'<form method="post" novalidate hx-boost="true" hx-push-url="false">', page)


@pytest.mark.parametrize("section", [basics, budget, partners])
def test_a_boosted_save_answers_the_page_as_saved_and_the_next_save_goes_through(
    client, plan, section
):
    client.force_login(plan.lead)
    name, data = section(plan, "First")
    url = reverse(name, args=[plan.pk])

    response = client.post(url, data, headers=BOOSTED)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page and 'class="message success"' in page and "Saved." in page
    assert hidden_version(response) == plan.version + 1
    # The next save, from the page that came back, is not refused as stale.
    _name, again = section(InvitationPlan.objects.get(pk=plan.pk), "Second")
    second = client.post(url, {**again, "plan_version": hidden_version(response)}, headers=BOOSTED)
    assert second.status_code == 200
    assert hidden_version(second) == plan.version + 2


def test_the_page_shows_what_was_saved(client, plan):
    client.force_login(plan.lead)
    name, data = basics(plan, "Hands-on perovskite solar cells")

    response = client.post(reverse(name, args=[plan.pk]), data, headers=BOOSTED)

    page = response.content.decode()
    assert re.search(r"<h1>[^<]*<span class=\"muted\">Hands-on perovskite solar cells</span>", page)
    assert 'value="Hands-on perovskite solar cells"' in page
    assert InvitationPlan.objects.get(pk=plan.pk).title_en == "Hands-on perovskite solar cells"


def test_the_budget_comes_back_with_the_total_of_the_lines_as_saved(client, plan):
    client.force_login(plan.lead)
    rows = budget_rows(plan)
    rows[0]["unit_cost_jpy"] = 123_457
    expected = sum(int(row["unit_cost_jpy"]) * int(row["quantity"]) for row in rows)

    response = client.post(
        reverse("plan_edit_budget", args=[plan.pk]), budget_data(plan, rows), headers=BOOSTED
    )

    assert f"<strong>¥{expected:,}</strong>" in response.content.decode()


def test_a_plain_form_is_still_redirected_to_its_page(client, plan):
    client.force_login(plan.lead)
    name, data = basics(plan, "Plain")
    url = reverse(name, args=[plan.pk])

    response = client.post(url, data)

    assert response.status_code == 302
    assert response.url == url


def test_a_form_not_saved_in_place_is_redirected_even_when_sent_boosted(client, plan):
    """Only the sections whose forms htmx sends answer with their page; an itinerary item's
    own form, sent with htmx's headers all the same, goes back to the itinerary."""
    item = plan.itinerary.first()
    client.force_login(plan.lead)
    url = reverse("plan_itinerary_item", args=[plan.pk, item.pk])
    data = item_data(plan, day=item.day.isoformat(), title_en="Keynote")

    response = client.post(url, data, headers=BOOSTED)

    assert response.status_code == 302
    assert response.url == reverse("plan_edit_itinerary", args=[plan.pk])
    item.refresh_from_db()
    assert item.title_en == "Keynote"


def test_a_boosted_form_with_errors_comes_back_as_a_page_with_them(client, plan):
    client.force_login(plan.lead)
    name, data = basics(plan, "Kept")

    response = client.post(
        reverse(name, args=[plan.pk]), {**data, "arrival_on": "2027-13-45"}, headers=BOOSTED
    )

    assert response.status_code == 400  # htmx swaps it in (base.html's responseHandling)
    page = response.content.decode()
    assert "<html" in page and 'class="error-summary"' in page and 'value="Kept"' in page


def test_a_boosted_save_of_another_institutions_plan_is_not_found(client, plan, other_coordinator):
    client.force_login(other_coordinator)
    name, data = basics(plan, "Not mine")

    response = client.post(reverse(name, args=[plan.pk]), data, headers=BOOSTED)

    assert response.status_code == 404
    assert InvitationPlan.objects.get(pk=plan.pk).title_en != "Not mine"


def queries(client, *requests):
    with CaptureQueriesContext(connection) as captured:
        for request in requests:
            request()
    return len(captured.captured_queries)


def test_a_boosted_save_asks_less_of_the_database_than_a_save_and_its_redirect(client, plan):
    client.force_login(plan.lead)
    url = reverse("plan_edit_basics", args=[plan.pk])
    client.get(url)

    def plain():
        fresh = InvitationPlan.objects.get(pk=plan.pk)
        client.get(client.post(url, basics_data(fresh, title_en="Plain")).url)

    def boosted():
        fresh = InvitationPlan.objects.get(pk=plan.pk)
        client.post(url, basics_data(fresh, title_en="Boosted"), headers=BOOSTED)

    with CaptureQueriesContext(connection) as reading:
        InvitationPlan.objects.get(pk=plan.pk)
    read_plan = len(reading.captured_queries)
    # The same save and page, without the second request's session, user, roles and plan.
    assert queries(client, boosted) < queries(client, plain) - read_plan


def test_a_boosted_save_reads_the_plan_only_to_check_and_to_lock_it(client, plan):
    """The page that comes back shows the plan object the edit saved: no third read."""
    client.force_login(plan.lead)
    name, data = basics(plan, "Read twice")

    with CaptureQueriesContext(connection) as captured:
        client.post(reverse(name, args=[plan.pk]), data, headers=BOOSTED)

    reads = [
        q["sql"]
        for q in captured.captured_queries
        if re.match(r'SELECT .* FROM "applications_invitationplan" ', q["sql"])
    ]
    assert len(reads) == 2
    assert "FOR UPDATE" in reads[1]


def test_an_itinerary_item_added_with_htmx_reads_the_plan_with_what_its_checks_need(client, plan):
    """The part of the page that comes back shows the plan as the edit left it, read with its
    call, course and program: the checks ask nothing of those tables on their own."""
    client.force_login(plan.lead)
    url = reverse("plan_edit_itinerary", args=[plan.pk])
    data = {
        "plan_version": plan.version,
        "day": plan.arrival_on.isoformat(),
        "start_time": "10:00",
        "end_time": "11:00",
        "kind": "lecture",
        "title_en": "Added in place",
        "place": "Lab 3",
    }

    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data, headers={"HX-Request": "true", "HX-Target": "itinerary"})

    assert response.status_code == 200
    assert "Item added: Added in place." in response.content.decode()
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    for table in ("programs_call", "programs_course", "programs_program"):
        assert not [sql for sql in selects if re.search(rf'\bFROM "{table}"', sql)], table
    items = [
        sql
        for sql in selects
        if re.search(r'\bFROM "applications_itineraryitem"', sql) and "COUNT(*)" not in sql
    ]
    assert len(items) == 1  # the days shown and the checks: one read (the count: its place)


def test_the_pages_forms_carry_one_csrf_token_that_a_save_is_accepted_with(plan):
    """The header's forms (language, sign out) and the section's share the page's token,
    masked once; the server takes it."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(plan.lead)
    url = reverse("plan_edit_basics", args=[plan.pk])

    page = client.get(url).content.decode()

    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) >= 3 and len(set(tokens)) == 1
    _name, data = basics(plan, "With the page's token")
    response = client.post(url, {**data, "csrfmiddlewaretoken": tokens[0]}, headers=BOOSTED)
    assert response.status_code == 200
    assert InvitationPlan.objects.get(pk=plan.pk).title_en == "With the page's token"
