"""Issuing letters in bulk: a batch per call that staff start, watch and retry, and the
fan-out of one task per letter for a plan. Counters move with F() expressions so that tasks
running side by side on several workers never lose a count."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from applications.models import PlanState
from common.tasks import enqueue_on_commit
from participants.models import Participant

from ..models import LetterBatch, LetterJob
from .letters import LetterRefused, issue_letter

logger = logging.getLogger(__name__)

# Participants of these plans are never given letters in a batch: the plan did not go ahead
# or the stay is over. Participants of plans in any other state are included; those whose plan
# is not yet approved fail with the reason, so that staff see them.
PLAN_STATES_WITHOUT_LETTERS = (
    PlanState.WITHDRAWN,
    PlanState.REJECTED,
    PlanState.COMPLETED,
    PlanState.REPORTED,
    PlanState.CLOSED,
)


def participants_of_call(call):
    return Participant.objects.filter(plan__call=call).exclude(
        plan__state__in=PLAN_STATES_WITHOUT_LETTERS
    )


def running_batch(call):
    return LetterBatch.objects.filter(call=call, finished_at__isnull=True).first()


def start_batch(call, *, by):
    """Start issuing acceptance letters for every participant of `call`.

    Side effects: creates a LetterBatch and one LetterJob per participant, and queues one
    task per letter after commit. While a batch of the call is still running, returns that
    one instead of starting a second.
    """
    from programs.models import Call

    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()
        running = running_batch(call)
        if running is not None:
            return running
        batch = LetterBatch.objects.create(call=call, started_by=by)
        ids = list(participants_of_call(call).order_by("pk").values_list("pk", flat=True))
        LetterJob.objects.bulk_create(
            [LetterJob(batch=batch, participant_id=pk) for pk in ids], batch_size=500
        )
        batch.total = len(ids)
        batch.finished_at = None if ids else timezone.now()
        batch.save(update_fields=["total", "finished_at"])
        queue_letters(ids, batch_id=batch.pk)
    logger.info("Letter batch %s for call %s started by %s: %s", batch.pk, call.pk, by, len(ids))
    return batch


def retry_failed(batch, *, by):
    """Queue again the letters of `batch` that failed; returns how many.

    Side effects: the failed jobs go back to queued, the batch's failed count goes down by as
    many and the batch is open again; one task per letter is queued after commit.
    """
    with transaction.atomic():
        batch = LetterBatch.objects.select_for_update().get(pk=batch.pk)
        ids = list(
            batch.jobs.filter(state=LetterJob.State.FAILED).values_list("participant_id", flat=True)
        )
        if not ids:
            return 0
        batch.jobs.filter(state=LetterJob.State.FAILED).update(
            state=LetterJob.State.QUEUED, error=""
        )
        LetterBatch.objects.filter(pk=batch.pk).update(
            failed=F("failed") - len(ids), finished_at=None
        )
        queue_letters(ids, batch_id=batch.pk)
    logger.info("Letter batch %s: %s failed letters retried by %s", batch.pk, len(ids), by)
    return len(ids)


def issue_in_batch(participant, *, batch_id):
    """Issue one letter of a batch and count it done; a refusal counts it failed with the
    reason. Transient errors propagate, for the task to retry."""
    try:
        with transaction.atomic():
            letter = issue_letter(participant)
            record_issued(batch_id, participant.pk, letter)
    except LetterRefused as refusal:
        record_failed(batch_id, participant.pk, refusal.message)
        return None
    return letter


def record_issued(batch_id, participant_id, letter):
    _record(batch_id, participant_id, LetterJob.State.DONE, letter=letter, error="")


def record_failed(batch_id, participant_id, error):
    _record(batch_id, participant_id, LetterJob.State.FAILED, letter=None, error=str(error)[:2000])


def _record(batch_id, participant_id, state, *, letter, error):
    """Move a queued job to `state` and count it once; a job already counted stays as it is
    (a task that runs twice counts once)."""
    counter = "done" if state == LetterJob.State.DONE else "failed"
    with transaction.atomic():
        changed = LetterJob.objects.filter(
            batch_id=batch_id, participant_id=participant_id, state=LetterJob.State.QUEUED
        ).update(state=state, letter=letter, error=error, attempts=F("attempts") + 1)
        if not changed:
            return
        LetterBatch.objects.filter(pk=batch_id).update(**{counter: F(counter) + 1})
        LetterBatch.objects.filter(
            pk=batch_id, finished_at__isnull=True, total__lte=F("done") + F("failed")
        ).update(finished_at=timezone.now())


def queue_letters(participant_ids, *, batch_id=None):
    """Queue one task per participant's letter once the current transaction commits."""
    from ..tasks import issue_participant_letter

    for pk in participant_ids:
        enqueue_on_commit(issue_participant_letter, pk, batch_id)


def queue_letters_for_plan(plan):
    """One task per participant of `plan`, and one for the host's decision letter once the
    decision is released; queued after commit."""
    from ..tasks import issue_host_decision_letter

    queue_letters(plan.participants.order_by("pk").values_list("pk", flat=True))
    decision = getattr(plan, "decision", None)
    if decision is not None and decision.released_at is not None:
        enqueue_on_commit(issue_host_decision_letter, plan.pk)
