"""Issuing letters in bulk: a batch per call that staff start, watch and retry, and the
fan-out of one task per letter for a plan. Counters move with F() expressions so that tasks
running side by side on several workers never lose a count.

Every letter asked for is written down before its task is queued (a batch's LetterJob, else a
PendingLetter), in the transaction that asks for it; the beat sweep (`requeue_stale_letters`)
queues again whatever is still waiting `REQUEUE_AFTER` after it was queued, so a broker outage
or a lost message delays a letter but loses none."""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from applications.models import PlanState
from common.tasks import enqueue_on_commit, publish
from participants.models import Participant

from ..models import LetterBatch, LetterJob, PendingLetter
from .letters import LetterRefused, issue_letter

logger = logging.getLogger(__name__)

# A letter still waiting this long after its task was queued is queued again. Longer than a
# large batch keeps its last letters in the queue (3,600 letters take ~9 minutes on two
# workers), so that duplicates stay rare; they are harmless, since issuing is idempotent.
REQUEUE_AFTER = timedelta(minutes=10)
# At most this many letters are queued again per sweep (the sweep runs every minute).
REQUEUE_LIMIT = 2000

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
            state=LetterJob.State.QUEUED, error="", updated_at=timezone.now()
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
    """Queue one task per participant's letter once the current transaction commits.

    Outside a batch (whose LetterJobs say what is to be issued), each letter is written down
    as a PendingLetter first, in the caller's transaction, for the sweep to find.
    """
    from ..tasks import issue_participant_letter

    ids = list(participant_ids)
    if batch_id is None:
        plans = dict(Participant.objects.filter(pk__in=ids).values_list("pk", "plan_id"))
        PendingLetter.objects.bulk_create(
            [PendingLetter(plan_id=plans[pk], participant_id=pk) for pk in ids if pk in plans]
        )
    for pk in ids:
        enqueue_on_commit(issue_participant_letter, pk, batch_id, broker_down_ok=True)


def queue_letters_for_plan(plan):
    """One task per participant of `plan`, and one for the host's decision letter once the
    decision is released; each written down (PendingLetter) and queued after commit."""
    from ..tasks import issue_host_decision_letter

    queue_letters(plan.participants.order_by("pk").values_list("pk", flat=True))
    decision = getattr(plan, "decision", None)
    if decision is not None and decision.released_at is not None:
        PendingLetter.objects.create(plan=plan, participant=None)
        enqueue_on_commit(issue_host_decision_letter, plan.pk, broker_down_ok=True)


def letter_settled(*, since, participant_id=None, plan_id=None):
    """The letter asked for up to `since` has been issued (or cannot be): forget the request.

    `participant_id` for a participant's letter, else `plan_id` for the host's decision
    letter. A request made after `since` stays, for its own task or the sweep.
    """
    pending = PendingLetter.objects.filter(requested_at__lte=since)
    if participant_id is not None:
        pending = pending.filter(participant_id=participant_id)
    else:
        pending = pending.filter(plan_id=plan_id, participant__isnull=True)
    pending.delete()


def requeue_stale_letters(now=None):
    """The beat sweep: queue again every letter still waiting `REQUEUE_AFTER` after it was
    last queued (the broker was down, or lost the message), and finish batches that have no
    letter left to issue. Returns (letters queued again, batches finished).

    Side effects: tasks published now (raises when the broker is down: the next sweep tries
    again); the rows' queued time moves to now as each is published.
    """
    from ..tasks import issue_host_decision_letter, issue_participant_letter

    now = now or timezone.now()
    stale = now - REQUEUE_AFTER
    queued = 0
    pending = PendingLetter.objects.filter(queued_at__lte=stale)
    for plan_id, participant_id in list(
        pending.order_by().values_list("plan_id", "participant_id").distinct()[:REQUEUE_LIMIT]
    ):
        if participant_id is not None:
            publish(issue_participant_letter, participant_id)
        else:
            publish(issue_host_decision_letter, plan_id)
        pending.filter(plan_id=plan_id, participant_id=participant_id).update(queued_at=now)
        queued += 1
    jobs = LetterJob.objects.filter(
        state=LetterJob.State.QUEUED, batch__finished_at__isnull=True, updated_at__lte=stale
    )
    for job_id, batch_id, participant_id in list(
        jobs.order_by("pk").values_list("pk", "batch_id", "participant_id")[:REQUEUE_LIMIT]
    ):
        publish(issue_participant_letter, participant_id, batch_id)
        LetterJob.objects.filter(pk=job_id).update(updated_at=now)
        queued += 1
    # A batch whose jobs are all done or failed, but not counted as finished (a job's
    # participant was deleted before its letter, say).
    finished = (
        LetterBatch.objects.filter(finished_at__isnull=True, started_at__lte=stale)
        .exclude(jobs__state=LetterJob.State.QUEUED)
        .update(finished_at=now)
    )
    if queued or finished:
        logger.info("Letters sweep: %s letters queued again, %s batches finished", queued, finished)
    return queued, finished
