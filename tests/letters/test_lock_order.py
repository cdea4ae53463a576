"""One lock order everywhere: the plan first, then the participant.

A correction (`save_participant`, or an import) locks the plan's places and then writes the
participant's row; issuing a letter writes rows that point at the plan. Issuing used to lock
the participant first and reach the plan last, so a correction and a letter of the same person
waited for each other and PostgreSQL killed one ("deadlock detected": a 500 and a lost edit).
This test makes the two meet on two real database connections.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from letters.domain.letters import issue_letter
from letters.models import Letter
from participants.domain.registry import lock_places, save_participant
from participants.models import Participant

from .conftest import pdf_text


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def wait_until_waiting_for_a_lock(pid, timeout=15):
    """Until the backend `pid` waits for a row lock (the other side of the meeting)."""
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh inside a transaction
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
            if row and row[0] == "Lock":
                return
            time.sleep(0.05)
    pytest.fail("The letter never waited for the correction's lock.")


@pytest.mark.django_db(transaction=True)
def test_edit_and_letter_of_one_person_at_once_both_succeed(participant, coordinator):
    outcome = {}
    letter_pid = []
    letter_started = threading.Event()

    def issue_in_another_connection():
        try:
            letter_pid.append(backend_pid())
            letter_started.set()
            outcome["letter"] = issue_letter(participant)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcome["letter_error"] = error
        finally:
            connection.close()

    corrected = Participant.objects.get(pk=participant.pk)
    corrected.given_name = "Somchai Kittisak"
    with transaction.atomic():
        # An import (or an edit) holds the plan's places while it saves its rows; meanwhile a
        # worker issues this person's letter.
        lock_places(participant.plan)
        thread = threading.Thread(target=issue_in_another_connection)
        thread.start()
        letter_started.wait(10)
        wait_until_waiting_for_a_lock(letter_pid[0])
        try:
            save_participant(corrected, by=coordinator)
        except Exception as error:  # noqa: BLE001
            outcome["correction_error"] = error
    thread.join(60)

    assert "correction_error" not in outcome, outcome.get("correction_error")
    assert "letter_error" not in outcome, outcome.get("letter_error")
    participant.refresh_from_db()
    assert participant.given_name == "Somchai Kittisak"  # the edit is kept
    # The letter waited for the edit, so it shows the edited name.
    current = Letter.objects.get(participant=participant, status=Letter.Status.CURRENT)
    assert "SAETANG Somchai Kittisak" in pdf_text(current)
    assert Letter.objects.filter(participant=participant).count() == 1
