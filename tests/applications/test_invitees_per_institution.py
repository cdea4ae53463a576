"""Invitees per sending institution, and whether escorts count (DESIGN: course C takes up to 8
people per sending institution, 12 in all from several).

Each test gives PlanFactory's plan (FY2026 call) a course C-like rule set: 1 to 12 invitees
in all, at most 8 per sending institution, with its source; and two partner institutions in
Thailand, Chulalongkorn and Mahidol. The planned invitees are replaced per test.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from applications.domain.checks import check_plan
from applications.models import PlannedInvitees
from programs.domain.rules import save_rule_set, start_fiscal_year
from tests.factories import PartnerInstitutionFactory, PlanFactory

from .view_helpers import invitees_data

pytestmark = pytest.mark.django_db

SOURCE_EN = "FY2026 guidelines, course C"
SOURCE_JA = "2026年度募集要項 Cコース"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(institution, coordinator):
    plan = PlanFactory(host=institution, lead=coordinator)
    plan.invitees.all().delete()
    return plan


@pytest.fixture
def rule_set(plan, staff_user):
    rule_set = start_fiscal_year(plan.course, 2026, by=staff_user)
    rule_set.max_invitees = 12
    rule_set.max_invitees_per_institution = 8
    rule_set.escorts_counted = True
    rule_set.source_en, rule_set.source_ja = SOURCE_EN, SOURCE_JA
    return save_rule_set(rule_set, by=staff_user)


@pytest.fixture
def chulalongkorn(plan):
    partner = PartnerInstitutionFactory(
        host=plan.host, name="Chulalongkorn University", country="TH"
    )
    plan.partners.add(partner)
    return partner


@pytest.fixture
def mahidol(plan):
    partner = PartnerInstitutionFactory(host=plan.host, name="Mahidol University", country="TH")
    plan.partners.add(partner)
    return partner


def invite(plan, institution, count, category="graduate"):
    PlannedInvitees.objects.create(
        plan=plan, sending_institution=institution, country="TH", category=category, count=count
    )


def test_eight_from_one_sending_institution_pass(plan, rule_set, chulalongkorn):
    invite(plan, chulalongkorn, 8)

    assert not check_plan(plan)


def test_nine_from_one_sending_institution_are_refused_at_the_invitees(
    plan, rule_set, chulalongkorn
):
    invite(plan, chulalongkorn, 9)

    problems = check_plan(plan)

    assert problems.section("partners") == {
        "invitees": [
            f"9 people come from Chulalongkorn University; course {plan.course.code} allows at "
            f"most 8 per sending institution. (Source: {SOURCE_EN})"
        ]
    }


def test_too_many_from_one_sending_institution_in_japanese(plan, rule_set, chulalongkorn):
    invite(plan, chulalongkorn, 9)

    with translation.override("ja"):
        [message] = check_plan(plan).section("partners")["invitees"]

    assert "Chulalongkorn University" in message
    assert "8" in message
    assert SOURCE_JA in message


def test_twelve_in_all_from_two_sending_institutions_pass(plan, rule_set, chulalongkorn, mahidol):
    invite(plan, chulalongkorn, 8)
    invite(plan, mahidol, 4)

    assert not check_plan(plan)


def test_thirteen_in_all_from_two_sending_institutions_are_refused(
    plan, rule_set, chulalongkorn, mahidol
):
    invite(plan, chulalongkorn, 8)
    invite(plan, mahidol, 5)

    problems = check_plan(plan)

    assert problems.section("partners") == {
        "invitees": [
            f"The plan invites 13 people; course {plan.course.code} allows 1 to 12 "
            f"(escorts included). (Source: {SOURCE_EN})"
        ]
    }


def test_an_escort_counts_towards_the_institution_limit_when_the_rule_says_so(
    plan, rule_set, chulalongkorn
):
    invite(plan, chulalongkorn, 8)
    invite(plan, chulalongkorn, 1, category="escort")

    assert list(check_plan(plan).section("partners")) == ["invitees"]


def test_an_escort_is_not_counted_when_the_rule_says_so(
    plan, rule_set, chulalongkorn, mahidol, staff_user
):
    rule_set.escorts_counted = False
    save_rule_set(rule_set, by=staff_user)
    invite(plan, chulalongkorn, 8)
    invite(plan, chulalongkorn, 1, category="escort")
    invite(plan, mahidol, 4)
    invite(plan, mahidol, 1, category="escort")

    assert not check_plan(plan)


def test_escorts_not_counted_thirteen_others_are_still_refused(
    plan, rule_set, chulalongkorn, mahidol, staff_user
):
    rule_set.escorts_counted = False
    save_rule_set(rule_set, by=staff_user)
    invite(plan, chulalongkorn, 8)
    invite(plan, mahidol, 5)
    invite(plan, mahidol, 1, category="escort")

    problems = check_plan(plan)

    assert problems.section("partners") == {
        "invitees": [
            f"The plan invites 13 people besides its escorts; course {plan.course.code} allows "
            f"1 to 12 (escorts not counted). (Source: {SOURCE_EN})"
        ]
    }


def test_sending_institution_not_said_is_refused_where_the_rule_limits_it(
    plan, rule_set, chulalongkorn
):
    invite(plan, None, 4)

    problems = check_plan(plan)

    assert problems.section("partners") == {
        "invitees": [
            f"Say which partner institution sends the invitees from Thailand; course "
            f"{plan.course.code} allows at most 8 per sending institution. (Source: {SOURCE_EN})"
        ]
    }


def test_sending_institution_may_stay_unsaid_without_a_limit(plan, chulalongkorn):
    invite(plan, None, 4)

    assert not check_plan(plan)


def test_partners_page_offers_the_plans_partners_as_sending_institutions(
    client, coordinator, plan, chulalongkorn
):
    other = PartnerInstitutionFactory(host=plan.host, name="Kasetsart University", country="TH")
    client.force_login(coordinator)
    url = reverse("plan_edit_partners", args=[plan.pk])

    response = client.get(url)

    choices = response.context["formset"].forms[0].fields["sending_institution"].queryset
    assert chulalongkorn in choices
    assert other not in choices

    data = invitees_data(plan)
    data.update(
        {
            "invitees-TOTAL_FORMS": 1,
            "invitees-0-sending_institution": chulalongkorn.pk,
            "invitees-0-country": "TH",
            "invitees-0-category": "graduate",
            "invitees-0-count": 6,
        }
    )
    response = client.post(url, data)

    assert response.status_code == 302
    [row] = plan.invitees.all()
    assert (row.sending_institution, row.count) == (chulalongkorn, 6)

    plan.refresh_from_db()
    data.update(
        {
            "plan_version": plan.version,
            "invitees-INITIAL_FORMS": 1,
            "invitees-0-id": row.pk,
            "invitees-0-sending_institution": other.pk,
        }
    )
    response = client.post(url, data)

    assert response.status_code == 400
    assert "sending_institution" in response.context["formset"].forms[0].errors
