"""End to end: a real Celery worker on Redis takes the task and issues the letter."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings

from letters.models import Letter
from letters.tasks import issue_participant_letter
from tests.participants.course_d import course_d_plan, dispatched

from .conftest import pdf_text


@pytest.mark.worker
def test_real_worker_issues_a_letter_once(celery_worker_queue, participant):
    first = issue_participant_letter.apply_async(args=[participant.pk], queue=celery_worker_queue)
    letter_id = first.get(timeout=120)
    again = issue_participant_letter.apply_async(args=[participant.pk], queue=celery_worker_queue)

    assert again.get(timeout=60) == letter_id
    letter = Letter.objects.get(pk=letter_id)
    assert Letter.objects.filter(participant=participant).count() == 1
    # The worker wrote the file where this process reads it: the same MEDIA_ROOT.
    path = Path(letter.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == letter.sha256
    assert "SAETANG Somchai" in pdf_text(letter)
    assert "さくら科学大学" in pdf_text(letter)
    participant.refresh_from_db()
    assert participant.letters_issued_at is not None


@pytest.mark.worker
def test_real_worker_issues_a_dispatch_certificate_once(celery_worker_queue, institution):
    traveller = dispatched(course_d_plan(host=institution))

    first = issue_participant_letter.apply_async(args=[traveller.pk], queue=celery_worker_queue)
    letter_id = first.get(timeout=120)
    again = issue_participant_letter.apply_async(args=[traveller.pk], queue=celery_worker_queue)

    assert again.get(timeout=60) == letter_id
    letter = Letter.objects.get(pk=letter_id)
    assert letter.kind == Letter.Kind.DISPATCH
    assert Letter.objects.filter(participant=traveller).count() == 1
    assert "YAMADA Hanako" in pdf_text(letter)
