"""Letters with Redis down: a correction and a call's batch are saved without waiting on the
broker, each letter is written down in the database, and the beat sweep queues it again once
Redis is back (the broker is a Redis of the test's own, killed for the outage)."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from letters.domain.batches import REQUEUE_AFTER, requeue_stale_letters, start_batch
from letters.domain.letters import issue_letter
from letters.models import Letter, LetterBatch, PendingLetter
from letters.tasks import issue_participant_letter
from participants.domain.registry import save_participant
from participants.models import Participant
from tests.participants.builders import register_many

from .conftest import pdf_text

pytestmark = pytest.mark.django_db

LATER = REQUEUE_AFTER + timedelta(minutes=1)


def run_queued(server):
    """What a worker does once Redis is back: each queued letter task, in order."""
    tasks = server.queued_tasks()
    for name, args in tasks:
        assert name == issue_participant_letter.name
        issue_participant_letter.apply(args=args)
    return tasks


def test_correction_during_an_outage_is_issued_once_redis_is_back(
    participant, coordinator, own_redis, django_capture_on_commit_callbacks
):
    issue_letter(participant)
    own_redis.stop()

    corrected = Participant.objects.get(pk=participant.pk)
    corrected.given_name = "Somchai Kittisak"
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        save_participant(corrected, by=coordinator)
    assert time.monotonic() - started < 1
    assert PendingLetter.objects.filter(participant=participant).exists()  # written down

    own_redis.start()
    assert requeue_stale_letters() == (0, 0)  # its task may still be in the queue: not yet
    assert requeue_stale_letters(now=timezone.now() + LATER) == (1, 0)
    assert run_queued(own_redis) == [(issue_participant_letter.name, [participant.pk])]

    current = Letter.objects.get(participant=participant, status=Letter.Status.CURRENT)
    assert current.version == 2
    assert "SAETANG Somchai Kittisak" in pdf_text(current)
    assert not PendingLetter.objects.exists()
    assert requeue_stale_letters(now=timezone.now() + LATER) == (0, 0)  # nothing left


def test_batch_started_during_an_outage_is_finished_once_redis_is_back(
    plan, staff_user, own_redis, django_capture_on_commit_callbacks
):
    register_many(plan, 2)
    own_redis.stop()

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_batch(plan.call, by=staff_user)
    assert time.monotonic() - started < 1

    own_redis.start()
    assert requeue_stale_letters(now=timezone.now() + LATER) == (2, 0)
    assert len(run_queued(own_redis)) == 2
    batch.refresh_from_db()
    assert (batch.total, batch.done, batch.failed) == (2, 2, 0)
    assert batch.is_finished


def test_sweep_finishes_a_batch_with_nothing_left_to_issue(plan, staff_user, own_redis):
    (kept, gone) = register_many(plan, 2)
    own_redis.stop()
    batch = start_batch(plan.call, by=staff_user)
    issue_participant_letter.apply(args=[kept.pk, batch.pk])
    gone.delete()  # its job goes with it: the batch would wait for it for ever

    own_redis.start()
    assert requeue_stale_letters(now=timezone.now() + LATER) == (0, 1)
    assert LetterBatch.objects.get(pk=batch.pk).is_finished
