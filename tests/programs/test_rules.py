"""The program's rules as data: a course's rules per fiscal year, with their source.

The guidelines change every fiscal year. A course's rules for a call are its rule set for the
call's fiscal year; a year without one keeps the last earlier one; staff change a rule through
`save_rule_set`, which records who changed what. Company hosts of courses A, B and C are funded
for international airfare only (guidelines FY2024) — because the rule set says so, not because
of the course's code.
"""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from applications.domain.checks import check_plan
from applications.domain.states import submit_plan
from applications.models import PlanState
from institutions.models import Institution
from letters.domain.letters import cost_coverage
from programs.domain.rules import (
    rules_for,
    save_rule_set,
    start_fiscal_year,
)
from programs.models import Course, RuleChange, RuleSet
from tests.applications.factories import course_of_call
from tests.factories import CallFactory, InstitutionFactory, PlanFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def messages(problems, section):
    return [message for messages in problems.section(section).values() for message in messages]


@pytest.fixture
def two_years(staff_user):
    """Course A (at most 7 days) offered in an FY2026 call and an FY2027 call, each year
    with its own rule set, and a 7-day plan in each."""
    program = ProgramFactory()
    fy2026 = CallFactory(program=program, fiscal_year=2026)
    course = course_of_call(fy2026, code="A")
    fy2027 = CallFactory(program=program, fiscal_year=2027, courses=[course])
    start_fiscal_year(course, 2026, by=staff_user)
    start_fiscal_year(course, 2027, by=staff_user)
    return {
        "course": course,
        2026: PlanFactory(call=fy2026, course=course),
        2027: PlanFactory(call=fy2027, course=course),
    }


def test_a_rule_changed_for_fy2027_changes_the_checks_of_fy2027_calls_only(two_years, staff_user):
    course = two_years["course"]
    rule_set = RuleSet.objects.get(course=course, fiscal_year=2027)
    rule_set.max_days = 5
    rule_set.source_en = "FY2027 guidelines §2.1"
    rule_set.source_ja = "2027年度募集要項 2.1"
    save_rule_set(rule_set, by=staff_user)

    assert messages(check_plan(two_years[2027]), "basics") == [
        f"The stay is 7 days; course {course.code} allows at most 5. "
        "(Source: FY2027 guidelines §2.1)"
    ]
    assert not check_plan(two_years[2026])


def test_the_source_is_shown_in_japanese_too(two_years, staff_user):
    rule_set = RuleSet.objects.get(course=two_years["course"], fiscal_year=2027)
    rule_set.max_days = 5
    rule_set.source_en = "FY2027 guidelines §2.1"
    rule_set.source_ja = "2027年度募集要項 2.1"
    save_rule_set(rule_set, by=staff_user)

    with translation.override("ja"):
        [message] = messages(check_plan(two_years[2027]), "basics")
    assert "2027年度募集要項 2.1" in message
    assert "FY2027" not in message


def test_a_fiscal_year_without_its_own_rule_set_keeps_the_last_earlier_one(staff_user):
    program = ProgramFactory()
    course = course_of_call(CallFactory(program=program, fiscal_year=2025), code="A")
    rule_set = start_fiscal_year(course, 2025, by=staff_user)
    rule_set.max_days = 6
    save_rule_set(rule_set, by=staff_user)

    assert rules_for(CallFactory(program=program, fiscal_year=2026), course).max_days == 6
    assert rules_for(CallFactory(program=program, fiscal_year=2024), course).max_days == 7


def test_a_new_fiscal_year_starts_as_a_copy_of_the_last(staff_user):
    course = course_of_call(CallFactory(fiscal_year=2026), code="C")
    last = start_fiscal_year(course, 2026, by=staff_user)
    last.max_invitees = 12
    last.source_en = "FY2026 guidelines §3"
    save_rule_set(last, by=staff_user)

    new = start_fiscal_year(course, 2027, by=staff_user)

    assert (new.fiscal_year, new.max_invitees, new.source_en) == (
        2027,
        12,
        "FY2026 guidelines §3",
    )
    assert RuleSet.objects.get(course=course, fiscal_year=2026).max_invitees == 12


def test_saving_a_rule_records_who_changed_what_and_raises_the_version(two_years, staff_user):
    rule_set = RuleSet.objects.get(course=two_years["course"], fiscal_year=2027)
    assert rule_set.version == 1
    rule_set.per_plan_cap_jpy = 4_000_000
    save_rule_set(rule_set, by=staff_user)

    rule_set.refresh_from_db()
    assert rule_set.version == 2
    change = rule_set.changes.first()
    assert (change.version, change.changed_by, change.changes) == (
        2,
        staff_user,
        {"per_plan_cap_jpy": [3_600_000, 4_000_000]},
    )


