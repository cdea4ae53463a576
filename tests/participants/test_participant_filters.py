"""The participant lists filter through django-filter by query string. A plan's participant
list: `q` finds part of a name (family, given, or in native script), `category` and
`nationality` narrow it, `page` pages the result keeping the filters; places taken still
count everyone. The staff's alumni list keeps its `q` (family or given name) as before.
Filters never show another plan's people, and the lists' queries do not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.domain.alumni import link_alumni
from participants.models import Alumnus
from tests.factories import CallFactory, PlanFactory

from .builders import approved, approved_plan, registered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(institution):
    """An approved plan with a Thai graduate, a Vietnamese undergraduate and a Thai escort."""
    plan = approved(PlanFactory(host=institution))
    registered(plan)  # SAETANG Somchai, สมชาย แซ่ตั้ง, TH, graduate
    registered(
        plan,
        family_name="NGUYEN",
        given_name="Van An",
        native_name="Nguyễn Văn An",
        nationality="VN",
        category="undergraduate",
        email="an@example.edu.vn",
    )
    registered(
        plan,
        family_name="CHAIYAPORN",
        given_name="Malee",
        native_name="มาลี ชัยพร",
        category="escort",
        email="malee@example.ac.th",
    )
    return plan


def names(client, plan, **query):
    response = client.get(reverse("participant_list", args=[plan.pk]), query)
    assert response.status_code == 200
    return [p.family_name for p in response.context["participants"]]


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_no_filter_lists_everyone(signed_in, plan):
    assert names(signed_in, plan) == ["CHAIYAPORN", "NGUYEN", "SAETANG"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"q": "saet"}, ["SAETANG"]),  # family name, any case
        ({"q": "van"}, ["NGUYEN"]),  # given name
        ({"q": "มาลี"}, ["CHAIYAPORN"]),  # name in native script
        ({"q": "  nguyen  "}, ["NGUYEN"]),  # spaces around are ignored
        ({"category": "escort"}, ["CHAIYAPORN"]),
        ({"nationality": "VN"}, ["NGUYEN"]),
        ({"nationality": "TH", "category": "graduate"}, ["SAETANG"]),
        ({"q": "", "category": "", "nationality": ""}, ["CHAIYAPORN", "NGUYEN", "SAETANG"]),
        ({"q": "nobody"}, []),
    ],
)
def test_each_filter_works_by_query_string(signed_in, plan, query, expected):
    assert names(signed_in, plan, **query) == expected


def test_an_unknown_choice_or_parameter_leaves_the_list_unfiltered(signed_in, plan):
    assert names(signed_in, plan, category="astronaut", colour="red") == [
        "CHAIYAPORN",
        "NGUYEN",
        "SAETANG",
    ]


def test_places_taken_count_everyone_while_a_filter_shows_some(signed_in, plan):
    response = signed_in.get(reverse("participant_list", args=[plan.pk]), {"nationality": "TH"})
    html = response.content.decode()
    assert "3 of 5 places taken" in html
    assert "2 of 3 participants shown." in html
    assert 'value="TH" selected' in html  # the filter stays chosen


def test_a_filter_never_shows_another_plans_participants(signed_in, plan, institution):
    other = approved(PlanFactory(host=institution))
    registered(other, family_name="SAETANG", given_name="Other", email="o@example.ac.th")
    assert names(signed_in, plan, q="saetang") == ["SAETANG"]
    assert len(names(signed_in, plan, q="saetang")) == 1


def test_pages_keep_the_filters(signed_in, institution):
    plan = approved(PlanFactory(host=institution))
    for n in range(51):
        registered(plan, family_name=f"PERSON{n:02}", email=f"p{n}@example.ac.th")
    registered(plan, family_name="OUTSIDER", category="escort", email="x@example.ac.th")
    first = signed_in.get(reverse("participant_list", args=[plan.pk]), {"category": "graduate"})
    assert 'href="?category=graduate&amp;page=2"' in first.content.decode()
    assert names(signed_in, plan, category="graduate", page="2") == ["PERSON50"]


def test_filtered_list_queries_do_not_grow(signed_in, plan, django_assert_num_queries):
    address = reverse("participant_list", args=[plan.pk])
    query = {"nationality": "TH"}
    signed_in.get(address, query)
    with CaptureQueriesContext(connection) as two:
        signed_in.get(address, query)
    for n in range(3):
        registered(plan, family_name=f"PERSON{n}", email=f"p{n}@example.ac.th")
    with django_assert_num_queries(len(two.captured_queries)):
        assert len(signed_in.get(address, query).context["participants"]) == 5


@pytest.mark.parametrize("who", ["other_coordinator", "reviewer"])
def test_filters_are_no_way_into_someone_elses_list(client, plan, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("participant_list", args=[plan.pk]), {"q": "saet"})
    assert response.status_code == 404


# The staff's alumni list


def test_alumni_list_filters_by_name_as_before(client, staff_user):
    for fiscal_year, family_name in [(2025, "SAETANG"), (2026, "NGUYEN")]:
        registered(
            approved_plan(call=CallFactory(fiscal_year=fiscal_year)),
            family_name=family_name,
            email=f"{family_name}@example.org",
        )
    link_alumni()
    client.force_login(staff_user)

    def shown(**query):
        response = client.get(reverse("alumni_list"), query)
        return [alumnus.family_name for alumnus in response.context["alumni"]]

    assert shown() == ["NGUYEN", "SAETANG"]
    assert shown(q="saet") == ["SAETANG"]
    assert shown(q="somchai") == ["NGUYEN", "SAETANG"]  # the given name of both
    assert shown(q="  ") == ["NGUYEN", "SAETANG"]
    html = client.get(reverse("alumni_list"), {"q": "saet"}).content.decode()
    assert 'name="q" value="saet"' in html
    assert Alumnus.objects.count() == 2
