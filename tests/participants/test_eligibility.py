"""Who may come under a plan's course (guidelines FY2024; every number from the Course row).

Problems block registration: a category the course does not take; being the age limit or
older on the arrival day (escorts excepted); a nationality outside the eligible countries;
more people than the plan was approved for. Flags only inform staff: not the first stay in
Japan (except in course D) and the same person already in the program that fiscal year.
"""

from datetime import date

import pytest

from applications.models import PlanState
from participants.domain.eligibility import (
    age_on_arrival,
    approved_places,
    check_eligibility,
    places_left,
)
from tests.factories import CallFactory, CourseFactory, PlanFactory, ProgramFactory

from .builders import ARRIVAL, PLACES, approved_plan, person_data, register_many, registered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in here: spare the users PlanFactory makes the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan():
    return approved_plan()


def plan_of_course(**course_fields):
    """An approved plan (arriving 2027-01-10) under a course made for the test."""
    course = CourseFactory(**course_fields)
    return approved_plan(course=course, call=CallFactory(program=course.program))


def check(plan, **overrides):
    return check_eligibility(person_data(**overrides), plan)


# Category.


def test_category_allowed_by_course_passes():
    plan = plan_of_course(eligible_categories=["undergraduate", "graduate"])

    result = check(plan, category="undergraduate")

    assert result.ok
    assert result.problems == []


def test_category_not_allowed_by_course_refused():
    plan = plan_of_course(code="B", eligible_categories=["undergraduate", "graduate"])

    result = check(plan, category="high_school")

    assert not result.ok
    assert result.problems == [
        "The category “High-school or technical-college student” is not eligible for course B."
    ]


def test_category_any_when_course_lists_none():
    plan = plan_of_course(eligible_categories=[])

    assert check(plan, category="teacher").ok


# Age: under the limit on the arrival day.


@pytest.mark.parametrize(
    ("born", "age"),
    [
        (date(1987, 1, 11), 39),  # turns 40 the day after arrival
        (date(1988, 1, 10), 39),  # turns 39 on the arrival day
        (date(2008, 1, 10), 19),
    ],
)
def test_age_under_limit_on_arrival_passes(plan, born, age):
    assert plan.arrival_on == ARRIVAL and plan.course.age_limit == 40
    assert age_on_arrival(born, plan) == age

    result = check(plan, date_of_birth=born)

    assert result.ok, result.problems


@pytest.mark.parametrize(
    ("born", "age"),
    [
        (date(1987, 1, 10), 40),  # turns 40 on the arrival day
        (date(1987, 1, 9), 40),  # turned 40 the day before
        (date(1970, 6, 1), 56),
    ],
)
def test_age_at_or_over_limit_on_arrival_refused(plan, born, age):
    result = check(plan, date_of_birth=born)

    assert age_on_arrival(born, plan) == age
    assert result.problems == [f"Aged {age} on arrival (2027-01-10); the course requires under 40."]


@pytest.mark.parametrize(
    ("arrival", "ok"),
    [
        (date(2028, 2, 28), True),  # leap year: still 39 the day before the birthday
        (date(2028, 2, 29), False),  # leap year: turns 40 on the arrival day
        (date(2028, 3, 1), False),
    ],
)
def test_age_born_on_29_february_in_leap_year(plan, arrival, ok):
    plan.arrival_on = arrival

    result = check(plan, date_of_birth=date(1988, 2, 29))

    assert result.ok is ok


@pytest.mark.parametrize(
    ("arrival", "ok"),
    [
        (date(2027, 2, 27), True),
        # In a common year the birthday of 29 February falls at the end of 28 February
        # (Civil Code art. 143): still 39 on the 28th, 40 from 1 March.
        (date(2027, 2, 28), True),
        (date(2027, 3, 1), False),
    ],
)
def test_age_born_on_29_february_in_common_year(arrival, ok):
    plan = plan_of_course(age_limit=39)
    plan.arrival_on = arrival

    result = check(plan, date_of_birth=date(1988, 2, 29))

    assert result.ok is ok


def test_age_any_when_course_has_no_limit():
    plan = plan_of_course(age_limit=None)

    assert check(plan, date_of_birth=date(1950, 1, 1)).ok


def test_age_limit_does_not_apply_to_escorts(plan):
    assert "escort" in plan.course.eligible_categories

    result = check(plan, category="escort", date_of_birth=date(1970, 6, 1))

    assert result.ok, result.problems


def test_escort_refused_when_course_does_not_take_escorts():
    plan = plan_of_course(code="C", eligible_categories=["graduate"])

    result = check(plan, category="escort", date_of_birth=date(1970, 6, 1))

    assert result.problems == ["The category “Escort (supervisor)” is not eligible for course C."]


def test_age_limit_applies_to_researchers(plan):
    result = check(plan, category="researcher", date_of_birth=date(1970, 6, 1))

    assert not result.ok


# Nationality: the course's countries, else the program's; none listed means every country.


def test_nationality_among_course_countries_passes():
    plan = plan_of_course(eligible_countries=["VN", "TH"])

    assert check(plan, nationality="VN").ok


def test_nationality_outside_course_countries_refused():
    plan = plan_of_course(code="D", eligible_countries=["VN"])

    result = check(plan, nationality="TH")

    assert result.problems == ["Nationality Thailand is not eligible for course D."]


