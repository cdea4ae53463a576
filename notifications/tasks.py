"""Celery tasks of the outbox: send one message; sweep up what is still unsent."""

from celery import shared_task

from common.tasks import publish

from .domain.sending import due_messages, release_stuck, send


@shared_task(ignore_result=True)
def send_notification(notification_id):
    """Send one message; running it twice sends it once."""
    send(notification_id)


@shared_task(ignore_result=True)
def sweep_outbox():
    """Periodic (celery beat): hand every due message to a worker again."""
    release_stuck()
    for notification_id in due_messages().values_list("pk", flat=True)[:500]:
        publish(send_notification, notification_id)
