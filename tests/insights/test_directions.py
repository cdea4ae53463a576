"""Course D goes both ways: the dashboards count participants invited to Japan, participants
dispatched abroad and people in online sessions apart, and say which online figure is
attendance and which is still the plan."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Activity, InvitationPlan, PlanState
from insights.domain.figures import Filters, participants_by_country, people_by_direction
from participants.models import Direction
from programs.models import Call, fiscal_year_of
from tests.factories import PlanFactory
from tests.participants.builders import registered
from tests.reports.builders import activity_of, course_d_in_progress

pytestmark = pytest.mark.django_db

ONLINE = Activity.Kind.ONLINE


def register(plan, count, **fields):
    for n in range(count):
        registered(plan, family_name=f"P{n}", email=f"p{n}-{plan.pk}@example.org", **fields)


@pytest.fixture
def course_d(institution, coordinator):
    """2 invited from India and 3 of the host's students dispatched; the first online session
    (30 planned) attended by 11 in Japan and 16 at the partner, the second (30 planned) not
    entered yet."""
    plan = course_d_in_progress(host=institution, lead=coordinator)
    register(plan, 2, nationality="IN", activity=activity_of(plan, Activity.Kind.INVITATION))
    register(
        plan,
        3,
        nationality="JP",
        direction=Direction.DISPATCHED,
        activity=activity_of(plan, Activity.Kind.DISPATCH),
    )
    Activity.objects.filter(pk=activity_of(plan, ONLINE).pk).update(
        attendance_japan=11, attendance_partner=16
    )
    return plan


@pytest.fixture
def course_a(other_coordinator):
    """Another institution's course-A plan with 4 invited participants."""
    plan = PlanFactory(host=other_coordinator.memberships.get().institution)
    InvitationPlan.objects.filter(pk=plan.pk).update(state=PlanState.APPROVED)
    register(plan, 4, nationality="TH")
    return plan


def test_people_counted_by_direction_online_attendance_apart_from_plans(course_d, course_a):
    figures = people_by_direction(InvitationPlan.objects.all())
    assert (figures.invited, figures.dispatched) == (2 + 4, 3)
    assert (figures.online_attended, figures.sessions_attended) == (11 + 16, 1)
    assert (figures.online_planned, figures.sessions_planned) == (30, 1)


def test_a_drafts_online_sessions_are_not_counted(course_d, institution, coordinator):
    draft = course_d_in_progress(call=course_d.call, course=course_d.course)
    InvitationPlan.objects.filter(pk=draft.pk).update(state=PlanState.DRAFT)
    figures = people_by_direction(InvitationPlan.objects.all())
    assert (figures.online_attended, figures.online_planned) == (27, 30)


def test_people_by_direction_takes_two_queries_however_many_plans(
    course_d, institution, coordinator, django_assert_num_queries
):
    with django_assert_num_queries(2):
        people_by_direction(InvitationPlan.objects.all())
    course_d_in_progress(call=course_d.call, course=course_d.course)
    with django_assert_num_queries(2):
        figures = people_by_direction(InvitationPlan.objects.all())
    assert figures.sessions_planned == 3


def test_participants_by_country_counts_only_those_invited_to_japan(course_d, course_a):
    rows = {row.label: row.value for row in participants_by_country(Filters()).rows}
    assert rows == {"India": 2, "Thailand": 4}  # the 3 dispatched from Japan are not here


def test_insights_dashboard_shows_the_directions(client, staff_user, course_d, course_a):
    client.force_login(staff_user)
    html = client.get(reverse("insights_dashboard")).content.decode()
    section = html.split('id="directions-heading"')[1].split("</section>")[0]
    assert 'Invited to Japan (registered participants)</th><td class="num">6<' in section
    assert (
        'Dispatched abroad from Japan (registered participants)</th><td class="num">3<' in section
    )
    assert 'Online: attended, both sides (1 session)</th><td class="num">27<' in section
    assert (
        'Online: planned, attendance not entered yet (1 session)</th><td class="num">30<' in section
    )


def test_staff_dashboard_shows_the_fiscal_years_directions(client, staff_user, course_d, course_a):
    year = fiscal_year_of(timezone.localdate())
    InvitationPlan.objects.update(call=course_d.call)
    Call.objects.filter(pk=course_d.call.pk).update(fiscal_year=year)
    client.force_login(staff_user)
    html = client.get(reverse("staff_dashboard")).content.decode()
    assert f"Who took part in fiscal year {year}" in html
    assert 'Invited to Japan (registered participants)</th><td class="num">6<' in html
    assert 'Dispatched abroad from Japan (registered participants)</th><td class="num">3<' in html


def test_coordinator_dashboard_counts_only_their_plans(client, coordinator, course_d, course_a):
    client.force_login(coordinator)
    html = client.get(reverse("coordinator_dashboard")).content.decode()
    section = html.split('id="directions-heading"')[1].split("</section>")[0]
    assert 'Invited to Japan (registered participants)</th><td class="num">2<' in section
    assert (
        'Dispatched abroad from Japan (registered participants)</th><td class="num">3<' in section
    )
    assert 'Online: attended, both sides (1 session)</th><td class="num">27<' in section
