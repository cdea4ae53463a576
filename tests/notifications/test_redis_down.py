"""The outbox with Redis down: a change that queues many messages commits without waiting on
the broker, and the beat sweep hands every message to the broker once it is back. The broker
is a Redis of the test's own, killed for the outage."""

import time

import pytest

from notifications.models import Notification
from notifications.services import queue_message
from notifications.tasks import sweep_outbox

pytestmark = pytest.mark.django_db


def test_messages_queued_during_an_outage_wait_for_the_sweep_not_the_request(
    own_redis, django_capture_on_commit_callbacks
):
    own_redis.stop()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(10):  # a call's release: a message to each host
            queue_message(
                to_email=f"host{number}@example.org",
                kind=Notification.Kind.PLAN_STATE_CHANGED,
                subject="Decision",
                body="Your plan was approved.",
                language="en",
            )
    assert time.monotonic() - started < 1
    assert Notification.objects.filter(state=Notification.State.QUEUED).count() == 10

    own_redis.start()
    sweep_outbox()  # what celery beat runs every minute
    queued = own_redis.queued_tasks()
    assert sorted(args[0] for _name, args in queued) == sorted(
        Notification.objects.values_list("pk", flat=True)
    )
    assert {name for name, _args in queued} == {"notifications.tasks.send_notification"}
