"""Two registrations at once for a plan's last place: the second waits for the first to
commit, then sees the place taken. Real PostgreSQL row locks, two connections."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from participants.domain.registry import lock_places, save_participant
from tests.factories import PlanFactory

from .builders import PLACES, approved, new_participant, register_many, registered


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db(transaction=True)
def test_a_registration_waits_for_one_in_progress_then_finds_the_place_taken(
    institution, coordinator
):
    plan = approved(PlanFactory(host=institution, lead=coordinator))
    register_many(plan, PLACES - 1)
    outcome = {}

    def second_registration():
        person = new_participant(plan, family_name="SECOND", email="second@example.ac.th")
        try:
            save_participant(person, by=coordinator)
            outcome["result"] = "saved"
        except ValidationError as error:
            outcome["result"] = error.messages
        finally:
            connection.close()

    with transaction.atomic():
        lock_places(plan)  # the first registration has begun
        second = threading.Thread(target=second_registration)
        second.start()
        second.join(timeout=1)
        assert second.is_alive(), "the second registration did not wait for the first"
        registered(plan, family_name="FIRST", email="first@example.ac.th")
    second.join(timeout=10)

    assert outcome["result"] == ["The plan is approved for 5 people; all places are taken."]
    assert plan.participants.count() == PLACES
