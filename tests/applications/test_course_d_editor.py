"""The coordinator's editor for a plan made of activities (course D), through its pages.

The factory's plan: an invitation (2027-01-12..21), a dispatch (2027-02-08..17) and online
sessions on 2027-01-28 (India) and 2027-03-01 (Egypt), each 17:00–19:00 Japan time.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from applications.domain.editing import create_plan
from applications.domain.states import submit_plan
from applications.models import Activity, BudgetLine, InvitationPlan, PlannedInvitees
from tests.factories import CourseDPlanFactory, PlanFactory

pytestmark = pytest.mark.django_db
JAPAN = ZoneInfo("Asia/Tokyo")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(institution):
    return CourseDPlanFactory(host=institution)


def activity_data(plan, **changes):
    data = {
        "plan_version": plan.version,
        "kind": "invitation",
        "title_en": "Spring school in Japan",
        "title_ja": "春の学校",
        "starts_on": "2027-03-02",
        "ends_on": "2027-03-08",
        "start_time": "",
        "end_time": "",
        "partner": plan.partners.get(country="EG").pk,
        "country": "",
        "time_zone": "",
        "people": "4",
    }
    data.update(changes)
    return data


def add(client, plan, **changes):
    return client.post(
        reverse("plan_edit_activities", args=[plan.pk]), activity_data(plan, **changes)
    )


def test_activities_page_lists_them_with_online_times_in_both_zones(client, plan):
    client.force_login(plan.lead)
    page = client.get(reverse("plan_edit_activities", args=[plan.pk])).content.decode()
    assert "Water lab training in Japan" in page
    assert "2027-01-12 – 2027-01-21" in page
    assert "2027-01-28 17:00–19:00 JST (13:30–15:30 IST)" in page
    assert "2027-03-01 17:00–19:00 JST (10:00–12:00 EET)" in page
    assert "¥1,140,000" in page  # the invitation's lines: ¥600,000 + ¥540,000


def test_adding_an_activity_keeps_the_stay_as_the_span_of_all(client, plan):
    client.force_login(plan.lead)
    response = add(client, plan, ends_on="2027-03-08")
    assert response.status_code == 302
    plan.refresh_from_db()
    added = plan.activities.get(title_en="Spring school in Japan")
    assert (added.country.code, added.time_zone) == ("EG", "Africa/Cairo")  # from the partner
    assert (plan.arrival_on, plan.departure_on) == (date(2027, 1, 12), date(2027, 3, 8))
    assert plan.version == 2


def test_removing_an_activity_shrinks_the_span(client, plan):
    client.force_login(plan.lead)
    last = plan.activities.get(starts_on=date(2027, 3, 1))
    response = client.post(
        reverse("plan_edit_activity", args=[plan.pk, last.pk]),
        {"plan_version": plan.version, "delete": "1"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.arrival_on, plan.departure_on) == (date(2027, 1, 12), date(2027, 2, 17))


def test_online_session_times_are_typed_in_japan_time(client, plan):
    client.force_login(plan.lead)
    india = plan.partners.get(country="IN")
    response = add(
        client,
        plan,
        kind="online",
        title_en="Online seminar 3",
        starts_on="2027-02-25",
        ends_on="",
        start_time="17:00",
        end_time="19:00",
        partner=india.pk,
        people="40",
    )
    assert response.status_code == 302
    session = plan.activities.get(title_en="Online seminar 3")
    assert session.starts_at == datetime(2027, 2, 25, 8, 0, tzinfo=ZoneInfo("UTC"))
    assert session.ends_at == datetime(2027, 2, 25, 10, 0, tzinfo=ZoneInfo("UTC"))
    assert (session.starts_on, session.ends_on) == (date(2027, 2, 25), date(2027, 2, 25))
    assert session.time_zone == "Asia/Kolkata"
    page = client.get(reverse("plan_edit_activity", args=[plan.pk, session.pk])).content.decode()
    assert "17:00–19:00 JST (13:30–15:30 IST)" in page
    assert 'value="17:00"' in page and 'value="19:00"' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title_en": "Bad\x00title"}, "title_en", "Null characters are not allowed."),
        ({"starts_on": "9999-12-31"}, "starts_on", "Enter a date between the years 2000 and"),
        ({"ends_on": "0001-01-01"}, "ends_on", "Enter a date between the years 2000 and"),
        ({"ends_on": "2027-03-01"}, "ends_on", "The last day must not be before the first."),
        ({"people": str(2**31)}, "people", "Ensure this value is less than or equal to"),
        (
            {"kind": "online", "start_time": "19:00", "end_time": "17:00"},
            "end_time",
            "The end must be after the start.",
        ),
    ],
)
def test_bad_input_is_refused_at_its_field_and_kept(client, plan, changes, field, message):
    client.force_login(plan.lead)
    count = plan.activities.count()
    response = add(client, plan, **changes)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    assert plan.activities.count() == count
    assert "Spring school in Japan" in response.content.decode() or "title_en" in changes


def test_problems_are_shown_at_the_activitys_field(client, plan):
    client.force_login(plan.lead)
    dispatch = plan.activities.get(kind="dispatch")
    Activity.objects.filter(pk=dispatch.pk).update(people=11)
    page = client.get(reverse("plan_edit_activity", args=[plan.pk, dispatch.pk])).content.decode()
    assert 'id="id_people_needed"' in page
    assert "“Field study at IIT Example” has 11 people; course D allows at most 10" in page


def test_invitee_row_problems_are_shown_at_the_rows_field(client, plan):
    client.force_login(plan.lead)
    row = PlannedInvitees.objects.create(plan=plan, country="IN", category="high_school", count=1)
    page = client.get(reverse("plan_edit_partners", args=[plan.pk])).content.decode()
    index = list(plan.invitees.values_list("pk", flat=True)).index(row.pk)
    assert f'id="id_invitees-{index}-category_needed"' in page


def test_budget_lines_name_their_activity_in_course_d_only(client, plan, institution):
    client.force_login(plan.lead)
    invitation = plan.activities.get(kind="invitation")
    page = client.get(reverse("plan_edit_budget", args=[plan.pk])).content.decode()
    assert 'name="budget-0-activity"' in page
    data = {
        "plan_version": plan.version,
        "budget-TOTAL_FORMS": 1,
        "budget-INITIAL_FORMS": 0,
        "budget-MIN_NUM_FORMS": 0,
        "budget-MAX_NUM_FORMS": 1000,
        "budget-0-activity": "",
        "budget-0-category": "other",
        "budget-0-unit_cost_jpy": "1000",
        "budget-0-quantity": "1",
        "budget-0-note": "",
    }
    response = client.post(reverse("plan_edit_budget", args=[plan.pk]), data)
    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors["activity"] == ["This field is required."]
    data["budget-0-activity"] = invitation.pk
    response = client.post(reverse("plan_edit_budget", args=[plan.pk]), data)
    assert response.status_code == 302
    assert BudgetLine.objects.get(plan=plan, category="other").activity == invitation
    other = PlanFactory(host=institution)
    client.force_login(other.lead)
    page = client.get(reverse("plan_edit_budget", args=[other.pk])).content.decode()
    assert "activity" not in page.split("<form", 1)[1].split("</form>")[0].lower().replace(
        "activities", ""
    )


def test_basics_does_not_ask_for_arrival_and_departure(client, plan):
    client.force_login(plan.lead)
    page = client.get(reverse("plan_edit_basics", args=[plan.pk])).content.decode()
    assert 'name="arrival_on"' not in page
    assert "Now: 2027-01-12 to 2027-03-01." in page


def test_other_institutions_coordinator_gets_404(client, plan, other_coordinator):
    client.force_login(other_coordinator)
    activity = plan.activities.first()
    for url in (
        reverse("plan_edit_activities", args=[plan.pk]),
        reverse("plan_edit_activity", args=[plan.pk, activity.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, activity_data(plan)).status_code == 404
    assert plan.activities.count() == 4


def test_an_activity_of_another_plan_is_404(client, plan, institution):
    other = CourseDPlanFactory(call=plan.call, course=plan.course)
    client.force_login(plan.lead)
    foreign = other.activities.first()
    url = reverse("plan_edit_activity", args=[plan.pk, foreign.pk])
    assert client.get(url).status_code == 404


def test_other_courses_have_no_activities_section(client, institution):
    plan = PlanFactory(host=institution)
    client.force_login(plan.lead)
    assert client.get(reverse("plan_edit_activities", args=[plan.pk])).status_code == 404
    page = client.get(reverse("plan_edit_basics", args=[plan.pk])).content.decode()
    assert reverse("plan_edit_activities", args=[plan.pk]) not in page
    assert 'name="arrival_on"' in page


def test_editing_is_refused_once_submitted(client, plan):
    submit_plan(plan, by=plan.lead)
    client.force_login(plan.lead)
    activity = plan.activities.first()
    response = add(client, plan)
    assert response.status_code == 302
    assert response.url == reverse("plan_detail", args=[plan.pk])
    response = client.post(
        reverse("plan_edit_activity", args=[plan.pk, activity.pk]),
        {"plan_version": plan.version, "delete": "1"},
    )
    assert response.url == reverse("plan_detail", args=[plan.pk])
    assert plan.activities.count() == 4


def test_a_stale_form_is_refused_and_kept(client, plan):
    client.force_login(plan.lead)
    response = add(client, plan, plan_version=plan.version - 1 if plan.version else 99)
    assert response.status_code == 400
    assert "Someone else saved this plan" in response.content.decode()
    assert plan.activities.count() == 4


def test_the_factory_plan_submits_through_the_submit_page(client, plan):
    client.force_login(plan.lead)
    page = client.get(reverse("plan_submit", args=[plan.pk])).content.decode()
    assert reverse("plan_edit_activities", args=[plan.pk]) in page  # a section of its own
    response = client.post(reverse("plan_submit", args=[plan.pk]), follow=True)
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.state == "submitted"
    version = plan.versions.get()
    assert [a["kind"] for a in version.data["activities"]] == [
        "invitation",
        "online",
        "dispatch",
        "online",
    ]


def test_copying_a_plan_copies_its_activities_and_ties_the_budget_to_the_copies(plan):
    copy = create_plan(
        call=plan.call, course=plan.course, host=plan.host, by=plan.lead, copy_of=plan
    )
    copy = InvitationPlan.objects.get(pk=copy.pk)
    assert copy.activities.count() == 4
    assert (copy.arrival_on, copy.departure_on) == (date(2027, 1, 12), date(2027, 3, 1))
    lines = list(copy.budget.select_related("activity"))
    assert len(lines) == 4
    assert all(line.activity.plan_id == copy.pk for line in lines)
    assert sorted(line.activity.title_en for line in lines) == [
        "Field study at IIT Example",
        "Field study at IIT Example",
        "Water lab training in Japan",
        "Water lab training in Japan",
    ]


def more_activities(plan, count):
    """`count` more invitations, each with a budget line."""
    partner = plan.partners.get(country="IN")
    for number in range(count):
        activity = Activity.objects.create(
            plan=plan,
            kind="invitation",
            title_en=f"Winter school {number}",
            starts_on=date(2027, 2, 1),
            ends_on=date(2027, 2, 5),
            partner=partner,
            country="IN",
            time_zone="Asia/Kolkata",
            people=2,
        )
        BudgetLine.objects.create(
            plan=plan, activity=activity, category="airfare", unit_cost_jpy=1000, quantity=2
        )


@pytest.mark.parametrize("url_name", ["plan_edit_activities", "plan_edit_budget", "plan_detail"])
def test_pages_listing_activities_read_them_in_a_fixed_number_of_queries(
    client, plan, url_name, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(plan.lead)
    url = reverse(url_name, args=[plan.pk])
    client.get(url)  # warm up: the session, the rules
    with CaptureQueriesContext(connection) as with_four:
        assert client.get(url).status_code == 200
    more_activities(plan, 3)
    with django_assert_num_queries(len(with_four.captured_queries)):
        assert client.get(url).status_code == 200


def test_review_and_submit_links_an_activitys_problem_to_its_field(client, plan):
    client.force_login(plan.lead)
    dispatch = plan.activities.get(kind="dispatch")
    Activity.objects.filter(pk=dispatch.pk).update(people=11)
    page = client.get(reverse("plan_submit", args=[plan.pk])).content.decode()
    address = reverse("plan_edit_activity", args=[plan.pk, dispatch.pk])
    assert f'<a href="{address}#id_people">“Field study at IIT Example” has 11 people' in page
