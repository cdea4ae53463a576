"""Required declarations: the course's rules list what the host must declare before
submission; Review and submit shows each as a required checkbox, a missing one refuses the
submission at its checkbox, and the submitted version records who ticked what, and when.

PlanFactory's plan passes every other rule; its course gets an FY2026 rule set with two
declarations (consent of each sending institution, export control) and a source.
"""

import pytest
from django.urls import reverse

from applications.domain.states import TransitionRefused, submit_plan
from applications.models import PlanState
from programs.domain.rules import save_rule_set, start_fiscal_year
from tests.factories import PlanFactory
from tests.programs.test_staff_rules import rule_set_data

pytestmark = pytest.mark.django_db

SOURCE_EN = "FY2026 guidelines §5"
SOURCE_JA = "2026年度募集要項 第5項"
CONSENT = {
    "code": "consent",
    "text_en": "The host has obtained the consent of each sending institution.",
    "text_ja": "受入れ機関は各派遣元機関の同意を得ています。",
}
EXPORT_CONTROL = {
    "code": "export_control",
    "text_en": "The host has checked export control.",
    "text_ja": "受入れ機関は安全保障輸出管理の確認を行いました。",
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(institution, coordinator, staff_user):
    plan = PlanFactory(host=institution, lead=coordinator)
    rule_set = start_fiscal_year(plan.course, 2026, by=staff_user)
    rule_set.declarations = [CONSENT, EXPORT_CONTROL]
    rule_set.source_en, rule_set.source_ja = SOURCE_EN, SOURCE_JA
    save_rule_set(rule_set, by=staff_user)
    return plan


def test_submit_refused_without_a_required_declaration(plan, coordinator):
    with pytest.raises(TransitionRefused) as refused:
        submit_plan(plan, by=coordinator, declarations=["consent"])

    assert refused.value.problems == {
        "export_control": (
            "Tick the declaration “The host has checked export control.” to submit the plan. "
            f"(Source: {SOURCE_EN})"
        )
    }
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT
    assert not plan.versions.exists()


def test_submit_with_every_declaration_records_who_ticked_what_and_when(plan, coordinator):
    submit_plan(plan, by=coordinator, declarations=["consent", "export_control"])

    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    [version] = plan.versions.all()
    assert [
        (item["code"], item["text_en"], item["text_ja"], item["ticked_by"])
        for item in version.data["declarations"]
    ] == [
        ("consent", CONSENT["text_en"], CONSENT["text_ja"], coordinator.pk),
        ("export_control", EXPORT_CONTROL["text_en"], EXPORT_CONTROL["text_ja"], coordinator.pk),
    ]
    assert version.data["declarations"][0]["ticked_by_name"] == "田中 一郎"
    assert version.data["declarations"][0]["ticked_at"] == plan.submitted_at.isoformat()


def test_submit_page_shows_each_declaration_as_a_required_checkbox(client, plan, coordinator):
    coordinator.preferred_language = "ja"
    coordinator.save()
    client.force_login(coordinator)

    page = client.get(reverse("plan_submit", args=[plan.pk]))

    form = page.context["declarations_form"]
    assert [field.label for field in form] == [CONSENT["text_ja"], EXPORT_CONTROL["text_ja"]]
    assert all(field.field.required for field in form)
    assert 'name="declaration_export_control" required' in page.content.decode()


def test_submit_page_refuses_a_missing_declaration_at_its_checkbox(client, plan, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("plan_submit", args=[plan.pk]), {"declaration_consent": "on"})

    assert response.status_code == 400
    assert response.context["declarations_form"].errors == {
        "declaration_export_control": [
            "Tick the declaration “The host has checked export control.” to submit the plan. "
            f"(Source: {SOURCE_EN})"
        ]
    }
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_submit_page_with_every_declaration_ticked_submits(client, plan, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("plan_submit", args=[plan.pk]),
        {"declaration_consent": "on", "declaration_export_control": "on"},
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    codes = [item["code"] for item in plan.versions.get().data["declarations"]]
    assert codes == ["consent", "export_control"]


def test_staff_write_declarations_one_per_line(client, plan, staff_user):
    rule_set = plan.course.rule_sets.get(fiscal_year=2026)
    client.force_login(staff_user)
    url = reverse("staff_rule_set_update", args=[rule_set.pk])
    text = (
        "export_control | The host has checked export control. | "
        "受入れ機関は安全保障輸出管理の確認を行いました。\n\n"
        "consent | The host has obtained the consent of each sending institution. | "
        "受入れ機関は各派遣元機関の同意を得ています。\n"
    )

    response = client.post(url, rule_set_data(rule_set, declarations=text))

    assert response.status_code == 302
    rule_set.refresh_from_db()
    assert rule_set.declarations == [EXPORT_CONTROL, CONSENT]
    assert rule_set.version == 3
    assert "required declarations:" in client.get(url).content.decode()


def test_staff_declaration_line_without_japanese_is_refused(client, plan, staff_user):
    rule_set = plan.course.rule_sets.get(fiscal_year=2026)
    client.force_login(staff_user)

    response = client.post(
        reverse("staff_rule_set_update", args=[rule_set.pk]),
        rule_set_data(rule_set, declarations="consent | The host has obtained the consent."),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "declarations": ["Line 1: give the code, the English and the Japanese text."]
    }


def test_version_page_shows_the_declarations_ticked_in_the_readers_language(
    client, plan, coordinator
):
    submit_plan(plan, by=coordinator, declarations=["consent", "export_control"])
    version = plan.versions.get()
    client.force_login(coordinator)

    english = client.get(reverse("plan_version", args=[plan.pk, version.number]))
    assert CONSENT["text_en"] in english.content.decode()
    assert "ticked by 田中 一郎" in english.content.decode()

    coordinator.preferred_language = "ja"
    coordinator.save()
    japanese = client.get(reverse("plan_version", args=[plan.pk, version.number]))
    assert CONSENT["text_ja"] in japanese.content.decode()
