"""Celery tasks of the applications app."""

from celery import shared_task


@shared_task(ignore_result=True)
def remind_drafts():
    """Periodic (celery beat): remind the leads of drafts whose call closes within three days."""
    from .domain.reminders import remind_drafts as remind

    remind()
