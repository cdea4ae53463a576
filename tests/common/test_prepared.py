"""A query compiled once per process reads what the ORM would read, with each read's own
values: the plan a page shows, by its id and the hosts whose plans the user may see."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F, Value
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.domain.editing import editing
from applications.models import BudgetLine, InvitationPlan
from common.prepared import PreparedQuery, keep_as_prefetched
from institutions.models import PartnerInstitution
from tests.factories import CallFactory, PlanFactory

pytestmark = pytest.mark.django_db


def plans(pk, hosts):
    plans = InvitationPlan.objects.select_related("call__program", "course", "host")
    if hosts is not None:
        plans = plans.filter(host_id__in=hosts)
    return plans.filter(pk=pk).annotate(doubled_number=F("number") * 2, marked=Value("yes"))


@pytest.fixture
def two_plans():
    call = CallFactory(budget_jpy=123_000_000)
    return PlanFactory(call=call, number=7), PlanFactory(call=call, number=8)


def test_reads_the_plan_with_its_related_rows_and_annotations(two_plans, django_assert_num_queries):
    first, _second = two_plans
    with django_assert_num_queries(1):
        plan = PreparedQuery(plans).get(pk=first.pk, hosts=[first.host_id])
        assert plan.call.budget_jpy == 123_000_000
        assert plan.call.program.name_en == first.call.program.name_en
        assert plan.host.name_ja == first.host.name_ja
        assert (plan.doubled_number, plan.marked) == (14, "yes")


def test_each_read_has_its_own_values_and_compiles_once(two_plans, django_assert_num_queries):
    first, second = two_plans
    built = []

    def counted(pk, hosts):
        built.append(pk)
        return plans(pk, hosts)

    read = PreparedQuery(counted)
    assert read.get(pk=first.pk, hosts=[first.host_id]).number == 7
    assert len(built) == 2  # compiled with two sets of stand-ins, to check the parameters
    with django_assert_num_queries(1):
        assert read.get(pk=second.pk, hosts=[second.host_id]).number == 8
    with pytest.raises(InvitationPlan.DoesNotExist):
        read.get(pk=second.pk, hosts=[first.host_id])  # another institution's plan
    assert read.get(pk=first.pk, hosts=[second.host_id, first.host_id]).number == 7
    assert read.get(pk=second.pk, hosts=None).number == 8  # a program officer: every plan
    assert len(built) == 6  # one compilation per shape: one host, two hosts, none


def test_no_host_reads_nothing(two_plans, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(InvitationPlan.DoesNotExist):
        PreparedQuery(plans).get(pk=two_plans[0].pk, hosts=[])


@pytest.mark.parametrize("pk", [2**31, 2**63 + 5, -1])
def test_an_id_past_any_plan_finds_nothing(two_plans, pk):
    first = two_plans[0]
    read = PreparedQuery(plans)
    assert read.get(pk=first.pk, hosts=None) == first
    with pytest.raises(InvitationPlan.DoesNotExist):
        read.get(pk=pk, hosts=None)


def test_an_id_past_any_integer_column_is_not_asked_for(two_plans, django_assert_num_queries):
    read = PreparedQuery(plans)
    with django_assert_num_queries(0), pytest.raises(InvitationPlan.DoesNotExist):
        read.get(pk=2**63, hosts=None)  # SQLite (make run) would refuse it: a 500
    with django_assert_num_queries(0), pytest.raises(InvitationPlan.DoesNotExist):
        read.get(pk=two_plans[0].pk, hosts=[-(2**63) - 1])


def test_a_plan_page_with_an_id_past_any_plan_is_not_found(client, coordinator):
    client.force_login(coordinator)
    for pk in (2**31 + 1, 2**64):
        response = client.get(reverse("plan_detail", args=[pk]))
        assert response.status_code == 404


def test_refuses_a_query_with_a_parameter_of_its_own(two_plans):
    def with_the_time(pk, hosts):
        return plans(pk, hosts).filter(updated_at__lte=timezone.now())

    with pytest.raises(ImproperlyConfigured):
        PreparedQuery(with_the_time).get(pk=two_plans[0].pk, hosts=None)


def test_refuses_a_query_that_leaves_out_a_value(two_plans):
    with pytest.raises(ImproperlyConfigured):
        PreparedQuery(lambda pk, hosts: plans(pk, None)).get(pk=two_plans[0].pk, hosts=[1])


def test_refuses_a_query_that_reads_more_rows_after(two_plans):
    with pytest.raises(ImproperlyConfigured):
        PreparedQuery(lambda pk: plans(pk, None).prefetch_related("partners")).get(pk=1)


def test_rows_kept_as_prefetched_are_the_relations_rows(two_plans, django_assert_num_queries):
    first, second = two_plans
    lines = PreparedQuery(lambda plan: BudgetLine.objects.filter(plan=plan))
    assert [line.category for line in lines.all(plan=second.pk)] == ["airfare", "accommodation"]
    plan = InvitationPlan.objects.get(pk=first.pk)
    keep_as_prefetched(plan, "budget", lines.all(plan=first.pk))
    with django_assert_num_queries(0):
        kept = list(plan.budget.all())
        assert [(line.category, line.quantity) for line in kept] == [
            ("airfare", 5),
            ("accommodation", 30),
        ]
        assert kept[0].plan is plan
    with django_assert_num_queries(1):  # a filter of the kept rows still asks the database
        assert [line.category for line in plan.budget.filter(quantity=30)] == ["accommodation"]


def test_an_edit_reads_its_plan_locked(two_plans):
    """The plan an edit reads (a query compiled once) is locked until the edit commits."""
    plan = two_plans[0]
    for _ in range(2):  # compiled, then as compiled
        with (
            CaptureQueriesContext(connection) as queries,
            editing(plan, by=plan.lead, expected_version=plan.version),
        ):
            pass
        plan.refresh_from_db()
        [read] = [
            q["sql"]
            for q in queries
            if q["sql"].startswith("SELECT") and 'FROM "applications_invitationplan"' in q["sql"]
        ]
        assert f'"applications_invitationplan"."id" = {plan.pk}' in read
        assert read.endswith("FOR UPDATE")


def test_values_come_back_as_their_fields_make_them(two_plans):
    """A column's converter (a country field's Country) is applied on every read."""
    partners = PreparedQuery(lambda plan: PartnerInstitution.objects.filter(plans=plan))
    for plan in two_plans:  # compiled, then as compiled
        [partner] = partners.all(plan=plan.pk)
        assert (partner.country.code, partner.country.name) == ("TH", "Thailand")
