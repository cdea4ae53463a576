"""The rules of the invitees' and partners' countries, per fiscal year (guidelines' checklist).

Airfare cap by departure country: the plan's international airfare (all its airfare lines)
may be at most the sum of each invitee's country's cap × the people from that country,
escorts included. PlanFactory's plan invites 5 people from Thailand (4 graduates, 1 escort)
and asks for airfare of ¥150,000 × 5 = ¥750,000, in an FY2026 call.

China: the sending institution registers each round with its government; the host enters the
receipt number on the partners page, and the plan cannot be submitted without it.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from applications.domain.checks import check_plan
from applications.domain.snapshots import freeze_version
from applications.domain.states import submit_plan
from applications.models import RegistrationReceipt
from programs.domain.rules import save_country_rule
from programs.models import CountryRule
from tests.factories import PartnerInstitutionFactory, PlanFactory

from .view_helpers import invitees_data

pytestmark = pytest.mark.django_db

SOURCE_EN = "FY2026 guidelines, airfare table"
SOURCE_JA = "2026年度募集要項 航空運賃上限表"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(institution, coordinator):
    return PlanFactory(host=institution, lead=coordinator)


def thailand_cap(cap, staff_user, *, year=2026):
    return save_country_rule(
        CountryRule(
            country="TH",
            fiscal_year=year,
            airfare_cap_jpy=cap,
            source_en=SOURCE_EN,
            source_ja=SOURCE_JA,
        ),
        by=staff_user,
    )


def test_airfare_exactly_at_the_country_cap_passes(plan, staff_user):
    thailand_cap(150_000, staff_user)

    assert not check_plan(plan)


def test_airfare_over_the_country_cap_is_refused_at_the_airfare_line(plan, staff_user):
    thailand_cap(149_999, staff_user)
    airfare = plan.budget.get(category="airfare")

    problems = check_plan(plan)

    assert problems.section("budget") == {
        f"line-{airfare.pk}": [
            "International airfare of ¥750,000 is over the cap of ¥749,995 for these invitees "
            f"(Thailand: 5 × ¥149,999). (Source: {SOURCE_EN})"
        ]
    }
    assert len(problems) == 1


def test_airfare_over_the_country_cap_in_japanese(plan, staff_user):
    thailand_cap(149_999, staff_user)
    airfare = plan.budget.get(category="airfare")

    with translation.override("ja"):
        [message] = check_plan(plan).section("budget")[f"line-{airfare.pk}"]

    assert "¥750,000" in message and "¥749,995" in message
    assert "タイ" in message
    assert SOURCE_JA in message
    assert "International airfare" not in message


def test_the_cap_of_another_fiscal_year_does_not_apply(plan, staff_user):
    thailand_cap(149_999, staff_user, year=2027)

    assert not check_plan(plan)


def test_a_country_without_a_cap_is_not_limited(plan, staff_user):
    thailand_cap(None, staff_user)

    assert not check_plan(plan)


# China: the receipt number of the sending institution's registration.


@pytest.fixture
def chinese_partner(plan, staff_user):
    partner = PartnerInstitutionFactory(host=plan.host, country="CN", name="Fudan University")
    plan.partners.add(partner)
    save_country_rule(
        CountryRule(
            country="CN",
            fiscal_year=2026,
            registration_receipt_required=True,
            source_en="FY2026 guidelines §5 (China)",
            source_ja="2026年度募集要項 5（中国）",
        ),
        by=staff_user,
    )
    return partner


def test_missing_receipt_number_of_a_chinese_partner_is_refused_at_its_field(plan, chinese_partner):
    problems = check_plan(plan)

    assert problems.section("partners") == {
        f"receipt_{chinese_partner.pk}": [
            "Give the receipt number of Fudan University's registration of this round with "
            "the authorities of China. (Source: FY2026 guidelines §5 (China))"
        ]
    }
    assert len(problems) == 1


def test_missing_receipt_number_in_japanese(plan, chinese_partner):
    with translation.override("ja"):
        [message] = check_plan(plan).section("partners")[f"receipt_{chinese_partner.pk}"]

    assert "Fudan University" in message
    assert "中国" in message
    assert "2026年度募集要項 5（中国）" in message
    assert "Give the receipt number" not in message


def test_the_host_enters_the_receipt_number_on_the_partners_page(
    client, coordinator, plan, chinese_partner
):
    client.force_login(coordinator)
    url = reverse("plan_edit_partners", args=[plan.pk])
    page = client.get(url).content.decode()
    assert f'name="receipt_{chinese_partner.pk}"' in page
    assert "Registration receipt number of Fudan University (this round)" in page

    response = client.post(
        url, {**invitees_data(plan), f"receipt_{chinese_partner.pk}": " CN-2026-000123 "}
    )

    assert response.status_code == 302
    assert RegistrationReceipt.objects.get(plan=plan, partner=chinese_partner).number == (
        "CN-2026-000123"
    )
    assert not check_plan(plan)


def test_no_receipt_field_where_no_country_asks_for_it(client, coordinator, plan):
    client.force_login(coordinator)

    page = client.get(reverse("plan_edit_partners", args=[plan.pk])).content.decode()

    assert 'name="receipt_' not in page


def test_submitted_version_keeps_the_receipt_numbers_it_was_checked_with(
    client, coordinator, plan, chinese_partner
):
    RegistrationReceipt.objects.create(plan=plan, partner=chinese_partner, number="CN-2026-000123")

    submit_plan(plan, by=plan.lead)

    [version] = plan.versions.all()
    assert version.data["registration_receipts"] == [
        {"partner": "Fudan University", "country": "CN", "number": "CN-2026-000123"}
    ]
    coordinator.preferred_language = "ja"
    coordinator.save()
    client.force_login(coordinator)
    page = client.get(reverse("plan_version", args=[plan.pk, 1])).content.decode()
    assert "<h2>登録受理番号</h2>" in page
    assert "<li>Fudan University（中国）：CN-2026-000123</li>" in page


def test_a_changed_receipt_number_shows_in_what_changed(client, coordinator, plan, chinese_partner):
    receipt = RegistrationReceipt.objects.create(
        plan=plan, partner=chinese_partner, number="CN-2026-000123"
    )
    freeze_version(plan, by=plan.lead)
    receipt.number = "CN-2026-000456"
    receipt.save()
    freeze_version(plan, by=plan.lead)
    client.force_login(coordinator)

    text = client.get(reverse("plan_diff", args=[plan.pk])).content.decode()

    assert "+ Fudan University (China): CN-2026-000456" in text
    assert "− Fudan University (China): CN-2026-000123" in text


def test_missing_receipt_number_is_shown_at_its_input_on_the_partners_page(
    client, coordinator, plan, chinese_partner
):
    client.force_login(coordinator)

    page = client.get(reverse("plan_edit_partners", args=[plan.pk])).content.decode()

    field = f"id_receipt_{chinese_partner.pk}"
    assert (
        f'<p class="needed" id="{field}_needed">Give the receipt number of Fudan University'
    ) in page
    [receipt_input] = re.findall(rf'<input[^>]*id="{field}"[^>]*>', page)
    assert 'aria-invalid="true"' in receipt_input
    assert f"{field}_needed" in re.search(r'aria-describedby="([^"]*)"', receipt_input)[1]
