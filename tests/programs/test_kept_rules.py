"""Each process keeps the rules it read (programs.domain.rules.KeptRules): a request compares
the shared generation once and reads a rule set or a year's country rules at most once; a
rule saved here or in another process is read again from the next request on; a transaction
always reads the database; without the cache every read goes to the database.

These tests commit (transaction=True): inside the transaction every other test runs in, the
rules are never kept."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.domain.rules import (
    country_rules_for,
    rules_changed,
    rules_for,
    save_country_rule,
    save_rule_set,
    start_fiscal_year,
)
from programs.models import CountryRule, RuleSet
from tests.applications.factories import course_of_call
from tests.conftest import _database_url_of_test_database, with_two_factor
from tests.factories import CallFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def next_request():
    """What Django's handler signals between two requests."""
    request_finished.send(sender=None)
    request_started.send(sender=None)


def rule_set_reads(queries):
    return sum('FROM "programs_ruleset"' in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def officer():
    return UserFactory(is_staff=True)


@pytest.fixture
def call_and_course(officer):
    call = CallFactory(fiscal_year=2026)
    course = course_of_call(call, max_days=10)
    rule_set = start_fiscal_year(course, 2026, by=officer)
    assert rule_set.max_days == 10
    next_request()
    yield call, course
    request_finished.send(sender=None)


def test_a_request_reads_the_rule_set_once_and_the_next_ones_keep_it(
    call_and_course, django_assert_num_queries
):
    call, course = call_and_course
    with django_assert_num_queries(1):
        assert rules_for(call, course).max_days == 10
        assert rules_for(call, course).max_days == 10
    next_request()
    with django_assert_num_queries(0):
        assert rules_for(call, course).max_days == 10


def test_a_rule_set_saved_here_is_read_again(call_and_course, officer):
    call, course = call_and_course
    assert rules_for(call, course).max_days == 10
    rule_set = RuleSet.objects.get(course=course, fiscal_year=2026)
    rule_set.max_days = 12
    save_rule_set(rule_set, by=officer)
    next_request()
    rules = rules_for(call, course)
    assert (rules.max_days, rules.version) == (12, 2)


def test_a_rule_set_saved_in_another_process_is_read_from_the_next_request_on(
    call_and_course, officer
):
    call, course = call_and_course
    assert rules_for(call, course).max_days == 10
    rule_set = RuleSet.objects.get(course=course, fiscal_year=2026)
    script = (
        "from accounts.models import User\n"
        "from programs.domain.rules import save_rule_set\n"
        "from programs.models import RuleSet\n"
        f"rule_set = RuleSet.objects.get(pk={rule_set.pk})\n"
        "rule_set.max_days = 9\n"
        f"save_rule_set(rule_set, by=User.objects.get(pk={officer.pk}))\n"
    )
    environment = {**os.environ, "DATABASE_URL": _database_url_of_test_database()}
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=120,
    )
    # The request under way keeps what it began with; the next one reads the change.
    assert rules_for(call, course).max_days == 10
    next_request()
    assert rules_for(call, course).max_days == 9


def test_a_rule_set_deleted_in_the_admin_is_forgotten(call_and_course, client):
    """(The admin deletes only a rule set without history: its changes are kept.)"""
    call, course = call_and_course
    next_year = CallFactory(program=call.program, fiscal_year=2027)
    rule_set = RuleSet.objects.create(course=course, fiscal_year=2027, max_days=12, max_invitees=10)
    rules_changed()
    next_request()
    assert rules_for(next_year, course).max_days == 12
    client.force_login(with_two_factor(UserFactory(is_staff=True, is_superuser=True)))
    url = reverse("admin:programs_ruleset_delete", args=[rule_set.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    next_request()
    rules = rules_for(next_year, course)
    assert (rules.max_days, rules.rule_set_fiscal_year) == (10, 2026)  # the year before's


def test_a_transaction_reads_the_database_and_a_row_written_otherwise_needs_rules_changed(
    call_and_course, django_assert_num_queries
):
    call, course = call_and_course
    assert rules_for(call, course).max_days == 10
    RuleSet.objects.filter(course=course, fiscal_year=2026).update(max_days=5)
    next_request()
    with transaction.atomic(), django_assert_num_queries(1):
        assert rules_for(call, course).max_days == 5
    assert rules_for(call, course).max_days == 10  # kept: written behind the rules' back
    rules_changed()
    next_request()
    assert rules_for(call, course).max_days == 5


def test_a_years_country_rules_are_read_once_for_every_country(officer, django_assert_num_queries):
    save_country_rule(
        CountryRule(country="CN", fiscal_year=2025, airfare_cap_jpy=90_000), by=officer
    )
    save_country_rule(
        CountryRule(country="IN", fiscal_year=2026, airfare_cap_jpy=150_000), by=officer
    )
    save_country_rule(CountryRule(country="IN", fiscal_year=2027, airfare_cap_jpy=1), by=officer)
    next_request()
    with django_assert_num_queries(1):
        china = country_rules_for(2026, ["CN"])
        india_and_thailand = country_rules_for(2026, ["IN", "TH"])
    assert {code: rule.airfare_cap_jpy for code, rule in china.items()} == {"CN": 90_000}
    assert {code: rule.airfare_cap_jpy for code, rule in india_and_thailand.items()} == {
        "IN": 150_000
    }
    request_finished.send(sender=None)


def test_without_the_cache_every_read_goes_to_the_database(
    own_redis, call_and_course, django_assert_num_queries
):
    call, course = call_and_course
    own_redis.stop()
    next_request()
    with django_assert_num_queries(2):
        assert rules_for(call, course).max_days == 10
        assert rules_for(call, course).max_days == 10


def test_with_a_cache_of_this_process_only_every_read_goes_to_the_database(
    call_and_course, settings, django_assert_num_queries
):
    """`make run`'s cache: a command run beside the server could not tell it of a change."""
    call, course = call_and_course
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    next_request()
    with django_assert_num_queries(2):
        assert rules_for(call, course).max_days == 10
        assert rules_for(call, course).max_days == 10


def test_the_editor_reads_the_rules_once_for_every_later_page(institution, client):
    plan = PlanFactory(host=institution)
    client.force_login(plan.lead)
    url = reverse("plan_edit_basics", args=[plan.pk])
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as later:
        assert client.get(url).status_code == 200
        assert client.get(reverse("plan_detail", args=[plan.pk])).status_code == 200
    assert (rule_set_reads(first), rule_set_reads(later)) == (1, 0)
