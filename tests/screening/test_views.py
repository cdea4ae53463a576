"""The screening pages: the host answers the pre-check and uploads the security forms; staff
upload the list and resolve matches. Only the host's coordinators and staff see them
(reviewers and other institutions get 404); every page showing matches is in the audit log."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.domain.checks import check_plan
from institutions.domain.partners import save_partner
from institutions.models import PartnerInstitution
from reviews.models import ReviewAssignment
from screening.models import (
    ScreeningAccess,
    ScreeningAnswers,
    ScreeningMatch,
    SecurityForm,
    SecurityFormRequirement,
)
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def plan(institution, coordinator, end_user_list):
    plan = PlanFactory(host=institution, lead=coordinator)
    partner = save_partner(
        PartnerInstitution(host=institution, name="ZIAP", country="IN", kind="research_institute")
    )
    plan.partners.add(partner)
    return plan


def test_host_sees_the_match_with_its_score_and_listed_entry_and_it_is_logged(
    client, coordinator, plan
):
    client.force_login(coordinator)

    response = client.get(reverse("plan_screening", args=[plan.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Zephyria Institute of Advanced Propulsion" in page
    assert "<td>100</td>" in page
    access = ScreeningAccess.objects.get()
    assert (access.actor, access.matches) == (coordinator, 1)
    assert plan.reference in access.what


@pytest.mark.parametrize("who", ["reviewer", "other_coordinator"])
def test_reviewers_and_other_institutions_get_404_on_screening_pages(
    client, plan, staff_user, request, who
):
    user = request.getfixturevalue(who)
    if who == "reviewer":
        ReviewAssignment.objects.create(plan=plan, reviewer=user, assigned_by=staff_user)
    client.force_login(user)
    match = ScreeningMatch.objects.get()

    assert client.get(reverse("plan_screening", args=[plan.pk])).status_code == 404
    assert client.get(reverse("screening_resolve", args=[match.pk])).status_code == 404
    assert client.get(reverse("staff_screening")).status_code == 403
    assert not ScreeningAccess.objects.exists()


def test_host_answers_are_saved_and_the_section_is_complete(client, coordinator, plan):
    ScreeningAnswers.objects.filter(plan=plan).delete()
    assert check_plan(plan).section("screening")
    client.force_login(coordinator)

    response = client.post(
        reverse("plan_screening", args=[plan.pk]),
        {
            "tied_to_listed_entity": "no",
            "listed_technology": "yes",
            "exemption": "basic_science",
            "specific_category": "no",
            "explanation": "",
        },
    )

    assert response.status_code == 302
    answers = ScreeningAnswers.objects.get(plan=plan)
    assert (answers.listed_technology, answers.exemption, answers.updated_by) == (
        "yes",
        "basic_science",
        coordinator,
    )
    assert not check_plan(plan).section("screening")


def test_unanswered_screening_stops_submission_at_its_fields_all_at_once(plan):
    ScreeningAnswers.objects.filter(plan=plan).delete()

    problems = check_plan(plan).section("screening")

    assert set(problems) == {"tied_to_listed_entity", "listed_technology", "specific_category"}


def test_listed_technology_without_exemption_needs_an_answer_and_an_explanation(plan):
    ScreeningAnswers.objects.filter(plan=plan).update(listed_technology="yes", exemption="")
    assert set(check_plan(plan).section("screening")) == {"exemption"}

    ScreeningAnswers.objects.filter(plan=plan).update(exemption="none")
    assert set(check_plan(plan).section("screening")) == {"explanation"}


def test_review_and_submit_links_the_screening_problem_to_its_page(client, coordinator, plan):
    ScreeningAnswers.objects.filter(plan=plan).delete()
    client.force_login(coordinator)

    page = client.get(reverse("plan_submit", args=[plan.pk])).content.decode()

    assert reverse("plan_screening", args=[plan.pk]) in page


def test_course_requiring_security_forms_needs_the_hosts_and_each_partners_pdf(
    client, coordinator, plan
):
    SecurityFormRequirement.objects.create(course=plan.course, required=True)
    partners = list(plan.partners.all())
    assert len(check_plan(plan).section("screening")["security_forms"]) == 1 + len(partners)
    client.force_login(coordinator)
    url = reverse("plan_screening", args=[plan.pk])

    refused = client.post(
        url, {"whose": "host", "file": SimpleUploadedFile("form.pdf", b"MZ not a pdf")}
    )
    assert refused.status_code == 400
    assert "This file is not a PDF" in refused.content.decode()

    for whose in ["host", *(str(p.pk) for p in partners)]:
        response = client.post(
            url, {"whose": whose, "file": SimpleUploadedFile(f"{whose}.pdf", PDF)}
        )
        assert response.status_code == 302
    assert SecurityForm.objects.filter(plan=plan).count() == 1 + len(partners)
    assert not check_plan(plan).section("screening")


def test_staff_resolve_a_match_on_the_staff_page(client, staff_user, plan):
    client.force_login(staff_user)
    match = ScreeningMatch.objects.get()

    listing = client.get(reverse("staff_screening"))
    assert "ZIAP" in listing.content.decode()
    response = client.post(
        reverse("screening_resolve", args=[match.pk]),
        {"resolution": "A university lab, not the listed institute."},
    )

    assert response.status_code == 302
    match.refresh_from_db()
    assert match.resolved_by == staff_user
    assert match.resolution == "A university lab, not the listed institute."
    assert ScreeningAccess.objects.filter(actor=staff_user).count() == 1


def test_staff_upload_of_a_bad_list_shows_row_and_column(client, staff_user, db):
    client.force_login(staff_user)

    response = client.post(
        reverse("staff_screening"),
        {
            "version": "2026-1",
            "published_on": "2026-04-01",
            "file": SimpleUploadedFile("list.csv", b"name,aliases,country,concerns\n,,X,\n"),
        },
    )

    assert response.status_code == 400
    assert "Row 2, column 1" in response.content.decode()


def test_staff_matches_page_queries_do_not_grow_with_matches(
    client, staff_user, end_user_list, institution
):
    client.force_login(staff_user)
    names = ["ZIAP", "BNMA", "TMPB"]

    def counted():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("staff_screening")).status_code == 200
        return len(captured)

    save_partner(PartnerInstitution(host=institution, name=names[0], country="IN", kind="other"))
    one = counted()
    for name in names[1:]:
        save_partner(PartnerInstitution(host=institution, name=name, country="IN", kind="other"))
    assert ScreeningMatch.objects.count() == 3
    assert counted() == one


def test_screening_page_in_japanese(client, coordinator, plan):
    coordinator.preferred_language = "ja"
    coordinator.save(update_fields=["preferred_language"])
    ScreeningAnswers.objects.filter(plan=plan).delete()
    client.force_login(coordinator)

    page = client.get(reverse("plan_screening", args=[plan.pk])).content.decode()

    assert "安全保障輸出管理の確認" in page
    assert "外国ユーザーリストとの該当候補" in page
    assert "未解消：事務局の確認まで採択できません。" in page
    assert "回答してください" in page  # the unanswered questions, at their fields


def test_screening_section_reads_the_checks_facts_with_its_plan(
    client, coordinator, plan, django_assert_max_num_queries
):
    """The section shows its checks' problems: whether the course is offered, the security
    form requirement and the answers come with the plan (asked one by one: 20 queries)."""
    client.force_login(coordinator)
    url = reverse("plan_screening", args=[plan.pk])
    client.get(url)
    with django_assert_max_num_queries(13):
        assert client.get(url).status_code == 200
