"""Registering and editing participants: every eligibility problem at once; hosts edit freely
until letters are issued, and every later change is recorded with who made it. Passport
numbers are stored encrypted, and exports of personal data are logged."""

from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from participants import crypto
from participants.domain.registry import record_access, save_participant
from participants.models import Participant, ParticipantChange, PersonalDataAccess
from tests.factories import PlanFactory

from .builders import PLACES, approved, new_participant, register_many, registered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in here: spare the users PlanFactory makes the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(institution, coordinator):
    return approved(PlanFactory(host=institution, lead=coordinator))


# Registering.


def test_save_participant_registers_eligible_person(plan, coordinator):
    participant, flags = save_participant(new_participant(plan), by=coordinator)

    assert participant.pk
    assert Participant.objects.get(plan=plan).family_name == "SAETANG"
    assert flags == []
    assert not ParticipantChange.objects.exists()


def test_save_participant_returns_flags_without_blocking(plan, coordinator):
    participant, flags = save_participant(
        new_participant(plan, first_stay_in_japan=False), by=coordinator
    )

    assert participant.pk
    assert flags == ["Not the first stay in Japan."]


def test_save_participant_refuses_ineligible_data_with_every_reason(plan, coordinator):
    plan.course.program.eligible_countries = ["TH", "VN"]
    plan.course.program.save()
    ineligible = new_participant(
        plan, category="high_school", date_of_birth=date(1970, 6, 1), nationality="KR"
    )

    with pytest.raises(ValidationError) as refused:
        save_participant(ineligible, by=coordinator)

    assert refused.value.messages == [
        "The category “High-school or technical-college student” is not eligible for course "
        f"{plan.course.code}.",
        "Aged 56 on arrival (2027-01-10); the course requires under 40.",
        f"Nationality South Korea is not eligible for course {plan.course.code}.",
    ]
    assert not Participant.objects.exists()


def test_save_participant_refused_when_places_are_taken(plan, coordinator):
    register_many(plan, PLACES)

    with pytest.raises(ValidationError) as refused:
        save_participant(new_participant(plan), by=coordinator)

    assert refused.value.messages == ["The plan is approved for 5 people; all places are taken."]
    assert Participant.objects.filter(plan=plan).count() == PLACES


def test_save_participant_refuses_a_person_already_registered_in_the_plan(plan, coordinator):
    """As the import does: the same names (case and spaces aside) and date of birth."""
    registered(plan)  # SAETANG Somchai, born 2003-04-15
    again = new_participant(plan, family_name="Saetang ", email="other@example.ac.th")

    with pytest.raises(ValidationError) as refused:
        save_participant(again, by=coordinator)

    assert refused.value.messages == ["Already registered in this plan."]
    assert Participant.objects.filter(plan=plan).count() == 1


def test_save_participant_refuses_an_address_that_is_not_an_email(plan, coordinator):
    with pytest.raises(ValidationError) as refused:
        save_participant(new_participant(plan, email="somchai@example"), by=coordinator)

    assert refused.value.messages == ["Enter a valid email address."]
    assert not Participant.objects.exists()


def test_save_participant_by_coordinator_of_another_institution_refused(plan, other_coordinator):
    with pytest.raises(PermissionDenied):
        save_participant(new_participant(plan), by=other_coordinator)

    assert not Participant.objects.exists()


def test_save_participant_in_plan_not_approved_refused(institution, coordinator):
    draft = PlanFactory(host=institution, lead=coordinator)

    with pytest.raises(ValidationError):
        save_participant(new_participant(draft), by=coordinator)

    assert not Participant.objects.exists()


def test_save_participant_by_program_officer_allowed(plan, staff_user):
    participant, _ = save_participant(new_participant(plan), by=staff_user)

    assert participant.pk


def test_save_participant_stores_passport_number_encrypted(plan, coordinator):
    participant, _ = save_participant(
        new_participant(plan), by=coordinator, passport_number="AA1234567"
    )

    stored = Participant.objects.get(pk=participant.pk)
    assert stored.passport_number_encrypted
    assert "AA1234567" not in stored.passport_number_encrypted
    assert stored.passport_number == "AA1234567"
    assert stored.masked_passport_number == "••••567"


