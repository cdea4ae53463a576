"""enqueue_on_commit: a task is queued once the change commits, never before; a broker outage
is raised, or logged for work that a sweep picks up again."""

import logging
import socket
from contextlib import contextmanager

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from common.tasks import broker_back, enqueue_on_commit
from sakura.celery import app
from sakura.tasks import ping


@contextmanager
def broker_down():
    """A broker that really does not answer (a closed port), then the real one again."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    broker, eager = app.conf.broker_url, app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = broker, eager
        app._pool = None
        app.amqp._producer_pool = None
        broker_back()


@pytest.mark.django_db
def test_enqueue_on_commit_waits_for_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(ping)
    assert len(callbacks) == 1  # queued as one callback, run only when the change commits


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_raises_when_the_broker_is_down():
    with broker_down(), pytest.raises(OperationalError), transaction.atomic():
        enqueue_on_commit(ping)


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_logs_a_broker_outage_when_a_sweep_picks_the_work_up(caplog):
    with (
        broker_down(),
        caplog.at_level(logging.WARNING, logger="common.tasks"),
        transaction.atomic(),
    ):
        enqueue_on_commit(ping, broker_down_ok=True)
    assert "Could not queue sakura.tasks.ping" in caplog.text