def test_nationality_from_program_when_course_lists_none():
    program = ProgramFactory(code="asia", eligible_countries=["TH", "VN"])
    plan = plan_of_course(program=program, eligible_countries=[])

    assert check(plan, nationality="TH").ok
    assert not check(plan, nationality="KR").ok


def test_nationality_course_list_narrows_program_list():
    program = ProgramFactory(code="asia", eligible_countries=["TH", "VN"])
    plan = plan_of_course(program=program, eligible_countries=["VN"])

    assert check(plan, nationality="VN").ok
    assert not check(plan, nationality="TH").ok


def test_nationality_any_when_course_and_program_list_none(plan):
    assert not plan.course.eligible_countries and not plan.course.program.eligible_countries

    assert check(plan, nationality="BR").ok


# Approved number of people.


def test_approved_places_count_every_planned_invitee_escorts_included(plan):
    assert approved_places(plan) == PLACES  # 4 graduates + 1 escort


def test_places_left_are_the_approved_places_not_yet_taken(plan):
    assert places_left(plan) == 5
    *_, last = register_many(plan, 3)
    assert places_left(plan) == 2
    assert places_left(plan, exclude_pk=last.pk) == 3  # the person being edited keeps theirs


def test_approved_count_last_place_passes(plan):
    register_many(plan, PLACES - 1)

    result = check_eligibility(person_data(), plan, check_places=True)

    assert result.ok


def test_approved_count_reached_refuses_next(plan):
    register_many(plan, PLACES)

    result = check_eligibility(person_data(), plan, check_places=True)

    assert result.problems == ["The plan is approved for 5 people; all places are taken."]


def test_approved_count_reached_still_lets_a_registered_person_be_edited(plan):
    *_, last = register_many(plan, PLACES)

    result = check_eligibility(last, plan, exclude_pk=last.pk, check_places=True)

    assert result.ok


# First stay in Japan: a "no" is flagged, except in course D.


def test_first_stay_no_flagged_but_not_blocking(plan):
    result = check(plan, first_stay_in_japan=False)

    assert result.ok
    assert result.flags == ["Not the first stay in Japan."]


@pytest.mark.parametrize("answer", [True, None])
def test_first_stay_yes_or_unanswered_not_flagged(plan, answer):
    assert check(plan, first_stay_in_japan=answer).flags == []


def test_first_stay_no_not_flagged_in_course_d():
    plan = plan_of_course(code="D", first_stay_required=False)

    result = check(plan, first_stay_in_japan=False)

    assert result.ok
    assert result.flags == []


# The same person twice in one program and fiscal year.

REPEAT_FLAG = "Took part in this program already in fiscal year 2026."


def test_repeat_participant_in_another_plan_same_program_and_year_flagged(plan):
    registered(approved_plan(call=plan.call), family_name="SAETANG", given_name="Somchai")

    result = check(plan, family_name="Saetang", given_name="SOMCHAI")

    assert result.ok
    assert result.flags == [REPEAT_FLAG]


def test_repeat_participant_in_another_round_of_same_year_flagged(plan):
    other_round = CallFactory(program=plan.call.program, fiscal_year=plan.call.fiscal_year)
    registered(approved_plan(call=other_round))

    assert check(plan).flags == [REPEAT_FLAG]


def test_repeat_participant_checked_for_a_saved_participant(plan):
    registered(approved_plan(call=plan.call))
    participant = registered(plan)

    result = check_eligibility(participant, plan, exclude_pk=participant.pk)

    assert result.flags == [REPEAT_FLAG]


def test_repeat_participant_in_another_fiscal_year_not_flagged(plan):
    last_year = CallFactory(program=plan.call.program, fiscal_year=2025)
    registered(approved_plan(call=last_year))

    assert check(plan).flags == []


def test_repeat_participant_in_another_program_not_flagged(plan):
    other_program = CallFactory(program=ProgramFactory(code="other"), fiscal_year=2026)
    registered(approved_plan(call=other_program))

    assert check(plan).flags == []


def test_repeat_participant_in_withdrawn_plan_not_flagged(plan):
    withdrawn = PlanFactory(call=plan.call, state=PlanState.WITHDRAWN)
    registered(withdrawn)

    assert check(plan).flags == []


def test_repeat_participant_with_different_birth_date_not_flagged(plan):
    registered(approved_plan(call=plan.call), date_of_birth=date(2003, 4, 16))

    assert check(plan, date_of_birth=date(2003, 4, 15)).flags == []


def test_repeat_participant_with_different_nationality_not_flagged(plan):
    registered(approved_plan(call=plan.call), nationality="LA")

    assert check(plan, nationality="TH").flags == []


def test_repeat_participant_with_different_given_name_not_flagged(plan):
    registered(approved_plan(call=plan.call), given_name="Somsak")

    assert check(plan, given_name="Somchai").flags == []


# Every rule at once.


def test_every_problem_reported_at_once():
    program = ProgramFactory(code="asia", eligible_countries=["TH"])
    plan = plan_of_course(program=program, code="A", eligible_categories=["graduate"])
    register_many(plan, PLACES)

    result = check_eligibility(
        person_data(category="teacher", date_of_birth=date(1960, 1, 1), nationality="KR"),
        plan,
        check_places=True,
    )

    assert len(result.problems) == 4
