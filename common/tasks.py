"""The one way to queue a Celery task from a change: after the transaction commits.

A task queued inside a transaction could run before the rows it reads are committed, or run
for a change that is then rolled back; queued on commit it sees exactly what was saved
(pretix wraps this once for all its tasks in `base/services/tasks.py`). Outside a transaction
the task is queued at once.

When the broker (Redis) is down, the change is kept and the request goes on: the work a task
would do is written in the database (an outbox message, a pending letter, a batch's job), and
a periodic sweep queues it again once the broker is back. Publishing fails fast (the broker's
connection timeouts in settings), and after one failure the next publishes within
`BROKER_RETRY_AFTER` seconds are not even tried, so a request that queues a hundred messages
during an outage waits on one connection attempt, not a hundred.
"""

import logging
import time

from django.db import transaction
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)

BROKER_RETRY_AFTER = 5.0
_broker_down_until = 0.0


class BrokerUnavailable(OperationalError):
    """The broker failed a moment ago; this publish was not tried."""


def publish(task, *args, **kwargs):
    """Hand `task(*args, **kwargs)` to the broker now; raises when the broker is down.

    No result is kept: what a queued task does is recorded in the database, and nothing
    waits for its return value (so publishing never touches the result backend either).
    """
    global _broker_down_until
    if time.monotonic() < _broker_down_until and not task.app.conf.task_always_eager:
        raise BrokerUnavailable(f"The broker failed less than {BROKER_RETRY_AFTER:.0f} s ago.")
    try:
        return task.apply_async(args, kwargs, ignore_result=True)
    except OperationalError:
        _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER
        raise


def broker_back():
    """Forget an earlier failure: the next publish tries the broker again."""
    global _broker_down_until
    _broker_down_until = 0.0


def enqueue_on_commit(task, *args, broker_down_ok=False, **kwargs):
    """Queue `task.delay(*args, **kwargs)` once the current transaction commits.

    With `broker_down_ok` (work that a periodic sweep queues again, such as the outbox's
    messages and the letters) a broker error is logged and the work waits for the sweep;
    otherwise it propagates, as `delay` raises it.
    """

    def send():
        try:
            publish(task, *args, **kwargs)
        except Exception as error:
            if not broker_down_ok:
                raise
            log.warning("Could not queue %s%r: %s", task.name, args, error)

    transaction.on_commit(send)