def test_save_participant_without_passport_number_keeps_the_stored_one(plan, coordinator):
    participant, _ = save_participant(
        new_participant(plan), by=coordinator, passport_number="AA1234567"
    )
    participant.phone = "+66 2 000 0000"

    save_participant(participant, by=coordinator)

    assert Participant.objects.get(pk=participant.pk).passport_number == "AA1234567"


# Editing, before and after letters.


def test_edit_before_letters_records_no_change(plan, coordinator):
    participant = registered(plan)
    participant.family_name = "SAE-TANG"
    participant.date_of_birth = date(2003, 4, 16)

    save_participant(participant, by=coordinator)

    assert Participant.objects.get(pk=participant.pk).family_name == "SAE-TANG"
    assert not ParticipantChange.objects.exists()


def test_edit_after_letters_records_each_changed_field(plan, coordinator):
    participant = registered(plan, letters_issued_at=timezone.now())
    participant = Participant.objects.get(pk=participant.pk)
    assert not participant.is_editable
    participant.family_name = "SAE-TANG"
    participant.date_of_birth = date(2003, 4, 16)

    save_participant(participant, by=coordinator)

    changes = ParticipantChange.objects.filter(participant=participant).order_by("field")
    assert [(c.field, c.old_value, c.new_value, c.by) for c in changes] == [
        ("date_of_birth", "2003-04-15", "2003-04-16", coordinator),
        ("family_name", "SAETANG", "SAE-TANG", coordinator),
    ]
    stored = Participant.objects.get(pk=participant.pk)
    assert (stored.family_name, stored.date_of_birth) == ("SAE-TANG", date(2003, 4, 16))


def test_edit_after_letters_without_change_records_nothing(plan, coordinator):
    participant = registered(plan, letters_issued_at=timezone.now())

    save_participant(Participant.objects.get(pk=participant.pk), by=coordinator)

    assert not ParticipantChange.objects.exists()


def test_edit_after_letters_refused_when_ineligible_records_nothing(plan, coordinator):
    participant = registered(plan, letters_issued_at=timezone.now())
    participant.family_name = "SAE-TANG"
    participant.category = "high_school"

    with pytest.raises(ValidationError):
        save_participant(participant, by=coordinator)

    assert not ParticipantChange.objects.exists()
    assert Participant.objects.get(pk=participant.pk).family_name == "SAETANG"


def test_edit_registered_participant_when_plan_is_full_allowed(plan, coordinator):
    *_, last = register_many(plan, PLACES)
    last.phone = "+66 2 000 0000"

    save_participant(last, by=coordinator)

    assert Participant.objects.get(pk=last.pk).phone == "+66 2 000 0000"


# Audit of personal data.


def test_record_access_writes_audit_row(coordinator):
    record_access(coordinator, "export_participants", "SSP-2026-1-0001 participants", count=5)

    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.action, access.what, access.count) == (
        coordinator,
        "export_participants",
        "SSP-2026-1-0001 participants",
        5,
    )
    assert access.at is not None


# Encryption.


@pytest.mark.parametrize("text", ["AA1234567", "パスポート 12", "E12345678"])
def test_crypto_round_trip(text):
    token = crypto.encrypt(text)

    assert token != text
    assert text not in token
    assert crypto.decrypt(token) == text


def test_crypto_same_text_encrypts_differently_each_time():
    assert crypto.encrypt("AA1234567") != crypto.encrypt("AA1234567")


@pytest.mark.parametrize("garbage", ["garbage", "gAAAAABnot-a-real-token", "ü€", "===="])
def test_crypto_decrypt_garbage_returns_empty(garbage):
    assert crypto.decrypt(garbage) == ""


def test_crypto_decrypt_with_another_key_returns_empty():
    foreign = Fernet(Fernet.generate_key()).encrypt(b"AA1234567").decode()

    assert crypto.decrypt(foreign) == ""


def test_crypto_empty_stays_empty():
    assert crypto.encrypt("") == ""
    assert crypto.decrypt("") == ""
    assert crypto.decrypt(None) == ""


def test_crypto_uses_personal_data_key_when_set(settings):
    key = Fernet.generate_key()
    settings.PERSONAL_DATA_KEY = key.decode()

    token = crypto.encrypt("AA1234567")

    assert Fernet(key).decrypt(token.encode()) == b"AA1234567"
