"""The one way to queue a Celery task from a change: after the transaction commits.

A task queued inside a transaction could run before the rows it reads are committed, or run
for a change that is then rolled back; queued on commit it sees exactly what was saved
(pretix wraps this once for all its tasks in `base/services/tasks.py`). Outside a transaction
the task is queued at once.
"""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, broker_down_ok=False, **kwargs):
    """Queue `task.delay(*args, **kwargs)` once the current transaction commits.

    With `broker_down_ok` (work that a periodic sweep queues again, such as the outbox's
    messages) a broker error is logged and the work waits for the sweep; otherwise it
    propagates, as `delay` raises it.
    """

    def send():
        try:
            task.delay(*args, **kwargs)
        except Exception as error:
            if not broker_down_ok:
                raise
            log.warning("Could not queue %s%r: %s", task.name, args, error)

    transaction.on_commit(send)
