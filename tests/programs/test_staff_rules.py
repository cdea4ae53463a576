"""Staff keep the program's rules on their own pages, and every change is in the history."""

import pytest
from django.urls import reverse

from programs.domain.rules import save_country_rule, start_fiscal_year
from programs.models import CountryRule, RuleSet
from tests.applications.factories import course_of_call
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db


def rule_set_data(rule_set, **changes):
    data = {
        "max_days": rule_set.max_days,
        "min_invitees": rule_set.min_invitees,
        "max_invitees": rule_set.max_invitees,
        "max_invitees_per_institution": rule_set.max_invitees_per_institution or "",
        "escorts_counted": "on" if rule_set.escorts_counted else "",
        "eligible_categories": rule_set.eligible_categories,
        "age_limit": rule_set.age_limit or "",
        "first_stay_required": "on" if rule_set.first_stay_required else "",
        "company_airfare_only": "on" if rule_set.company_airfare_only else "",
        "required_attachments": rule_set.required_attachments,
        "line_caps_jpy": "{}",
        "per_person_cap_jpy": rule_set.per_person_cap_jpy or "",
        "per_plan_cap_jpy": rule_set.per_plan_cap_jpy or "",
        "declarations": "\n".join(
            f"{item['code']} | {item['text_en']} | {item['text_ja']}"
            for item in rule_set.declarations
        ),
        "source_ja": rule_set.source_ja,
        "source_en": rule_set.source_en,
    }
    data.update(changes)
    return data


@pytest.fixture
def rule_set(staff_user):
    course = course_of_call(CallFactory(fiscal_year=2026), code="A")
    return start_fiscal_year(course, 2026, by=staff_user)


def test_staff_raise_a_cap_and_the_page_shows_who_changed_what(client, staff_user, rule_set):
    client.force_login(staff_user)
    url = reverse("staff_rule_set_update", args=[rule_set.pk])

    response = client.post(
        url,
        rule_set_data(
            rule_set, per_plan_cap_jpy=4_000_000, source_en="FY2026 guidelines §3.2 (revised)"
        ),
    )

    assert response.status_code == 302
    rule_set.refresh_from_db()
    assert (rule_set.per_plan_cap_jpy, rule_set.version) == (4_000_000, 2)
    page = client.get(url).content.decode()
    assert "Program Officer" in page
    assert "cost cap per plan (JPY): 3600000 → 4000000" in page
    assert "Version 2" in page


def test_staff_limit_invitees_per_sending_institution_and_stop_counting_escorts(
    client, staff_user, rule_set
):
    client.force_login(staff_user)
    url = reverse("staff_rule_set_update", args=[rule_set.pk])

    response = client.post(
        url, rule_set_data(rule_set, max_invitees_per_institution=8, escorts_counted="")
    )

    assert response.status_code == 302
    rule_set.refresh_from_db()
    assert (rule_set.max_invitees_per_institution, rule_set.escorts_counted) == (8, False)
    assert rule_set.version == 2
    page = client.get(url).content.decode()
    assert "maximum invitees per sending institution: — → 8" in page
    assert "escorts (supervisors) count towards the invitee limits: True → False" in page


def test_minimum_above_maximum_is_refused_at_its_field(client, staff_user, rule_set):
    client.force_login(staff_user)

    response = client.post(
        reverse("staff_rule_set_update", args=[rule_set.pk]),
        rule_set_data(rule_set, min_invitees=9, max_invitees=8),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "min_invitees": ["The minimum cannot be larger than the maximum."]
    }
    rule_set.refresh_from_db()
    assert rule_set.version == 1


def test_staff_start_a_fiscal_year_as_a_copy_of_the_last(client, staff_user, rule_set):
    client.force_login(staff_user)

    response = client.post(
        reverse("staff_rule_list"), {"course": rule_set.course.pk, "fiscal_year": 2027}
    )

    new = RuleSet.objects.get(course=rule_set.course, fiscal_year=2027)
    assert response.url == reverse("staff_rule_set_update", args=[new.pk])
    assert new.max_days == rule_set.max_days == 7


def test_staff_add_a_country_rule(client, staff_user):
    client.force_login(staff_user)

    response = client.post(
        reverse("staff_country_rule_create"),
        {
            "country": "CN",
            "fiscal_year": 2026,
            "airfare_cap_jpy": 120_000,
            "registration_receipt_required": "on",
            "source_ja": "2026年度募集要項 5",
            "source_en": "FY2026 guidelines §5",
        },
    )

    rule = CountryRule.objects.get(country="CN", fiscal_year=2026)
    assert response.url == reverse("staff_country_rule_update", args=[rule.pk])
    assert (rule.airfare_cap_jpy, rule.registration_receipt_required) == (120_000, True)
    assert rule.changes.get().changed_by == staff_user


def test_the_rules_pages_are_for_staff_only(client, coordinator, rule_set, staff_user):
    rule = save_country_rule(CountryRule(country="TH", fiscal_year=2026), by=staff_user)
    client.force_login(coordinator)

    for url in [
        reverse("staff_rule_list"),
        reverse("staff_rule_set_update", args=[rule_set.pk]),
        reverse("staff_country_rule_create"),
        reverse("staff_country_rule_update", args=[rule.pk]),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert RuleSet.objects.count() == 1


def test_the_rules_list_runs_the_same_queries_for_one_or_many_rules(
    client, staff_user, rule_set, django_assert_num_queries
):
    client.force_login(staff_user)
    client.get(reverse("staff_rule_list"))
    with django_assert_num_queries(6) as one:
        client.get(reverse("staff_rule_list"))
    for year in (2027, 2028):
        start_fiscal_year(rule_set.course, year, by=staff_user)
    start_fiscal_year(course_of_call(CallFactory(), code="B"), 2026, by=staff_user)
    for country in ["TH", "CN", "IN"]:
        save_country_rule(CountryRule(country=country, fiscal_year=2026), by=staff_user)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("staff_rule_list"))
