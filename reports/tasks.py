"""Celery tasks of the reports app."""

from celery import shared_task


@shared_task(ignore_result=True)
def remind_reports():
    """Periodic (celery beat): remind the leads whose reports (final, and course D's interim
    ones) fall due within a week."""
    from .domain.reminders import remind_interim_reports
    from .domain.reminders import remind_reports as remind

    remind()
    remind_interim_reports()
