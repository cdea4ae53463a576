"""The submitted plan as a reviewer reads it: in the reviewer's language, never in codes.

The version is frozen in whatever language the coordinator was using; the reviewer reads
the call, course and host, the invitees' categories and countries, the activities, the
partners' countries and the budget categories in their own language.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from applications.domain.states import submit_plan
from applications.models import PlannedInvitees
from tests.factories import PlanFactory

from .view_helpers import accepted, page, reviewer_with_two_factor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in with a password here: spare the many users the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(institution):
    """Submitted by a coordinator using the site in Japanese: graduates from Thailand, an
    escort from Indonesia, a lab session, airfare and accommodation."""
    plan = PlanFactory(host=institution)
    plan.invitees.filter(category="escort").delete()
    PlannedInvitees.objects.create(plan=plan, country="ID", category="escort", count=1)
    plan.itinerary.filter(title_en="Lab work").update(kind="lab_work")
    with translation.override("ja"):
        return submit_plan(plan, by=plan.lead)


def reviewer_page(client, plan, reviewer, staff_user):
    assignment = accepted(plan, reviewer, staff_user)
    client.force_login(reviewer)
    response = client.get(reverse("review_assignment", args=[assignment.pk]))
    assert response.status_code == 200
    return page(response)


def test_english_reviewer_reads_a_plan_submitted_in_japanese_in_english(client, plan, staff_user):
    text = reviewer_page(client, plan, reviewer_with_two_factor(), staff_user)

    assert f"<dd>{plan.course.code} — Science and Technology Experience</dd>" in text
    assert f"<dd>Sakura Science Exchange Program FY2026 round {plan.call.round}</dd>" in text
    assert "<dd>Sakura University of Science</dd>" in text
    assert "科学技術体験コース" not in text
    assert "さくらサイエンスプログラム" not in text
    assert "1 × Escort (supervisor) (Indonesia)" in text
    assert "<td>Lab work</td>" in text  # the activity column
    assert "<td>International airfare</td>" in text
    assert "(Thailand)</li>" in text  # the partner institution's country
    assert "(TH)" not in text


def test_japanese_reviewer_reads_the_plan_in_japanese(client, plan, staff_user):
    reviewer = reviewer_with_two_factor(preferred_language="ja")

    text = reviewer_page(client, plan, reviewer, staff_user)

    assert f"<dd>{plan.course.code} — 科学技術体験コース</dd>" in text
    assert "<dd>さくら科学大学</dd>" in text
    assert "1 × 引率者 (インドネシア)" in text
    assert "<td>実験・実習</td>" in text
    assert "<td>国際航空運賃</td>" in text
    assert "(タイ)</li>" in text
    assert "Science and Technology Experience" not in text
