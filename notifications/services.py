"""Queue a message: render it in the recipient's language and write the outbox row.

Sending the rows is the job of the letters-and-notifications work (Celery, after commit).
"""

from django.template.loader import render_to_string
from django.utils import translation

from .models import Notification


def queue_notification(recipient, kind, *, plan=None, context=None):
    """Write one QUEUED row for `recipient`; call it inside the transaction of the change."""
    language = recipient.preferred_language or "en"
    context = {"recipient": recipient, "plan": plan, **(context or {})}
    with translation.override(language):
        subject = render_to_string(f"notifications/{kind}_subject.txt", context).strip()
        body = render_to_string(f"notifications/{kind}_body.txt", context)
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        language=language,
        subject=subject[:250],
        body=body,
        plan=plan,
    )
