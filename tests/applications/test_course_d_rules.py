"""Course D's rules: a plan made of activities within one fiscal year.

CourseDPlanFactory builds a draft that passes them all (call of fiscal year 2026, exchanges
from 2027-01-10 to 2027-03-15): an invitation of 5 people from India (2027-01-12 to 01-21,
10 days, ¥1,140,000), a dispatch of 3 of the host's students to India (2027-02-08 to 02-17,
10 days, ¥606,000), and two online sessions of 30 people (India, Egypt). The course's limits
per activity (test rule set): an invitation or a dispatch at most 10 people, 14 days and
¥6,000,000; an online session at most 200 people. Each test breaks one rule.
"""

from datetime import date, timedelta

import pytest

from applications.domain.checks import check_plan
from applications.models import Activity, BudgetLine, PlannedInvitees
from tests.factories import CourseDPlanFactory, PlanFactory

pytestmark = pytest.mark.django_db
SOURCE = "(Source: Course D guidelines (test))"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan():
    return CourseDPlanFactory()


def keys(problems):
    return [(section, field) for section, field, _message in problems.as_list()]


def activity(plan, kind):
    return plan.activities.filter(kind=kind).order_by("starts_on").first()


def test_the_factory_plan_passes_every_rule(plan):
    assert plan.activities.count() == 4
    assert keys(check_plan(plan)) == []


def test_a_plan_without_activities_is_refused(plan):
    BudgetLine.objects.filter(plan=plan).delete()
    Activity.objects.filter(plan=plan).delete()
    BudgetLine.objects.create(plan=plan, category="airfare", unit_cost_jpy=1, quantity=1)
    problems = check_plan(plan)
    assert problems.section("activities") == {
        "activities": [
            "Add the activities: invitations to Japan, dispatches abroad, online sessions."
        ]
    }


def test_activity_before_the_fiscal_year_is_refused_at_its_first_day(plan):
    invitation = activity(plan, "invitation")
    # Fiscal year 2026 begins on 1 April 2026.
    invitation.starts_on, invitation.ends_on = date(2026, 3, 31), date(2026, 4, 6)
    invitation.save()
    problems = check_plan(plan)
    assert problems.section("activities") == {
        f"activity-{invitation.pk}-starts_on": [
            "“Water lab training in Japan” starts before fiscal year 2026 (2026-04-01 to "
            "2027-03-31): every activity must fall within it."
        ]
    }


def test_activity_after_the_fiscal_year_is_refused_at_its_last_day(plan):
    online = activity(plan, "online")
    online.starts_on = online.ends_on = date(2027, 4, 1)  # fiscal year 2026 ends on 31 March
    online.save()
    problems = check_plan(plan)
    assert problems.section("activities") == {
        f"activity-{online.pk}-ends_on": [
            "“Online seminar 1” ends after fiscal year 2026 (2026-04-01 to 2027-03-31): every "
            "activity must fall within it."
        ]
    }


def test_activity_outside_the_calls_window_is_refused(plan):
    dispatch = activity(plan, "dispatch")
    dispatch.starts_on, dispatch.ends_on = date(2027, 3, 10), date(2027, 3, 16)
    dispatch.save()
    problems = check_plan(plan)
    assert problems.section("activities") == {
        f"activity-{dispatch.pk}-ends_on": [
            "“Field study at IIT Example” must end on or before 2027-03-15, when the call's "
            "exchanges end."
        ]
    }


def test_last_day_before_the_first_is_refused(plan):
    dispatch = activity(plan, "dispatch")
    dispatch.ends_on = dispatch.starts_on - timedelta(days=1)
    dispatch.save()
    problems = check_plan(plan)
    assert problems.section("activities")[f"activity-{dispatch.pk}-ends_on"] == [
        "“Field study at IIT Example”: the last day must not be before the first."
    ]


def test_people_exactly_at_the_limit_pass_and_one_more_is_refused(plan):
    invitation = activity(plan, "invitation")
    invitation.people = 10
    invitation.save()
    assert keys(check_plan(plan)) == []
    invitation.people = 11
    invitation.save()
    assert check_plan(plan).section("activities") == {
        f"activity-{invitation.pk}-people": [
            "“Water lab training in Japan” has 11 people; course D allows at most 10 per "
            f"activity of this kind (Invitation to Japan). {SOURCE}"
        ]
    }


def test_online_session_of_200_passes_and_201_is_refused(plan):
    online = activity(plan, "online")
    online.people = 200
    online.save()
    assert keys(check_plan(plan)) == []
    online.people = 201
    online.save()
    assert list(check_plan(plan).section("activities")) == [f"activity-{online.pk}-people"]


def test_days_exactly_at_the_limit_pass_and_one_more_is_refused(plan):
    dispatch = activity(plan, "dispatch")
    dispatch.ends_on = date(2027, 2, 21)  # 8 to 21 February: 14 days
    dispatch.save()
    assert keys(check_plan(plan)) == []
    dispatch.ends_on = date(2027, 2, 22)
    dispatch.save()
    assert check_plan(plan).section("activities") == {
        f"activity-{dispatch.pk}-ends_on": [
            "“Field study at IIT Example” lasts 15 days; course D allows at most 14 per "
            f"activity of this kind (Dispatch abroad). {SOURCE}"
        ]
    }


