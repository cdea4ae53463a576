"""Celery tasks for letters: ids in, one domain call, retries only on transient errors."""

import logging
import random

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .domain.batches import (
    issue_in_batch,
    letter_settled,
    queue_letters_for_plan,
    record_failed,
    requeue_stale_letters,
    start_batch,
)
from .domain.letters import LetterRefused, issue_letter
from .domain.letters import issue_host_decision_letter as issue_decision_letter

logger = logging.getLogger(__name__)

# The database or the broker going away for a moment; anything else is a bug or a refusal
# and would fail the same way again.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
MAX_RETRIES = 5


def backoff(retries):
    """10 s, 20 s, 40 s… with jitter so retries do not arrive together; always well under the
    broker's visibility timeout, after which Redis would hand a waiting retry to a second
    worker (settings "Faults")."""
    return min(10 * 2**retries, settings.CELERY_VISIBILITY_TIMEOUT // 2) + random.uniform(0, 5)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def issue_participant_letter(self, participant_id, batch_id=None):
    """Issue (or find unchanged) one participant's acceptance letter; returns its id.

    Issued, refused or failing for good, the letter's pending request is settled; a transient
    error keeps it (retried here, then by the sweep)."""
    from participants.models import Participant

    started = timezone.now()
    participant = Participant.objects.filter(pk=participant_id).first()
    if participant is None:
        if batch_id is not None:
            record_failed(batch_id, participant_id, "The participant no longer exists.")
        return None
    try:
        if batch_id is not None:
            letter = issue_in_batch(participant, batch_id=batch_id)
        else:
            letter = issue_letter(participant)
    except LetterRefused as refusal:
        logger.info("No letter for participant %s: %s", participant_id, refusal.message)
        letter_settled(participant_id=participant_id, since=started)
        return None
    except TRANSIENT_ERRORS as error:
        if self.request.retries >= self.max_retries:
            if batch_id is not None:
                record_failed(batch_id, participant_id, repr(error))
            raise
        raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error
    except Exception as error:
        if batch_id is not None:
            record_failed(batch_id, participant_id, repr(error))
        letter_settled(participant_id=participant_id, since=started)
        raise
    letter_settled(participant_id=participant_id, since=started)
    return letter.pk if letter else None


@shared_task(bind=True, max_retries=MAX_RETRIES)
def issue_host_decision_letter(self, plan_id):
    from applications.models import InvitationPlan

    started = timezone.now()
    plan = InvitationPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        return None
    try:
        letter = issue_decision_letter(plan)
    except LetterRefused as refusal:
        logger.info("No decision letter for plan %s: %s", plan_id, refusal.message)
        letter_settled(plan_id=plan_id, since=started)
        return None
    except TRANSIENT_ERRORS as error:
        raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error
    letter_settled(plan_id=plan_id, since=started)
    return letter.pk


@shared_task
def issue_letters_for_plan(plan_id):
    """Fan out: one task per participant of the plan, and the host's decision letter."""
    from applications.models import InvitationPlan

    plan = InvitationPlan.objects.filter(pk=plan_id).select_related("decision").first()
    if plan is not None:
        queue_letters_for_plan(plan)


@shared_task
def issue_letters_for_call(call_id, started_by_id):
    """Start a batch for the call (one task per participant); returns the batch id."""
    from accounts.models import User
    from programs.models import Call

    call = Call.objects.get(pk=call_id)
    return start_batch(call, by=User.objects.get(pk=started_by_id)).pk


@shared_task(ignore_result=True)
def sweep_letters():
    """Periodic (celery beat): queue again the letters still waiting, finish idle batches."""
    requeue_stale_letters()
