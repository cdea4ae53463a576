"""Celery tasks of the participants app."""

from celery import shared_task


@shared_task(ignore_result=True)
def apply_retention():
    """Nightly (celery beat): remove personal data that is past its retention period."""
    from .domain.retention import apply_retention as apply

    apply()