def test_saving_an_unchanged_rule_records_nothing(two_years, staff_user):
    rule_set = RuleSet.objects.get(course=two_years["course"], fiscal_year=2027)
    before = RuleChange.objects.count()

    save_rule_set(rule_set, by=staff_user)

    assert RuleChange.objects.count() == before
    rule_set.refresh_from_db()
    assert rule_set.version == 1


# A company host: funded for international airfare only where the rule set says so.


@pytest.fixture
def company_b_plan(staff_user):
    """A company's course B plan (airfare and accommodation), course B funding a company for
    airfare only in FY2026."""
    call = CallFactory(fiscal_year=2026)
    course = course_of_call(call, code="B", max_days=21)
    rule_set = start_fiscal_year(course, 2026, by=staff_user)
    rule_set.company_airfare_only = True
    save_rule_set(rule_set, by=staff_user)
    return PlanFactory(
        call=call, course=course, host=InstitutionFactory(kind=Institution.Kind.COMPANY)
    )


def test_company_host_of_course_b_is_funded_for_airfare_only(company_b_plan):
    line = company_b_plan.budget.get(category="accommodation")

    assert messages(check_plan(company_b_plan), "budget") == [
        "Accommodation: when a company hosts, the agency pays only international airfare; "
        "the host bears other costs."
    ]
    assert list(check_plan(company_b_plan).section("budget")) == [f"line-{line.pk}"]
    assert {row["category"]: row["covered_by"] for row in cost_coverage(company_b_plan)} == {
        "airfare": "agency",
        "accommodation": "host",
    }


def test_flag_off_for_course_b_a_company_may_claim_accommodation(company_b_plan, staff_user):
    rule_set = RuleSet.objects.get(course=company_b_plan.course, fiscal_year=2026)
    rule_set.company_airfare_only = False
    save_rule_set(rule_set, by=staff_user)

    assert not check_plan(company_b_plan)
    assert {row["category"]: row["covered_by"] for row in cost_coverage(company_b_plan)} == {
        "airfare": "agency",
        "accommodation": "agency",
    }


def test_the_rules_that_were_code_become_data_for_each_fiscal_year_with_calls():
    """The data migration: company hosts of A, B and C funded for airfare only, course D
    without the first-stay rule, and a rule set per fiscal year in which the course has calls."""
    program = ProgramFactory()
    courses = {}
    for code in ["A", "B", "C", "D"]:
        courses[code] = course_of_call(CallFactory(program=program, fiscal_year=2025), code=code)
        CallFactory(program=program, fiscal_year=2026, courses=[courses[code]])
    migration = import_module("programs.migrations.0004_rules_as_data")

    migration.rules_from_code_to_data(apps, None)

    rule_sets = RuleSet.objects.filter(course__program=program)
    assert sorted((r.course.code, r.fiscal_year) for r in rule_sets) == [
        (code, year) for code in "ABCD" for year in (2025, 2026)
    ]
    assert {r.course.code: (r.company_airfare_only, r.first_stay_required) for r in rule_sets} == {
        "A": (True, True),
        "B": (True, True),
        "C": (True, True),
        "D": (False, False),
    }
    assert Course.objects.get(pk=courses["D"].pk).first_stay_required is False


# A submitted plan keeps its outcome: the version records the rules it was checked against.


def test_a_plan_submitted_under_fy2026_rules_keeps_its_outcome_and_shows_them(
    client, institution, coordinator, staff_user
):
    call = CallFactory(fiscal_year=2026)
    course = course_of_call(call, code="A")
    rule_set = start_fiscal_year(course, 2026, by=staff_user)
    rule_set.source_en = "FY2026 guidelines §3.2"
    rule_set.source_ja = "2026年度募集要項 3.2"
    save_rule_set(rule_set, by=staff_user)
    plan = PlanFactory(call=call, course=course, host=institution, lead=coordinator)
    submit_plan(plan, by=coordinator)

    # Later the agency shortens course A's stays: the submitted 7-day plan stays submitted.
    rule_set.max_days = 5
    rule_set.source_en = "FY2026 guidelines §3.2 (revised)"
    save_rule_set(rule_set, by=staff_user)
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED

    version = plan.versions.get()
    assert version.data["rules"] == {
        "course": "A",
        "rule_set": rule_set.pk,
        "fiscal_year": 2026,
        "version": 2,  # started (1), its source given (2); the later cut is version 3
        "source_ja": "2026年度募集要項 3.2",
        "source_en": "FY2026 guidelines §3.2",
        "countries": {},  # no country rules for Thailand in this test
    }
    client.force_login(coordinator)
    page = client.get(reverse("plan_version", args=[plan.pk, 1])).content.decode()
    assert (
        "Checked against the rules of course A for fiscal year 2026, version 2. "
        "Source: FY2026 guidelines §3.2" in page
    )
    coordinator.preferred_language = "ja"
    coordinator.save(update_fields=["preferred_language"])
    client.force_login(coordinator)
    page = client.get(reverse("plan_version", args=[plan.pk, 1])).content.decode()
    assert "2026年度募集要項 3.2" in page
