"""Tasks that belong to the portal as a whole rather than to one app."""

from celery import shared_task


@shared_task
def ping():
    """Answer 'pong': lets /healthz and the tests see that a worker takes work."""
    return "pong"
