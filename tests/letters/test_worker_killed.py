"""A worker killed mid-task (SIGKILL: out of memory, a container stopped) loses no letter and
issues none twice: tasks are acknowledged when they finish (settings "Faults"), so Redis hands
the killed worker's task to another worker once the visibility timeout has passed (a few
minutes in production, 3 s here), and issuing is idempotent.

Real workers on a redis-server of the test's own (the visibility timeout is per Redis, and a
short one must not touch other runs' messages on the shared server)."""

import os
import signal
import time

import pytest
from django.db import connection, transaction

from applications.models import InvitationPlan
from letters.models import Letter
from letters.tasks import issue_participant_letter
from notifications.models import Notification
from tests.conftest import start_worker
from tests.factories import UserFactory

QUEUE = "letters-killed"


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"Waited {timeout} s for {what}.")


def a_worker_waits_for_the_plan():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # a fresh view inside a transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_letter_of_a_killed_worker_is_issued_once_by_another(participant, own_redis):
    participant.user = UserFactory(email=participant.email)
    participant.save()
    environment = {
        "REDIS_URL": own_redis.url(0),
        "CELERY_BROKER_URL": own_redis.url(0),
        "CELERY_RESULT_BACKEND": own_redis.url(0),
        "CACHE_URL": own_redis.url(1),
        "CELERY_VISIBILITY_TIMEOUT": "3",
    }
    workers = [start_worker(QUEUE, **environment)]
    try:
        with transaction.atomic():
            # Staff hold the plan (a registration, say): the letter's task waits for it, so
            # the first worker is surely in the middle of the task when it is killed.
            InvitationPlan.objects.select_for_update().get(pk=participant.plan_id)
            issue_participant_letter.apply_async(args=[participant.pk], queue=QUEUE)
            wait_for(a_worker_waits_for_the_plan, 30, "the first worker to start the task")
            os.kill(workers[0].pid, signal.SIGKILL)
            workers[0].wait()
        workers.append(start_worker(QUEUE, **environment))
        started = time.monotonic()

        wait_for(
            lambda: Letter.objects.filter(participant=participant).exists(),
            60,
            "the second worker to issue the letter",
        )
        assert time.monotonic() - started < 30  # seconds here; minutes in production
        time.sleep(4)  # past another visibility timeout: nothing runs the task again
        assert Letter.objects.filter(participant=participant).count() == 1
        assert (
            Notification.objects.filter(
                recipient=participant.user, kind=Notification.Kind.LETTER_ISSUED
            ).count()
            == 1
        )
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=20)
                except Exception:  # noqa: BLE001 - a worker that will not stop is killed
                    worker.kill()
