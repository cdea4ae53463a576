"""Course D's rules are made of activities: staff keep the limits per kind of activity on the
rule-set page (checked, with history), and the data migration gave every course D them."""

import importlib
import json

import pytest
from django.apps import apps
from django.urls import reverse

from programs.domain.rules import start_fiscal_year
from programs.models import RuleSet
from tests.applications.factories import course_of_call
from tests.factories import CallFactory

from .test_staff_rules import rule_set_data

pytestmark = pytest.mark.django_db
LIMITS = {
    "invitation": {"max_people": 10, "max_days": 14, "max_jpy": 6_000_000},
    "dispatch": {"max_people": 10, "max_days": 14, "max_jpy": 6_000_000},
    "online": {"max_people": 200},
}


@pytest.fixture
def rule_set(staff_user):
    course = course_of_call(CallFactory(fiscal_year=2026), code="D")
    return start_fiscal_year(course, 2026, by=staff_user)


def post(client, rule_set, **changes):
    url = reverse("staff_rule_set_update", args=[rule_set.pk])
    return client.post(url, rule_set_data(rule_set, **changes))


def test_staff_make_a_course_of_activities_with_limits_and_the_history_shows_it(
    client, staff_user, rule_set
):
    client.force_login(staff_user)
    response = post(client, rule_set, uses_activities="on", activity_limits=json.dumps(LIMITS))
    assert response.status_code == 302
    rule_set.refresh_from_db()
    assert (rule_set.uses_activities, rule_set.activity_limits, rule_set.version) == (
        True,
        LIMITS,
        2,
    )
    page = client.get(reverse("staff_rule_set_update", args=[rule_set.pk])).content.decode()
    assert "plans are made of activities within the fiscal year (course D): False → True" in page


@pytest.mark.parametrize(
    "limits",
    [
        {"excursion": {"max_people": 10}},  # no such kind
        {"invitation": {"max_guests": 10}},  # no such limit
        {"invitation": {"max_people": -1}},
        {"invitation": {"max_people": 2.5}},
        {"invitation": {"max_people": "10"}},
        {"invitation": {"max_jpy": 2**31}},
        {"invitation": 10},
        ["invitation"],
    ],
)
def test_limits_that_are_not_whole_numbers_per_known_kind_are_refused_at_the_field(
    client, staff_user, rule_set, limits
):
    client.force_login(staff_user)
    response = post(client, rule_set, uses_activities="on", activity_limits=json.dumps(limits))
    assert response.status_code == 200
    assert response.context["form"].errors["activity_limits"] == [
        "Give, per kind of activity (invitation, dispatch, online), whole non-negative numbers "
        'for max_people, max_days or max_jpy, e.g. {"invitation": {"max_people": 10, '
        '"max_days": 14, "max_jpy": 6000000}}.'
    ]
    rule_set.refresh_from_db()
    assert (rule_set.uses_activities, rule_set.version) == (False, 1)


def test_the_migration_makes_every_course_d_of_activities_with_demo_limits(rule_set, staff_user):
    course_b = course_of_call(CallFactory(fiscal_year=2026), code="B")
    other = start_fiscal_year(course_b, 2026, by=staff_user)
    migration = importlib.import_module("programs.migrations.0008_course_d_activity_limits")
    migration.course_d_uses_activities(apps, None)
    migration.course_d_uses_activities(apps, None)  # twice: nothing more
    rule_set = RuleSet.objects.get(pk=rule_set.pk)
    assert rule_set.uses_activities is True
    assert rule_set.activity_limits == LIMITS
    assert rule_set.source_en.endswith("activity limits: demo figures")
    assert rule_set.source_en.count("demo figures") == 1
    other.refresh_from_db()
    assert (other.uses_activities, other.activity_limits) == (False, {})
