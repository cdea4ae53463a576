"""Issuing a call's letters in bulk: staff start it, watch done / total / failed, retry."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import InvitationPlan, PlanState
from letters.domain.batches import retry_failed, start_batch
from letters.models import Letter, LetterBatch, LetterJob
from letters.tasks import issue_participant_letter
from tests.factories import PlanFactory
from tests.participants.builders import register_many, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting_plan(plan):
    """A plan of the same call still under review, with one participant registered early."""
    waiting = PlanFactory(call=plan.call)
    InvitationPlan.objects.filter(pk=waiting.pk).update(state=PlanState.UNDER_REVIEW)
    registered(waiting, family_name="EARLY", email="early@example.ac.th")
    return waiting


def test_batch_issues_every_letter_of_the_call_and_counts_refusals(
    plan, waiting_plan, staff_user, eager_tasks, django_capture_on_commit_callbacks
):
    register_many(plan, 2)

    with django_capture_on_commit_callbacks(execute=True):
        batch = start_batch(plan.call, by=staff_user)

    batch.refresh_from_db()
    assert (batch.total, batch.done, batch.failed) == (3, 2, 1)
    assert batch.is_finished
    failure = batch.jobs.get(state=LetterJob.State.FAILED)
    assert failure.participant.family_name == "EARLY"
    assert "not approved" in failure.error
    assert Letter.objects.filter(plan=plan, status=Letter.Status.CURRENT).count() == 2


def test_retry_after_approval_issues_the_failed_letter(
    plan, waiting_plan, staff_user, eager_tasks, django_capture_on_commit_callbacks
):
    register_many(plan, 1)
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_batch(plan.call, by=staff_user)
    InvitationPlan.objects.filter(pk=waiting_plan.pk).update(state=PlanState.APPROVED)

    with django_capture_on_commit_callbacks(execute=True):
        retried = retry_failed(batch, by=staff_user)

    batch.refresh_from_db()
    assert retried == 1
    assert (batch.total, batch.done, batch.failed) == (2, 2, 0)
    assert batch.is_finished
    assert Letter.objects.filter(participant__plan=waiting_plan).count() == 1


def test_a_task_delivered_twice_counts_once(plan, staff_user, django_capture_on_commit_callbacks):
    (participant,) = register_many(plan, 1)
    with django_capture_on_commit_callbacks(execute=False):
        batch = start_batch(plan.call, by=staff_user)

    issue_participant_letter.apply(args=[participant.pk, batch.pk])
    issue_participant_letter.apply(args=[participant.pk, batch.pk])

    batch.refresh_from_db()
    assert (batch.total, batch.done, batch.failed) == (1, 1, 0)
    assert Letter.objects.filter(participant=participant).count() == 1


def test_second_start_while_running_returns_the_running_batch(
    plan, staff_user, django_capture_on_commit_callbacks
):
    register_many(plan, 1)
    with django_capture_on_commit_callbacks(execute=False):
        first = start_batch(plan.call, by=staff_user)
        second = start_batch(plan.call, by=staff_user)

    assert first == second
    assert LetterBatch.objects.count() == 1


def test_staff_page_starts_a_batch_and_shows_progress(
    client, plan, waiting_plan, staff_user, eager_tasks, django_capture_on_commit_callbacks
):
    register_many(plan, 2)
    client.force_login(staff_user)
    address = reverse("call_letters", args=[plan.call.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(address, {"action": "start"})
    assert response.status_code == 302

    progress = client.get(reverse("call_letters_progress", args=[plan.call.pk])).json()
    assert {key: progress[key] for key in ("total", "done", "failed", "finished")} == {
        "total": 3,
        "done": 2,
        "failed": 1,
        "finished": True,
    }
    text = client.get(address).content.decode()
    assert "EARLY" in text
    assert "Retry failed letters" in text
    assert "letter-progress.js" in text

    InvitationPlan.objects.filter(pk=waiting_plan.pk).update(state=PlanState.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(address, {"action": "retry"})
    progress = client.get(reverse("call_letters_progress", args=[plan.call.pk])).json()
    assert (progress["done"], progress["failed"]) == (3, 0)


@pytest.mark.parametrize("who", ["coordinator", "reviewer"])
def test_bulk_issue_is_for_staff_only(client, plan, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("call_letters", args=[plan.call.pk])).status_code == 403
    assert client.post(reverse("call_letters", args=[plan.call.pk])).status_code == 403
    assert client.get(reverse("call_letters_progress", args=[plan.call.pk])).status_code == 403
    assert not LetterBatch.objects.exists()


def test_failure_list_takes_the_same_queries_for_one_or_three_failures(
    client, plan, staff_user, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    address = reverse("call_letters", args=[plan.call.pk])

    def queries_after_adding_failures(count):
        LetterBatch.objects.all().delete()
        waiting = PlanFactory(call=plan.call)
        InvitationPlan.objects.filter(pk=waiting.pk).update(state=PlanState.UNDER_REVIEW)
        register_many(waiting, count)
        with django_capture_on_commit_callbacks(execute=True):
            start_batch(plan.call, by=staff_user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200
        return len(queries)

    one_failure = queries_after_adding_failures(1)
    three_failures = queries_after_adding_failures(2)
    assert LetterJob.objects.filter(state=LetterJob.State.FAILED).count() == 3
    assert one_failure == three_failures
