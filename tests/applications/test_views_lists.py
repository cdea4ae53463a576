"""Lists of plans: the coordinator's own, and staff's list of a call with filters and pages.

Lists are built on `plans_visible_to()`, so a coordinator never sees another institution's
plan, and each list runs the same number of queries however many plans it shows.
Staff do not see drafts (the coordinators' own work) unless they filter by state.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import InvitationPlan, PlanState
from applications.queries import own_plans, with_completeness
from tests.factories import (
    CallFactory,
    CourseFactory,
    InstitutionFactory,
    MembershipFactory,
    PartnerInstitutionFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db
S = PlanState


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in with a password here: spare the many users the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def assert_same_queries_for_more_plans(client, url, django_assert_num_queries, add_plans):
    """Count the queries of `url`, add plans, and require the same count again."""
    client.get(url)  # warm the session and two-factor lookups
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add_plans()
    with django_assert_num_queries(len(one.captured_queries)):
        return client.get(url)


def references(response):
    return {plan.reference for plan in response.context["plans"]}


# Query counts


def test_plan_list_queries_do_not_grow_with_plans(
    client, institution, coordinator, django_assert_num_queries
):
    PlanFactory(host=institution)
    client.force_login(coordinator)
    response = assert_same_queries_for_more_plans(
        client,
        reverse("plan_list"),
        django_assert_num_queries,
        lambda: PlanFactory.create_batch(3, host=institution),
    )
    assert len(response.context["plans"]) == 4


def test_coordinator_dashboard_lists_plans_in_hand_not_ended_ones(client, institution, coordinator):
    in_hand = {
        state: PlanFactory(host=institution, state=state)
        for state in ["draft", "submitted", "approved", "in_progress", "reported"]
    }
    for state in ["rejected", "withdrawn", "closed"]:
        PlanFactory(host=institution, state=state)
    client.force_login(coordinator)
    response = client.get(reverse("coordinator_dashboard"))
    assert {plan.pk for plan in response.context["plans"]} == {p.pk for p in in_hand.values()}


def test_staff_plan_list_queries_do_not_grow_with_plans(
    client, staff_user, django_assert_num_queries
):
    first = PlanFactory(state=S.SUBMITTED)
    client.force_login(staff_user)
    response = assert_same_queries_for_more_plans(
        client,
        reverse("staff_call_plans", args=[first.call_id]),
        django_assert_num_queries,
        lambda: PlanFactory.create_batch(3, call=first.call, state=S.SUBMITTED),
    )
    assert len(response.context["plans"]) == 4


def test_coordinator_dashboard_queries_do_not_grow_with_plans(
    client, institution, coordinator, django_assert_num_queries
):
    PlanFactory(host=institution)
    client.force_login(coordinator)
    response = assert_same_queries_for_more_plans(
        client,
        reverse("coordinator_dashboard"),
        django_assert_num_queries,
        lambda: PlanFactory.create_batch(3, host=institution),
    )
    assert len(response.context["plans"]) == 4


# The coordinator's list


def test_plan_list_shows_only_own_institution_plans(
    client, institution, coordinator, other_coordinator
):
    mine = PlanFactory(host=institution, title_en="Our plan")
    theirs = PlanFactory(host=other_coordinator.institutions.get(), title_en="Their plan")
    client.force_login(coordinator)
    response = client.get(reverse("plan_list"))
    assert references(response) == {mine.reference}
    page = response.content.decode()
    assert "Our plan" in page
    assert theirs.reference not in page
    assert "Their plan" not in page


def test_plan_list_pages_by_25_newest_first(client, institution, coordinator):
    """26 plans: the first page has the 25 newest, the second the oldest; a page past the
    last shows the last; a member of two institutions sees both institutions' plans."""
    plans = [PlanFactory(host=institution, complete=False) for _ in range(25)]
    second_institution = MembershipFactory(user=coordinator).institution
    plans.append(PlanFactory(host=second_institution, complete=False))
    oldest = plans[0]
    InvitationPlan.objects.filter(pk=oldest.pk).update(created_at="2020-01-01T00:00Z")
    client.force_login(coordinator)
    first = client.get(reverse("plan_list"))
    assert len(first.context["plans"]) == 25
    assert oldest.reference not in references(first)
    assert plans[-1].reference in references(first)  # the other institution's, newest
    for page in ("2", "99"):
        assert references(client.get(reverse("plan_list"), {"page": page})) == {oldest.reference}


def test_plan_list_without_plans_says_so(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("plan_list"))
    assert response.status_code == 200
    assert "Your institution has no invitation plans yet." in response.content.decode()


def test_plan_list_says_what_is_still_missing(client, institution, coordinator):
    PlanFactory(host=institution, complete=False)
    client.force_login(coordinator)
    page = client.get(reverse("plan_list")).content.decode()
    assert "Partners and invitees, Itinerary, Budget" in page


# Staff's list of a call


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def courses(call):
    categories = ["undergraduate", "graduate", "escort"]
    course_a = CourseFactory(program=call.program, code="A", eligible_categories=categories)
    course_b = CourseFactory(program=call.program, code="B", eligible_categories=categories)
    call.courses.add(course_a, course_b)
    return course_a, course_b


