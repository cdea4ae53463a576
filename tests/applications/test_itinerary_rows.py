"""Itinerary items added and deleted in place. With htmx (HX-Request) the add form, a row's
"Delete" and the copy-day form answer only the itinerary (the "items" partial): the days, a
fresh add form carrying the plan's new version, and the copy form; errors come back at their
field with the input kept. Without JavaScript the same POSTs work as before, a whole page.
Partials are checked for permission exactly like the page."""

from datetime import date

import pytest
from django.urls import reverse

from applications.models import InvitationPlan, ItineraryItem, PlanState
from tests.factories import MembershipFactory, PlanFactory

from .test_views_editor import add_item
from .view_helpers import STALE_MESSAGE, basics_data, item_data, snapshot

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(institution, coordinator):
    return PlanFactory(host=institution, lead=coordinator)


def itinerary_url(plan):
    return reverse("plan_edit_itinerary", args=[plan.pk])


def item_url(plan, item):
    return reverse("plan_itinerary_item", args=[plan.pk, item.pk])


def test_add_an_item_in_place_answers_the_days_and_a_fresh_form(client, plan):
    client.force_login(plan.lead)
    opened_at = plan.version

    response = client.post(
        itinerary_url(plan), item_data(plan, title_en="Visit to the synchrotron"), headers=HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<div id="itinerary">')
    assert "Visit to the synchrotron" in html  # in the day's table
    assert 'value="Visit to the synchrotron"' not in html  # the add form is empty again
    assert "Item added: Visit to the synchrotron." in html  # said in the status region
    # The forms carry the new version: the next item added in place is not refused.
    assert f'name="plan_version" value="{opened_at + 1}"' in html
    assert 'value="2027-01-11"' in html  # the day just used stays chosen
    plan.refresh_from_db()
    assert plan.version == opened_at + 1
    second = client.post(itinerary_url(plan), item_data(plan, title_en="Lab"), headers=HTMX)
    assert "Item added: Lab." in second.content.decode()
    assert plan.itinerary.filter(title_en__in=["Visit to the synchrotron", "Lab"]).count() == 2


def test_add_an_item_without_javascript_still_saves_and_reloads(client, plan):
    client.force_login(plan.lead)
    response = client.post(itinerary_url(plan), item_data(plan, title_en="Lab"))
    assert response.status_code == 302
    assert response.url == itinerary_url(plan)
    assert plan.itinerary.filter(title_en="Lab").exists()


def test_an_item_in_place_with_an_error_keeps_the_input_at_the_field(client, plan):
    client.force_login(plan.lead)
    before = snapshot(plan)

    response = client.post(
        itinerary_url(plan),
        item_data(plan, title_en="Late lecture", start_time="14:00", end_time="13:00"),
        headers=HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps only successful answers
    assert html.strip().startswith('<div id="itinerary">')
    assert 'value="Late lecture"' in html
    end = html.split('name="end_time"')[1].split(">")[0]
    assert 'value="13:00"' in end
    assert 'aria-describedby="id_end_time_error"' in end  # the error is at its field
    assert (
        '<ul class="errorlist" id="id_end_time_error"><li>The end must be after the start.' in html
    )
    assert snapshot(plan) == before


def test_a_stale_item_in_place_is_refused_with_the_input_kept(client, plan, coordinator):
    opened_at = plan.version
    client.force_login(coordinator)
    client.post(reverse("plan_edit_basics", args=[plan.pk]), basics_data(plan, title_en="New"))
    after = snapshot(plan)

    response = client.post(
        itinerary_url(plan),
        item_data(plan, version=opened_at, title_en="Visit to the synchrotron"),
        headers=HTMX,
    )

    html = response.content.decode()
    assert STALE_MESSAGE in html
    assert 'value="Visit to the synchrotron"' in html
    assert snapshot(plan) == after


def test_delete_an_item_in_place(client, plan):
    client.force_login(plan.lead)
    item = plan.itinerary.first()
    opened_at = plan.version

    response = client.post(
        item_url(plan, item), {"plan_version": opened_at, "delete": "1"}, headers=HTMX
    )

    html = response.content.decode()
    assert html.strip().startswith('<div id="itinerary">')
    assert f"Item deleted: {item.title_en}." in html
    assert not ItineraryItem.objects.filter(pk=item.pk).exists()
    assert f'name="plan_version" value="{opened_at + 1}"' in html


def test_delete_without_javascript_goes_back_to_the_itinerary(client, plan):
    client.force_login(plan.lead)
    item = plan.itinerary.first()
    response = client.post(item_url(plan, item), {"plan_version": plan.version, "delete": "1"})
    assert response.status_code == 302
    assert response.url == itinerary_url(plan)
    assert not ItineraryItem.objects.filter(pk=item.pk).exists()


def test_a_stale_delete_in_place_is_refused_and_shows_the_current_days(client, plan):
    client.force_login(plan.lead)
    item = plan.itinerary.first()
    response = client.post(
        item_url(plan, item), {"plan_version": plan.version - 1, "delete": "1"}, headers=HTMX
    )
    assert STALE_MESSAGE in response.content.decode()
    assert ItineraryItem.objects.filter(pk=item.pk).exists()


def test_the_itinerary_page_offers_delete_in_place_on_every_row(client, plan):
    client.force_login(plan.lead)
    html = client.get(itinerary_url(plan)).content.decode()
    for item in plan.itinerary.all():
        assert f'hx-post="{item_url(plan, item)}"' in html
    assert html.count('name="delete"') == plan.itinerary.count()


def test_copy_a_day_in_place(client, plan):
    client.force_login(plan.lead)
    plan.itinerary.all().delete()
    add_item(plan, date(2027, 1, 11), "Lecture", 0)
    plan.refresh_from_db()
    response = client.post(
        reverse("plan_itinerary_copy_day", args=[plan.pk]),
        {"plan_version": plan.version, "from_day": "2027-01-11", "to_day": "2027-01-12"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert html.strip().startswith('<div id="itinerary">')
    assert "1 item copied." in html
    assert plan.itinerary.filter(day=date(2027, 1, 12), title_en="Lecture").exists()


def test_the_copy_day_source_has_its_own_label(client, plan):
    client.force_login(plan.lead)
    html = client.get(itinerary_url(plan)).content.decode()
    assert '<label for="id_from_day">Day to copy from' in html
    assert '<label for="id_to_day">Day to copy to' in html
    assert html.count(">Copy the day<") == 1  # the button alone says it


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_another_institutions_coordinator_cannot_add_or_delete_in_place(
    client, plan, other_coordinator, headers
):
    client.force_login(other_coordinator)
    before = snapshot(plan)
    item = plan.itinerary.first()
    add = client.post(itinerary_url(plan), item_data(plan), headers=headers)
    delete = client.post(
        item_url(plan, item), {"plan_version": plan.version, "delete": "1"}, headers=headers
    )
    assert (add.status_code, delete.status_code) == (404, 404)
    assert snapshot(plan) == before


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_a_colleague_who_is_not_an_editor_cannot_add_in_place(client, plan, headers):
    reader = MembershipFactory(institution=plan.host).user
    client.force_login(reader)
    before = snapshot(plan)
    response = client.post(itinerary_url(plan), item_data(plan), headers=headers)
    assert response.status_code in (403, 404)
    assert snapshot(plan) == before


@pytest.mark.parametrize(
    "url", [itinerary_url, lambda plan: reverse("plan_edit_budget", args=[plan.pk])]
)
def test_a_plan_no_longer_editable_sends_the_whole_browser_to_the_plan(client, plan, url):
    """A colleague submitted the plan meanwhile: an in-place request does not put the plan page
    inside the itinerary; htmx is told to go to the plan page, which says why."""
    InvitationPlan.objects.filter(pk=plan.pk).update(state=PlanState.SUBMITTED)
    client.force_login(plan.lead)
    before = snapshot(plan)

    response = client.post(url(plan), item_data(plan) | {"add_row": "budget"}, headers=HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("plan_detail", args=[plan.pk])
    assert snapshot(plan) == before
