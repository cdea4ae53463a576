"""The rules a plan must meet to be submitted, each inside and just outside its limit.

PlanFactory builds a plan that passes every rule: course "A…" (at most 7 days, 1 to 8
invitees, ¥450,000 per person, ¥3,600,000 per plan), a stay from 2027-01-10 to 2027-01-16,
4 graduates and 1 escort from Thailand, 3 itinerary items and a budget of ¥1,110,000
(airfare ¥150,000 × 5, accommodation ¥12,000 × 30). Each test breaks one rule.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from applications.domain.checks import check_plan
from applications.models import BudgetLine, ItineraryItem, PlannedInvitees
from institutions.models import Institution
from programs.models import Call
from tests.factories import (
    CallFactory,
    CourseFactory,
    InstitutionFactory,
    PlanFactory,
)

from .factories import attach, course_of_call

pytestmark = pytest.mark.django_db
JAPAN = ZoneInfo("Asia/Tokyo")
OPENS = datetime(2026, 1, 22, 10, 0, 0, tzinfo=JAPAN)
CLOSES = datetime(2026, 2, 22, 17, 0, 0, tzinfo=JAPAN)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in here: spare the many users PlanFactory makes the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def keys(problems):
    """(section, field) of every problem, in the order the review page lists them."""
    return [(section, field) for section, field, _message in problems.as_list()]


@pytest.fixture
def plan():
    return PlanFactory()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_complete_plan_has_no_problems(plan):
    problems = check_plan(plan)
    assert not problems
    assert len(problems) == 0
    assert problems.as_list() == []


# The call: open to the second, in Japan time.


def test_call_open_one_second_before_it_closes():
    plan = PlanFactory(call=CallFactory(opens_at=OPENS, closes_at=CLOSES))
    assert keys(check_plan(plan, at=CLOSES - timedelta(seconds=1))) == []


def test_call_closed_at_the_second_it_closes():
    plan = PlanFactory(call=CallFactory(opens_at=OPENS, closes_at=CLOSES))
    problems = check_plan(plan, at=CLOSES)
    assert keys(problems) == [("call", "call")]
    assert problems.section("call") == {"call": ["The call closed at 2026-02-22 17:00 Japan time."]}


def test_call_deadline_is_shown_in_japan_time_when_checked_from_utc():
    plan = PlanFactory(call=CallFactory(opens_at=OPENS, closes_at=CLOSES))
    problems = check_plan(plan, at=datetime(2026, 2, 22, 8, 0, 0, tzinfo=ZoneInfo("UTC")))
    assert problems.section("call") == {"call": ["The call closed at 2026-02-22 17:00 Japan time."]}


def test_call_open_at_the_second_it_opens():
    plan = PlanFactory(call=CallFactory(opens_at=OPENS, closes_at=CLOSES))
    assert keys(check_plan(plan, at=OPENS)) == []


def test_call_not_yet_open_one_second_before_it_opens():
    plan = PlanFactory(call=CallFactory(opens_at=OPENS, closes_at=CLOSES))
    problems = check_plan(plan, at=OPENS - timedelta(seconds=1))
    assert problems.section("call") == {"call": ["The call is not open for submissions."]}
    assert keys(problems) == [("call", "call")]


def test_call_still_a_draft_is_not_open_inside_its_dates():
    plan = PlanFactory(call=CallFactory(opens_at=OPENS, closes_at=CLOSES, status=Call.Status.DRAFT))
    problems = check_plan(plan, at=CLOSES - timedelta(days=1))
    assert problems.section("call") == {"call": ["The call is not open for submissions."]}


def test_course_not_in_the_call_is_refused(plan):
    plan.course = CourseFactory(program=plan.call.program, eligible_categories=[])
    plan.save()
    problems = check_plan(plan)
    assert keys(problems) == [("call", "course")]
    assert problems.section("call") == {"course": ["The course is not part of this call."]}


# Basics: the texts, the dates, the stay.


@pytest.mark.parametrize(
    "field_name",
    [
        "title_ja",
        "title_en",
        "field_of_science",
        "objectives",
        "expected_outcomes",
        "contact_name",
        "contact_email",
    ],
)
def test_required_basic_field_missing_is_refused(plan, field_name):
    setattr(plan, field_name, "")
    plan.save()
    problems = check_plan(plan)
    assert keys(problems) == [("basics", field_name)]


@pytest.mark.parametrize(
    ("field_name", "message"),
    [("arrival_on", "Give the arrival date."), ("departure_on", "Give the departure date.")],
)
def test_missing_date_is_refused(plan, field_name, message):
    setattr(plan, field_name, None)
    plan.save()
    problems = check_plan(plan)
    assert keys(problems) == [("basics", field_name)]
    assert problems.section("basics") == {field_name: [message]}


def test_contact_phone_is_optional(plan):
    plan.contact_phone = ""
    plan.save()
    assert keys(check_plan(plan)) == []


def test_arrival_on_first_day_of_exchange_window_passes(plan):
    assert plan.arrival_on == plan.call.exchange_starts_on
    assert keys(check_plan(plan)) == []


def test_arrival_before_exchange_window_is_refused(plan):
    plan.arrival_on = date(2027, 1, 9)
    plan.departure_on = date(2027, 1, 15)  # still 7 days, itinerary still inside the stay
    plan.save()
    problems = check_plan(plan)
    assert keys(problems) == [("basics", "arrival_on")]
    assert "2027-01-10" in problems.section("basics")["arrival_on"][0]


def test_departure_on_last_day_of_exchange_window_passes():
    plan = PlanFactory(call=CallFactory(exchange_ends_on=date(2027, 1, 16)))
    assert keys(check_plan(plan)) == []


def test_departure_after_exchange_window_is_refused():
    plan = PlanFactory(call=CallFactory(exchange_ends_on=date(2027, 1, 15)))
    problems = check_plan(plan)
    assert keys(problems) == [("basics", "departure_on")]
    assert "2027-01-15" in problems.section("basics")["departure_on"][0]


def test_departure_before_arrival_is_refused(plan):
    plan.arrival_on, plan.departure_on = date(2027, 1, 16), date(2027, 1, 10)
    plan.save()
    problems = check_plan(plan)
    assert problems.section("basics") == {"departure_on": ["Departure must not be before arrival."]}


def test_stay_of_course_max_days_passes(plan):
    assert plan.stay_days == plan.course.max_days == 7
    assert keys(check_plan(plan)) == []


def test_stay_of_course_max_days_plus_one_is_refused(plan):
    plan.departure_on = date(2027, 1, 17)
    plan.save()
    assert plan.stay_days == plan.course.max_days + 1
    problems = check_plan(plan)
    assert keys(problems) == [("basics", "departure_on")]
    assert problems.section("basics")["departure_on"] == [
        f"The stay is 8 days; course {plan.course.code} allows at most 7."
    ]


def test_longer_course_allows_a_longer_stay(plan):
    plan.course.max_days = 8
    plan.course.save()
    plan.departure_on = date(2027, 1, 17)
    plan.save()
    assert keys(check_plan(plan)) == []


# Partners and invitees.


def test_partners_missing_is_refused(plan):
    plan.partners.clear()
    problems = check_plan(plan)
    assert keys(problems) == [("partners", "partners")]


def test_invitees_at_course_minimum_pass(plan):
    plan.course.min_invitees = 5
    plan.course.save()
    assert keys(check_plan(plan)) == []


def test_invitees_below_course_minimum_are_refused(plan):
    plan.course.min_invitees = 6
    plan.course.save()
    problems = check_plan(plan)
    assert keys(problems) == [("partners", "invitees")]
    assert problems.section("partners")["invitees"] == [
        f"The plan invites 5 people; course {plan.course.code} allows 6 to 8 (escorts included)."
    ]


def test_no_invitees_at_all_are_refused(plan):
    plan.invitees.all().delete()
    problems = check_plan(plan)
    assert keys(problems) == [("partners", "invitees")]
    assert "invites 0 people" in problems.section("partners")["invitees"][0]


def test_invitees_at_course_maximum_pass_escorts_included(plan):
    PlannedInvitees.objects.filter(plan=plan, category="graduate").update(count=7)
    assert sum(row.count for row in plan.invitees.all()) == plan.course.max_invitees == 8
    assert keys(check_plan(plan)) == []


def test_invitees_above_course_maximum_are_refused_escorts_included(plan):
    PlannedInvitees.objects.filter(plan=plan, category="graduate").update(count=8)
    problems = check_plan(plan)
    assert keys(problems) == [("partners", "invitees")]
    assert "invites 9 people" in problems.section("partners")["invitees"][0]


def test_country_outside_course_list_is_refused(plan):
    plan.course.eligible_countries = ["IN", "KE"]
    plan.course.save()
    problems = check_plan(plan)
    messages = problems.section("partners")["invitees"]
    # One message per invitee row from Thailand (graduates and the escort).
    assert messages == [f"Thailand is not eligible for course {plan.course.code}."] * 2
    assert set(keys(problems)) == {("partners", "invitees")}


def test_country_outside_program_list_is_refused(plan):
    program = plan.course.program
    program.eligible_countries = ["VN", "ID"]
    program.save()
    problems = check_plan(plan)
    assert (
        problems.section("partners")["invitees"]
        == [f"Thailand is not eligible for course {plan.course.code}."] * 2
    )


def test_country_in_program_list_passes(plan):
    program = plan.course.program
    program.eligible_countries = ["VN", "TH"]
    program.save()
    assert keys(check_plan(plan)) == []


def test_course_country_list_replaces_program_list(plan):
    program = plan.course.program
    program.eligible_countries = ["VN"]
    program.save()
    plan.course.eligible_countries = ["TH"]
    plan.course.save()
    assert keys(check_plan(plan)) == []


def test_category_not_eligible_for_course_is_refused(plan):
    plan.course.eligible_categories = ["undergraduate", "graduate"]
    plan.course.save()
    problems = check_plan(plan)
    assert keys(problems) == [("partners", "invitees")]
    assert problems.section("partners")["invitees"] == [
        f"The category “Escort (supervisor)” is not eligible for course {plan.course.code}."
    ]


def test_course_without_category_list_accepts_every_category(plan):
    plan.course.eligible_categories = []
    plan.course.save()
    PlannedInvitees.objects.create(plan=plan, country="TH", category="high_school", count=1)
    assert keys(check_plan(plan)) == []


# Itinerary.


def test_itinerary_empty_is_refused(plan):
    plan.itinerary.all().delete()
    problems = check_plan(plan)
    assert keys(problems) == [("itinerary", "itinerary")]


def _item(plan, day, start=time(9), end=time(12), title="Extra visit"):
    return ItineraryItem.objects.create(
        plan=plan, day=day, start_time=start, end_time=end, kind="site_visit", title_en=title
    )


def test_itinerary_item_on_departure_day_passes(plan):
    _item(plan, plan.departure_on)
    assert keys(check_plan(plan)) == []


def test_itinerary_item_after_departure_is_refused(plan):
    item = _item(plan, plan.departure_on + timedelta(days=1), title="Farewell dinner")
    problems = check_plan(plan)
    assert keys(problems) == [("itinerary", f"item-{item.pk}")]
    assert problems.section("itinerary")[f"item-{item.pk}"] == [
        "2027-01-17 “Farewell dinner” is outside the stay (2027-01-10 to 2027-01-16)."
    ]


def test_itinerary_item_before_arrival_is_refused(plan):
    item = _item(plan, plan.arrival_on - timedelta(days=1))
    assert keys(check_plan(plan)) == [("itinerary", f"item-{item.pk}")]


def test_itinerary_item_ending_before_it_starts_is_refused(plan):
    item = _item(plan, date(2027, 1, 13), start=time(14), end=time(13), title="Lab tour")
    problems = check_plan(plan)
    assert keys(problems) == [("itinerary", f"item-{item.pk}")]
    assert problems.section("itinerary")[f"item-{item.pk}"] == [
        "2027-01-13 “Lab tour” ends before it starts."
    ]


# Budget.


def test_budget_empty_is_refused(plan):
    plan.budget.all().delete()
    problems = check_plan(plan)
    assert keys(problems) == [("budget", "budget")]


def test_budget_line_exactly_at_category_cap_passes(plan):
    plan.course.line_caps_jpy = {"accommodation": 12_000}
    plan.course.save()
    assert keys(check_plan(plan)) == []


def test_budget_line_over_category_cap_is_refused(plan):
    plan.course.line_caps_jpy = {"accommodation": 11_999, "airfare": 200_000}
    plan.course.save()
    line = plan.budget.get(category="accommodation")
    problems = check_plan(plan)
    assert keys(problems) == [("budget", f"line-{line.pk}")]
    assert problems.section("budget") == {
        f"line-{line.pk}": ["Accommodation: ¥12,000 per unit is over the cap of ¥11,999."]
    }


@pytest.fixture
def company_plan():
    """A company hosting a plan of course A, whose rules fund a company for airfare only."""
    call = CallFactory()
    course_of_call(call, code="A", company_airfare_only=True)
    return PlanFactory(call=call, host=InstitutionFactory(kind=Institution.Kind.COMPANY))


def test_company_host_in_course_a_gets_no_accommodation(company_plan):
    assert company_plan.course.code == "A"
    line = company_plan.budget.get(category="accommodation")
    problems = check_plan(company_plan)
    assert keys(problems) == [("budget", f"line-{line.pk}")]
    assert (
        "the agency pays only international airfare"
        in (problems.section("budget")[f"line-{line.pk}"][0])
    )


def test_company_host_in_course_a_may_ask_for_airfare(company_plan):
    company_plan.budget.exclude(category="airfare").delete()
    assert keys(check_plan(company_plan)) == []


def test_university_host_in_course_a_may_ask_for_accommodation():
    call = CallFactory()
    course_of_call(call, code="A", company_airfare_only=True)
    plan = PlanFactory(call=call, host=InstitutionFactory(kind=Institution.Kind.UNIVERSITY))
    assert keys(check_plan(plan)) == []


def _add_other_line_to_reach(plan, total):
    current = sum(line.amount_jpy for line in plan.budget.all())
    BudgetLine.objects.create(
        plan=plan, category="other", unit_cost_jpy=total - current, quantity=1
    )
    assert sum(line.amount_jpy for line in plan.budget.all()) == total


def test_budget_total_exactly_at_plan_cap_passes(plan):
    plan.course.per_person_cap_jpy = None
    plan.course.save()
    _add_other_line_to_reach(plan, 3_600_000)
    assert keys(check_plan(plan)) == []


def test_budget_total_one_yen_over_plan_cap_is_refused(plan):
    plan.course.per_person_cap_jpy = None
    plan.course.save()
    _add_other_line_to_reach(plan, 3_600_001)
    problems = check_plan(plan)
    assert keys(problems) == [("budget", "total")]
    assert problems.section("budget") == {
        "total": ["The total of ¥3,600,001 is over the course's cap of ¥3,600,000 per plan."]
    }


def test_budget_exactly_at_person_cap_passes(plan):
    _add_other_line_to_reach(plan, 450_000 * 5)
    assert keys(check_plan(plan)) == []


def test_budget_over_person_cap_is_refused(plan):
    _add_other_line_to_reach(plan, 450_000 * 5 + 1)
    problems = check_plan(plan)
    assert keys(problems) == [("budget", "total")]
    assert problems.section("budget") == {
        "total": ["¥450,001 per person is over the course's cap of ¥450,000 per person."]
    }


# Attachments.


def test_required_attachment_missing_is_refused(plan):
    plan.course.required_attachments = ["partner_consent"]
    plan.course.save()
    problems = check_plan(plan)
    assert keys(problems) == [("attachments", "partner_consent")]
    assert problems.section("attachments") == {
        "partner_consent": ["Attach: Letter of consent from the partner institution (PDF)."]
    }


def test_required_attachment_present_passes(plan, media_root):
    plan.course.required_attachments = ["partner_consent"]
    plan.course.save()
    attach(plan, kind="partner_consent")
    assert keys(check_plan(plan)) == []


def test_attachment_of_another_kind_does_not_count(plan, media_root):
    plan.course.required_attachments = ["partner_consent"]
    plan.course.save()
    attach(plan, kind="schedule")
    assert keys(check_plan(plan)) == [("attachments", "partner_consent")]


# All at once.


def test_every_problem_is_reported_at_once_in_editor_order(media_root):
    call = CallFactory(opens_at=OPENS, closes_at=CLOSES)
    course_of_call(call, line_caps_jpy={"airfare": 100_000})
    plan = PlanFactory(call=call, title_en="", expected_outcomes="")
    plan.course.required_attachments = ["partner_consent", "schedule"]
    plan.course.save()
    plan.partners.clear()
    late = _item(plan, date(2027, 1, 20), title="Extra day")
    airfare = plan.budget.get(category="airfare")
    attach(plan, kind="schedule")

    problems = check_plan(plan, at=CLOSES)

    assert keys(problems) == [
        ("call", "call"),
        ("basics", "title_en"),
        ("basics", "expected_outcomes"),
        ("partners", "partners"),
        ("itinerary", f"item-{late.pk}"),
        ("budget", f"line-{airfare.pk}"),
        ("attachments", "partner_consent"),
    ]
    assert len(problems) == 7
    assert set(problems.section("basics")) == {"title_en", "expected_outcomes"}
    assert problems.section("budget") == {
        f"line-{airfare.pk}": [
            "International airfare: ¥150,000 per unit is over the cap of ¥100,000."
        ]
    }
    assert problems.section("attachments") == {
        "partner_consent": ["Attach: Letter of consent from the partner institution (PDF)."]
    }
