"""Queue a message: write the outbox row in the caller's transaction, send it after commit.

A row is the message: if the broker is down when the change commits, the periodic sweep
(`tasks.sweep_outbox`) sends it later. Nothing is lost, and claiming a row before sending
(`sending.send`) means nothing is sent twice.
"""

import logging

from django.template.loader import render_to_string
from django.utils import translation

from common.tasks import enqueue_on_commit, publish

from .models import Notification

log = logging.getLogger(__name__)


def queue_notification(recipient, kind, *, plan=None, context=None):
    """Render `kind`'s templates in the recipient's language and queue the message.

    Returns the row, or None when the recipient switched this optional kind off.
    """
    if kind in Notification.OPTIONAL_KINDS and kind in (recipient.muted_notifications or []):
        return None
    language = recipient.preferred_language or "en"
    context = {"recipient": recipient, "plan": plan, **(context or {})}
    subject, body = render_message(kind, language, context)
    return queue_message(
        to_email=recipient.email,
        kind=kind,
        subject=subject,
        body=body,
        language=language,
        recipient=recipient,
        plan=plan,
    )


def render_message(kind, language, context):
    with translation.override(language):
        subject = render_to_string(f"notifications/{kind}_subject.txt", context).strip()
        body = render_to_string(f"notifications/{kind}_body.txt", context)
    return " ".join(subject.split())[:250], body


def queue_message(
    *, to_email, kind, subject, body, language, recipient=None, plan=None, link_for=None
):
    """The outbox row, and its sending queued after the surrounding transaction commits.

    `link_for`: the object whose single-use link the body holds masked (`links.MASK`); the
    link is made as the message is sent (notifications.links)."""
    notification = Notification.objects.create(
        link_for=link_for,
        recipient=recipient,
        to_email=to_email,
        kind=kind,
        language=language,
        subject=subject,
        body=body,
        plan=plan,
    )
    from .tasks import send_notification

    enqueue_on_commit(send_notification, notification.pk, broker_down_ok=True)
    return notification


def enqueue(notification_id):
    """Hand the message to a worker; if the broker is down, the sweep will do it later."""
    from .tasks import send_notification

    try:
        publish(send_notification, notification_id)
    except Exception as error:  # broker down: the row stays QUEUED for the sweep
        log.warning("Could not queue notification %s: %s", notification_id, error)
