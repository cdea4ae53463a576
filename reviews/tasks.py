"""Celery tasks of the reviews app."""

from celery import shared_task


@shared_task(ignore_result=True)
def remind_reviewers():
    """Periodic (celery beat): remind reviewers of open reviews due within three days."""
    from .domain.reminders import remind_reviewers as remind

    remind()
