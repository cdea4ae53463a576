"""A submitted version keeps the export-control screening it was checked with: the host's
answers and the security forms (names and checksums, like attachments). Its page and "What
changed" show them in the reader's language."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.domain.snapshots import freeze_version
from applications.domain.states import submit_plan
from screening.domain.precheck import add_security_form, save_answers
from tests.factories import PartnerInstitutionFactory, PlanFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PDF_SHA256 = "56c2ac043c28d3543275a6f50b593a6beb0b6888ed8159ac02e3e7f4a32ccb26"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan(institution, coordinator):
    """PlanFactory's plan (answered: no ties, no listed technology, not the specific category)
    with the host's security form and that of its partner, Chulalongkorn University."""
    plan = PlanFactory(host=institution, lead=coordinator)
    plan.partners.set(
        [PartnerInstitutionFactory(host=institution, name="Chulalongkorn University")]
    )
    [partner] = plan.partners.all()
    add_security_form(plan, SimpleUploadedFile("host-form.pdf", PDF), partner=None, by=coordinator)
    add_security_form(
        plan, SimpleUploadedFile("chula-form.pdf", PDF), partner=partner, by=coordinator
    )
    return plan


def test_submitted_version_keeps_the_screening_answers_and_security_forms(plan):
    submit_plan(plan, by=plan.lead)

    [version] = plan.versions.all()
    stored = version.data["screening"]
    assert stored["answers"] == {
        "tied_to_listed_entity": "no",
        "listed_technology": "no",
        "exemption": "",
        "specific_category": "no",
        "explanation": "",
    }
    assert [(f["partner"], f["name"], f["size"]) for f in stored["security_forms"]] == [
        ("", "host-form.pdf", len(PDF)),
        ("Chulalongkorn University", "chula-form.pdf", len(PDF)),
    ]
    assert {f["sha256"] for f in stored["security_forms"]} == {PDF_SHA256}


def test_version_page_shows_the_screening_in_the_readers_language(client, coordinator, plan):
    submit_plan(plan, by=plan.lead)
    coordinator.preferred_language = "ja"
    coordinator.save()
    client.force_login(coordinator)

    text = client.get(reverse("plan_version", args=[plan.pk, 1])).content.decode()

    assert "安全保障輸出管理" in text
    assert f"Chulalongkorn Universityの様式：chula-form.pdf（sha256 {PDF_SHA256[:12]}）" in text
    assert f"受入機関の様式：host-form.pdf（sha256 {PDF_SHA256[:12]}）" in text
    assert "Form of" not in text
    assert "tied_to_listed_entity" not in text
    assert "— no<" not in text


def test_changed_answers_show_in_what_changed(client, coordinator, plan):
    freeze_version(plan, by=plan.lead)
    save_answers(
        plan,
        {"listed_technology": "yes", "exemption": "basic_science", "explanation": "Open lab."},
        by=coordinator,
    )
    freeze_version(plan, by=plan.lead)
    client.force_login(coordinator)

    text = client.get(reverse("plan_diff", args=[plan.pk])).content.decode()

    assert (
        "+ Will technology listed under the export control regulations be provided? — Yes"
    ) in text
    assert (
        "− Will technology listed under the export control regulations be provided? — No"
    ) in text
    assert "+ If so, which exemption applies? — Basic scientific research" in text
    assert "+ Explanation — Open lab." in text
