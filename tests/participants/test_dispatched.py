"""Registering people on a course-D plan: an activity decides the direction; a dispatched
participant is one of the host's own people and needs what travelling abroad needs (a
passport valid on the return day, and best six months beyond it; an emergency contact;
travel insurance; an answer on the Foreign Ministry's travel registration)."""

from datetime import date

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from participants.domain.registry import save_participant
from participants.domain.travel import months_after, travel_todos
from participants.models import Participant

from .course_d import (
    RETURN_DAY,
    course_d_plan,
    dispatch_of,
    dispatched,
    invitation_of,
    new_traveller,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(institution, coordinator):
    return course_d_plan(host=institution, lead=coordinator)


def refusal(participant, by, **kwargs):
    with pytest.raises(ValidationError) as refused:
        save_participant(participant, by=by, **kwargs)
    return refused.value.message_dict


def test_a_person_on_the_dispatch_is_registered_dispatched(plan, coordinator):
    participant, flags = save_participant(
        new_traveller(plan, direction=Participant.Direction.INVITED),
        by=coordinator,
        passport_number="TK1234567",
    )

    participant.refresh_from_db()
    assert participant.direction == Participant.Direction.DISPATCHED
    assert participant.activity == dispatch_of(plan)
    assert participant.passport_number == "TK1234567"
    assert flags == []


def test_a_dispatched_participant_without_nationality_is_japanese(plan, coordinator):
    participant, _ = save_participant(
        new_traveller(plan, nationality=""), by=coordinator, passport_number="TK1234567"
    )

    participant.refresh_from_db()
    assert participant.nationality.code == "JP"


def test_a_japanese_person_is_not_refused_for_a_nationality_outside_india_and_africa(
    plan, coordinator
):
    # Course D invites people from India and Africa; those dispatched are the host's own.
    participant, _ = save_participant(
        new_traveller(plan), by=coordinator, passport_number="TK1234567"
    )

    assert participant.pk


def test_a_japanese_person_on_the_invitation_is_refused_for_the_nationality(plan, coordinator):
    problems = refusal(
        new_traveller(plan, activity=invitation_of(plan)),
        coordinator,
        passport_number="TK1234567",
    )

    assert any("Nationality Japan" in message for message in problems[NON_FIELD_ERRORS])


def test_passport_expiring_before_the_return_day_refused_at_its_field(plan, coordinator):
    problems = refusal(
        new_traveller(plan, passport_valid_until=date(2027, 2, 16)),
        coordinator,
        passport_number="TK1234567",
    )

    assert problems["passport_valid_until"] == [
        "The passport expires before the return on 2027-02-17."
    ]


def test_passport_valid_on_the_return_day_itself_is_accepted_with_a_warning(plan, coordinator):
    _, flags = save_participant(
        new_traveller(plan, passport_valid_until=RETURN_DAY),
        by=coordinator,
        passport_number="TK1234567",
    )

    assert flags == [
        "The passport is valid less than six months after the return on 2027-02-17: "
        "some countries refuse entry."
    ]


def test_passport_valid_six_months_after_the_return_is_not_warned(plan, coordinator):
    # Six months after 17 February 2027 is 17 August 2027.
    _, flags = save_participant(
        new_traveller(plan, passport_valid_until=date(2027, 8, 17)),
        by=coordinator,
        passport_number="TK1234567",
    )

    assert flags == []


def test_passport_valid_one_day_short_of_six_months_is_warned(plan, coordinator):
    _, flags = save_participant(
        new_traveller(plan, passport_valid_until=date(2027, 8, 16)),
        by=coordinator,
        passport_number="TK1234567",
    )

    assert len(flags) == 1


def test_six_months_after_the_end_of_august_is_the_end_of_february():
    assert months_after(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert months_after(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_every_travel_need_missing_is_refused_at_its_field_at_once(plan, coordinator):
    problems = refusal(
        new_traveller(
            plan,
            passport_valid_until=None,
            emergency_contact_name="",
            emergency_contact_phone="",
            travel_insurance="",
            travel_registration_done=None,
        ),
        coordinator,
    )

    for field in [
        "passport_number",
        "passport_valid_until",
        "emergency_contact_name",
        "emergency_contact_phone",
        "travel_insurance",
        "travel_registration_done",
    ]:
        assert problems[field] == ["Required for a dispatch abroad."], field


def test_travel_registration_not_done_is_allowed_and_listed_as_a_to_do(plan, coordinator):
    participant, _ = save_participant(
        new_traveller(plan, travel_registration_done=False),
        by=coordinator,
        passport_number="TK1234567",
    )

    assert travel_todos(participant) == ["Travel registration (Tabireg) not done yet."]


def test_high_school_student_refused_for_a_dispatch(plan, coordinator):
    problems = refusal(
        new_traveller(plan, category="high_school"), coordinator, passport_number="TK1234567"
    )

    assert any("not eligible for course D" in message for message in problems[NON_FIELD_ERRORS])


def test_over_the_age_limit_on_the_dispatch_first_day_refused(plan, coordinator):
    # 40 on 8 February 2027, the dispatch's first day (under 40 on the plan's arrival).
    problems = refusal(
        new_traveller(plan, date_of_birth=date(1987, 2, 8)),
        coordinator,
        passport_number="TK1234567",
    )

    assert any("Aged 40" in message for message in problems[NON_FIELD_ERRORS])


def test_an_activity_is_required_on_a_plan_made_of_activities(plan, coordinator):
    problems = refusal(new_traveller(plan, activity=None), coordinator)

    assert problems["activity"] == ["Choose the invitation or dispatch the person takes part in."]


def test_an_online_session_is_no_activity_to_register_for(plan, coordinator):
    online = plan.activities.filter(kind="online").first()

    problems = refusal(new_traveller(plan, activity=online), coordinator)

    assert problems["activity"] == ["Choose one of this plan's invitations or dispatches."]


def test_a_home_institution_abroad_refused_for_a_dispatched_participant(plan, coordinator):
    problems = refusal(
        new_traveller(plan, home_institution=plan.partners.first()),
        coordinator,
        passport_number="TK1234567",
    )

    assert "home_institution" in problems


def test_the_dispatch_has_three_places(plan, coordinator):
    for n in range(3):
        dispatched(plan, family_name=f"TRAVELLER{n}", email=f"t{n}@example.ac.jp")

    problems = refusal(new_traveller(plan), coordinator, passport_number="TK1234567")

    assert problems[NON_FIELD_ERRORS] == [
        "“Field study at IIT Example” is planned for 3 people; all places are taken."
    ]
