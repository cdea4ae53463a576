"""Acceptance letters: what they show, one letter per data, a new version when data changes."""

import hashlib

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications.models import InvitationPlan, PlanState
from institutions.models import Institution
from letters.domain.letters import (
    LetterRefused,
    issue_host_decision_letter,
    issue_letter,
    letter_data,
)
from letters.models import Letter
from letters.tasks import issue_participant_letter
from notifications.models import Notification
from reviews.models import Decision
from tests.factories import CourseFactory, InstitutionFactory, PlanFactory, UserFactory
from tests.participants.builders import approved, approved_plan, registered

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_letter_data_shows_what_the_visa_needs(participant):
    data = letter_data(participant)

    assert data["participant"]["passport_name"] == "SAETANG Somchai"
    assert data["participant"]["native_name"] == "สมชาย แซ่ตั้ง"
    assert data["participant"]["nationality_en"] == "Thailand"
    assert data["participant"]["nationality_ja"] == "タイ"
    assert data["participant"]["date_of_birth_en"] == "15 April 2003"
    assert data["host"] == {
        "name_ja": "さくら科学大学",
        "name_en": "Sakura University of Science",
        "address": "東京都千代田区1-1",
    }
    assert data["plan"]["title_ja"] == "再生可能エネルギー材料の体験研修"
    assert data["stay"]["arrival_ja"] == "2027年1月10日"
    assert data["stay"]["departure_en"] == "16 January 2027"
    assert data["stay"]["days"] == 7
    assert data["purpose"]["field_en"] == "Materials science"
    # Nothing the letter does not print: no passport number, no email.
    assert "AA1234567" not in str(data)
    assert participant.email not in str(data)


def test_agency_covers_every_budgeted_cost_of_a_university_plan(participant):
    costs = {row["category"]: row["covered_by"] for row in letter_data(participant)["costs"]}

    assert costs == {"airfare": "agency", "accommodation": "agency"}


def test_company_host_of_course_a_bears_everything_but_international_airfare():
    company = InstitutionFactory(kind=Institution.Kind.COMPANY)
    plan = approved(
        PlanFactory(host=company, course=CourseFactory(code="A", company_airfare_only=True))
    )
    participant = registered(plan)

    costs = {row["category"]: row["covered_by"] for row in letter_data(participant)["costs"]}

    assert costs == {"airfare": "agency", "accommodation": "host"}


def test_issue_stores_the_pdf_with_its_checksum(participant):
    letter = issue_letter(participant)

    with letter.file.open("rb") as stream:
        content = stream.read()
    assert content.startswith(b"%PDF-")
    assert letter.sha256 == hashlib.sha256(content).hexdigest()
    assert letter.file.path.startswith(str(settings.MEDIA_ROOT))
    assert letter.kind == Letter.Kind.ACCEPTANCE
    assert letter.status == Letter.Status.CURRENT
    assert letter.version == 1
    assert letter.reference.startswith(f"{participant.plan.reference}-P{participant.pk:04d}-v1-")
    participant.refresh_from_db()
    assert participant.letters_issued_at == letter.issued_at


def test_pdf_shows_names_in_japanese_and_native_script_and_the_verification_address(
    participant,
):
    letter = issue_letter(participant)

    text = pdf_text(letter)
    assert "SAETANG Somchai" in text
    assert "受入証明書" in text
    assert "さくら科学大学" in text
    assert "再生可能エネルギー材料の体験研修" in text
    assert "สมชาย แซ่ตั้ง" in text
    assert "2027年1月10日" in text
    verify_url = settings.SITE_URL + reverse("letter_verify", args=[letter.reference])
    assert verify_url in text.replace("\n", "")


def test_devanagari_native_name_is_in_the_pdf(plan):
    participant = registered(
        plan, family_name="SHARMA", given_name="Priya", native_name="प्रिया शर्मा", nationality="IN"
    )

    assert "प्रिया" in pdf_text(issue_letter(participant)).replace("\n", "")


def test_task_run_twice_gives_one_letter(participant):
    first = issue_participant_letter.apply(args=[participant.pk]).get()
    second = issue_participant_letter.apply(args=[participant.pk]).get()

    assert first == second
    assert Letter.objects.filter(participant=participant).count() == 1


def test_changed_name_issues_a_new_version_and_keeps_the_old_one_replaced(participant):
    old = issue_letter(participant)
    issued_first_at = old.issued_at

    participant.refresh_from_db()
    participant.given_name = "Somchai Narong"
    participant.save()
    new = issue_letter(participant)

    old.refresh_from_db()
    assert new.pk != old.pk
    assert new.version == 2
    assert new.status == Letter.Status.CURRENT
    assert old.status == Letter.Status.REPLACED
    assert old.replaced_by == new
    assert old.replaced_at == new.issued_at
    assert old.file.storage.exists(old.file.name), "the replaced PDF is kept"
    assert "SAETANG Somchai Narong" in pdf_text(new)
    participant.refresh_from_db()
    assert participant.letters_issued_at == issued_first_at


def test_changed_dates_of_stay_issue_a_new_version(participant, plan):
    issue_letter(participant)

    InvitationPlan.objects.filter(pk=plan.pk).update(departure_on="2027-01-15")
    new = issue_letter(participant)

    assert new.version == 2
    assert "15 January 2027" in pdf_text(new)


def test_no_letter_while_the_plan_is_not_approved(plan):
    InvitationPlan.objects.filter(pk=plan.pk).update(state=PlanState.UNDER_REVIEW)
    participant = registered(plan)

    with pytest.raises(LetterRefused):
        issue_letter(participant)
    assert not Letter.objects.exists()
    participant.refresh_from_db()
    assert participant.letters_issued_at is None


def test_plan_in_progress_still_gets_letters(plan, participant):
    InvitationPlan.objects.filter(pk=plan.pk).update(state=PlanState.IN_PROGRESS)

    assert issue_letter(participant).is_current


def test_host_decision_letter_announces_the_released_decision(plan, staff_user):
    Decision.objects.create(
        plan=plan,
        outcome=Decision.Outcome.APPROVED,
        approved_amount_jpy=1_110_000,
        decided_by=staff_user,
        released_at=timezone.now(),
    )

    letter = issue_host_decision_letter(plan)

    assert letter.kind == Letter.Kind.HOST_DECISION
    assert letter.participant is None
    text = pdf_text(letter)
    assert "さくら科学大学" in text
    assert "採択" in text
    assert "¥1,110,000" in text
    assert issue_host_decision_letter(plan) == letter


def test_no_host_decision_letter_before_release(plan, staff_user):
    Decision.objects.create(plan=plan, outcome=Decision.Outcome.APPROVED, decided_by=staff_user)

    with pytest.raises(LetterRefused):
        issue_host_decision_letter(plan)


def test_letter_issued_notifies_the_participant_with_an_account():
    participant = registered(approved_plan())
    participant.user = UserFactory(email=participant.email, preferred_language="ja")
    participant.save()
    letter = issue_letter(participant)
    issue_letter(participant)  # unchanged: no second letter, no second message
    messages = Notification.objects.filter(kind=Notification.Kind.LETTER_ISSUED)
    assert messages.count() == 1
    assert letter.reference in messages.get().subject and messages.get().language == "ja"