@pytest.fixture
def plans(call, courses, institution):
    """Three plans of one call, from three institutions in three prefectures, plus a draft."""
    course_a, course_b = courses
    solar = PlanFactory(
        call=call,
        course=course_a,
        host=institution,  # Sakura University of Science, Tokyo (13)
        state=S.SUBMITTED,
        title_en="Perovskite solar cells in practice",
        title_ja="ペロブスカイト太陽電池の実習",
    )
    robots = PlanFactory(
        call=call,
        course=course_b,
        host=InstitutionFactory(
            name_en="Kirishima KOSEN", name_ja="霧島工業高等専門学校", prefecture="46"
        ),
        state=S.UNDER_REVIEW,
        title_en="Robotics for disaster response",
        title_ja="災害対応ロボット工学",
    )
    robots.invitees.update(country="VN")
    rice = PlanFactory(
        call=call,
        course=course_a,
        host=InstitutionFactory(
            name_en="Naniwa Institute of Technology", name_ja="浪速工業大学", prefecture="27"
        ),
        state=S.REVISION_REQUESTED,
        title_en="Rice genomics",
        title_ja="イネのゲノム科学",
    )
    rice.invitees.update(country="IN")
    draft = PlanFactory(call=call, course=course_b, host=institution, title_en="Unfinished")
    PlanFactory(state=S.SUBMITTED, title_en="A plan of another call")
    return {"solar": solar, "robots": robots, "rice": rice, "draft": draft}


@pytest.fixture
def staff_list(client, staff_user, call):
    client.force_login(staff_user)

    def get(**filters):
        response = client.get(reverse("staff_call_plans", args=[call.pk]), filters)
        assert response.status_code == 200
        return response

    return get


def test_staff_list_shows_submitted_plans_of_the_call_without_drafts(staff_list, plans):
    response = staff_list()
    assert references(response) == {plans[name].reference for name in ("solar", "robots", "rice")}
    page = response.content.decode()
    assert "3 plans" in page
    assert "1 draft in preparation" in page
    assert "A plan of another call" not in page


def test_staff_list_shows_drafts_when_filtered_by_draft(staff_list, plans):
    assert references(staff_list(state="draft")) == {plans["draft"].reference}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"state": "under_review"}, {"robots"}),
        ({"state": "revision_requested"}, {"rice"}),
        ({"country": "VN"}, {"robots"}),
        ({"country": "TH"}, {"solar"}),
        ({"host": "kirishima"}, {"robots"}),
        ({"host": "浪速"}, {"rice"}),
        ({"host": "Institute"}, {"rice"}),
        ({"prefecture": "46"}, {"robots"}),
        ({"prefecture": "13"}, {"solar"}),
        ({"q": "ROBOTICS"}, {"robots"}),
        ({"q": "太陽電池"}, {"solar"}),
        ({"q": "genomics"}, {"rice"}),
        ({"prefecture": "13", "state": "draft"}, {"draft"}),
        ({"country": "TH", "host": "kirishima"}, set()),
    ],
    ids=lambda value: (
        "&".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else None
    ),
)
def test_staff_list_filters(staff_list, plans, filters, expected):
    assert references(staff_list(**filters)) == {plans[name].reference for name in expected}


def test_staff_list_filters_by_course(staff_list, plans, courses):
    course_a, course_b = courses
    assert references(staff_list(course=course_a.pk)) == {
        plans["solar"].reference,
        plans["rice"].reference,
    }
    assert references(staff_list(course=course_b.pk)) == {plans["robots"].reference}


def test_staff_list_searches_by_reference(staff_list, plans):
    reference = plans["rice"].reference
    assert references(staff_list(q=reference)) == {reference}
    assert references(staff_list(q=reference.lower())) == {reference}


def test_staff_list_paginates_by_50(staff_list, call, institution, coordinator):
    PlanFactory.create_batch(55, call=call, host=institution, lead=coordinator, complete=False)
    first = staff_list(state="draft")
    assert len(first.context["plans"]) == 50
    assert "Page 1 of 2" in first.content.decode()
    assert "?state=draft&amp;page=2" in first.content.decode()
    second = staff_list(state="draft", page=2)
    assert len(second.context["plans"]) == 5
    assert "Page 2 of 2" in second.content.decode()
    assert references(first).isdisjoint(references(second))


def test_list_figures_are_subqueries_so_the_plans_are_not_grouped(institution):
    """Each figure of with_completeness() is counted per plan beside the row: a join with
    GROUP BY over the whole row took PostgreSQL longer to plan than to run (10 of 12 ms on
    the staff list at ten-year scale)."""
    two = PlanFactory(host=institution)
    two.partners.add(PartnerInstitutionFactory(host=institution, country="VN"))
    none = PlanFactory(host=institution, complete=False)

    plans = with_completeness(InvitationPlan.objects.filter(host=institution))

    assert plans.query.group_by is None
    assert dict(plans.values_list("pk", "partner_count")) == {two.pk: 2, none.pk: 0}


def test_own_plans_of_an_officer_who_is_also_a_member_are_their_institutions(
    institution, coordinator, staff_user
):
    ours = PlanFactory(host=institution)
    PlanFactory()  # another institution's
    MembershipFactory(institution=institution, user=staff_user)

    assert list(own_plans(staff_user)) == [ours]
    assert list(own_plans(coordinator)) == [ours]


def test_list_figures_made_once_serve_every_query(institution, other_coordinator):
    """with_completeness() makes its expressions once per process: each query still counts
    its own plans, whatever was asked before it."""
    ours = PlanFactory(host=institution)
    theirs = PlanFactory(host=other_coordinator.memberships.get().institution, complete=False)
    first = with_completeness(InvitationPlan.objects.filter(pk=ours.pk))
    second = with_completeness(InvitationPlan.objects.filter(pk=theirs.pk)).filter(
        itinerary_count=0
    )

    assert list(second.values_list("pk", "itinerary_count", "budget_total")) == [(theirs.pk, 0, 0)]
    [(pk, items, lines, total)] = first.values_list(
        "pk", "itinerary_count", "budget_count", "budget_total"
    )
    assert (pk, items, lines) == (ours.pk, ours.itinerary.count(), ours.budget.count())
    assert total == sum(line.amount_jpy for line in ours.budget.all()) > 0