def test_yen_exactly_at_the_limit_pass_and_one_more_is_refused(plan):
    # The whole plan stays under the course's ¥8,000,000 a plan for this test.
    course = plan.course
    course.rule_sets.update(per_plan_cap_jpy=20_000_000, per_person_cap_jpy=None)
    dispatch = activity(plan, "dispatch")
    BudgetLine.objects.filter(activity=dispatch).delete()
    line = BudgetLine.objects.create(
        plan=plan, activity=dispatch, category="airfare", unit_cost_jpy=2_000_000, quantity=3
    )
    assert keys(check_plan(plan)) == []  # ¥6,000,000: exactly the limit
    line.unit_cost_jpy = 2_000_001
    line.save()
    assert check_plan(plan).section("activities") == {
        f"activity-{dispatch.pk}-budget": [
            "The budget of “Field study at IIT Example” comes to ¥6,000,003; course D allows "
            f"at most ¥6,000,000 per activity of this kind (Dispatch abroad). {SOURCE}"
        ]
    }


def test_country_outside_india_and_africa_is_refused_at_the_activitys_country(plan):
    online = activity(plan, "online")
    online.partner, online.country, online.time_zone = None, "TH", "Asia/Bangkok"
    online.save()
    assert check_plan(plan).section("activities") == {
        f"activity-{online.pk}-country": ["Thailand is not eligible for course D."]
    }


def test_invitees_from_outside_india_and_africa_are_refused_at_the_rows_country(plan):
    row = plan.invitees.get(category="graduate")
    row.country = "TH"
    row.save()
    assert check_plan(plan).section("partners") == {
        f"invitee-{row.pk}-country": ["Thailand is not eligible for course D."]
    }


def test_high_school_invitees_are_refused_at_the_rows_category(plan):
    row = PlannedInvitees.objects.create(plan=plan, country="IN", category="high_school", count=1)
    assert check_plan(plan).section("partners") == {
        f"invitee-{row.pk}-category": [
            "The category “High-school or technical-college student” is not eligible for course D. "
            + SOURCE
        ]
    }


def test_online_session_without_times_is_refused_at_them(plan):
    online = activity(plan, "online")
    online.starts_at = online.ends_at = None
    online.save()
    assert check_plan(plan).section("activities") == {
        f"activity-{online.pk}-start_time": [
            "“Online seminar 1”: give the time the session starts (Japan time)."
        ],
        f"activity-{online.pk}-end_time": [
            "“Online seminar 1”: give the time the session ends (Japan time)."
        ],
    }


def test_online_session_ending_before_it_starts_is_refused(plan):
    online = activity(plan, "online")
    online.ends_at = online.starts_at
    online.save()
    assert check_plan(plan).section("activities") == {
        f"activity-{online.pk}-end_time": [
            "“Online seminar 1”: the session must end after it starts."
        ]
    }


def test_dispatch_without_partner_is_refused(plan):
    dispatch = activity(plan, "dispatch")
    dispatch.partner = None
    dispatch.save()
    assert check_plan(plan).section("activities") == {
        f"activity-{dispatch.pk}-partner": [
            "“Field study at IIT Example”: name the partner institution that receives the dispatch."
        ]
    }


def test_budget_line_without_activity_is_refused(plan):
    line = BudgetLine.objects.create(plan=plan, category="other", unit_cost_jpy=1000, quantity=1)
    assert check_plan(plan).section("budget") == {
        f"line-{line.pk}": ["Other: say which of the plan's activities this line pays for."]
    }


def test_the_year_long_span_is_not_held_to_the_whole_stay_limit(plan):
    # 2027-01-12 to 2027-03-01 is 49 days, far past the course's 14: only activities count.
    assert plan.stay_days == 49
    assert keys(check_plan(plan)) == []


def test_other_courses_keep_the_whole_stay_limit_and_have_no_activities_section():
    plan = PlanFactory(departure_on=date(2027, 1, 20))  # course A: at most 7 days
    problems = check_plan(plan)
    assert keys(problems) == [("basics", "departure_on")]
    assert problems.section("activities") == {}


def test_the_airfare_cap_by_country_counts_only_the_invitations_airfare(plan, staff_user):
    from programs.domain.rules import save_country_rule
    from programs.models import CountryRule

    # India: ¥120,000 a person; 5 invitees from India → ¥600,000, the invitation's airfare
    # exactly. The dispatch's ¥390,000 of airfare flies the host's students out: not counted.
    save_country_rule(
        CountryRule(country="IN", fiscal_year=2026, airfare_cap_jpy=120_000), by=staff_user
    )
    assert keys(check_plan(plan)) == []
    invitation_airfare = BudgetLine.objects.get(
        plan=plan, activity__kind="invitation", category="airfare"
    )
    invitation_airfare.unit_cost_jpy = 120_001
    invitation_airfare.save()
    assert keys(check_plan(plan)) == [("budget", f"line-{invitation_airfare.pk}")]
