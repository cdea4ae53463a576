"""The criteria of a call's review set-up get "Add a row" and "Remove" in place, like budget
lines: nothing is saved until Save; with htmx only the criteria table comes back, checked for
permission exactly like the page; once a review uses the criteria there are no row buttons and
a row button POSTed anyway changes nothing."""

import pytest
from django.urls import reverse

from reviews.models import Criterion
from tests.factories import CallFactory

from .test_views_staff import criterion_row, setup_data
from .view_helpers import (
    criteria_of,
    page,
    reviewer_with_two_factor,
    submitted_plan,
    submitted_review,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def call(db):
    return CallFactory()


def setup_url(call):
    return reverse("review_setup", args=[call.pk])


def test_add_a_criterion_row_with_htmx_answers_only_the_table(client, call, staff_user):
    client.force_login(staff_user)
    data = setup_data(call, rows=[criterion_row("Merit", weight=3)]) | {"add_row": "criteria"}

    response = client.post(setup_url(call), data, headers=HTMX)

    assert response.status_code == 200
    html = page(response)
    assert "<html" not in html
    assert html.strip().startswith('<div id="criteria-rows">')
    assert 'name="criteria-TOTAL_FORMS" value="2"' in html
    assert 'name="criteria-0-name_en" value="Merit"' in html  # typed input kept
    assert "data-new-row" in html.split('name="criteria-1-name_en"')[0].rsplit("<tr", 1)[1]
    assert not Criterion.objects.filter(call=call).exists()  # nothing saved


def test_add_a_criterion_row_without_javascript_answers_the_whole_page(client, call, staff_user):
    client.force_login(staff_user)
    data = setup_data(call, rows=[criterion_row("Merit")]) | {"add_row": "criteria"}

    response = client.post(setup_url(call), data)

    html = page(response)
    assert response.status_code == 200
    assert "<html" in html
    assert 'name="criteria-TOTAL_FORMS" value="2"' in html
    assert not Criterion.objects.filter(call=call).exists()


def test_remove_a_criterion_in_place_then_save_deletes_it(client, call, staff_user):
    client.force_login(staff_user)
    merit, feasibility = criteria_of(call)

    response = client.post(
        setup_url(call), setup_data(call) | {"remove_row": "criteria-1"}, headers=HTMX
    )
    assert '<input type="hidden" name="criteria-1-DELETE" value="on">' in page(response)
    assert Criterion.objects.filter(call=call).count() == 2  # nothing saved yet

    saved = setup_data(call) | {"criteria-1-DELETE": "on"}
    assert client.post(setup_url(call), saved).status_code == 302
    assert list(Criterion.objects.filter(call=call)) == [merit]


def test_locked_criteria_have_no_row_buttons_and_stay_as_they_are(client, call, staff_user):
    client.force_login(staff_user)
    merit, feasibility = criteria_of(call)
    submitted_review(
        submitted_plan(call=call),
        reviewer_with_two_factor(),
        staff_user,
        {
            merit: 4,
            feasibility: 3,
        },
    )
    before = list(Criterion.objects.filter(call=call).values())

    html = page(client.get(setup_url(call)))
    assert 'name="add_row"' not in html
    assert 'name="remove_row"' not in html

    for button in ({"add_row": "criteria"}, {"remove_row": "criteria-0"}):
        response = client.post(setup_url(call), setup_data(call) | button, headers=HTMX)
        assert response.status_code == 302  # an ordinary save of the set-up
    assert list(Criterion.objects.filter(call=call).values()) == before


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_a_coordinator_cannot_add_criteria_rows(client, call, coordinator, headers):
    client.force_login(coordinator)
    data = setup_data(call) | {"add_row": "criteria"}
    response = client.post(setup_url(call), data, headers=headers)
    assert response.status_code in (403, 404)
    assert "criteria-rows" not in page(response)


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_a_reviewer_cannot_add_criteria_rows(client, call, reviewer, headers):
    client.force_login(reviewer)
    response = client.post(
        setup_url(call), setup_data(call) | {"add_row": "criteria"}, headers=headers
    )
    assert response.status_code in (403, 404)
