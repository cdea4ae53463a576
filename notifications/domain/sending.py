"""Sending one outbox message, exactly once, with retries and backoff on failure."""

from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from ..links import body_to_send
from ..models import Notification

MAX_ATTEMPTS = 6
# After a failed attempt, wait 1, 2, 4, 8, 16 minutes before the next.
BACKOFF = timedelta(minutes=1)
# A message claimed by a worker that died is taken back after this long.
STUCK_AFTER = timedelta(minutes=15)

S = Notification.State


def send(notification_id):
    """Claim the message (QUEUED → SENDING) and send it; another claimant gets nothing.

    Side effects: SENT with sent_at; or, on failure, QUEUED again with attempts + 1, the
    error and the next attempt's time (FAILED once MAX_ATTEMPTS are used up).
    Returns True when this call sent the message.
    """
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, state=S.QUEUED, next_attempt_at__lte=now
    ).update(state=S.SENDING, attempts=F("attempts") + 1, next_attempt_at=now)
    if claimed != 1:
        return False
    notification = Notification.objects.get(pk=notification_id)
    try:
        # The mail carries the live link; the row keeps it masked (never saved from here on).
        notification.body = body_to_send(notification)
        message = EmailMultiAlternatives(
            notification.subject, notification.body, None, [notification.to_email]
        )
        message.attach_alternative(
            render_to_string("notifications/email.html", {"notification": notification}),
            "text/html",
        )
        message.send()
    except Exception as error:  # SMTP refused, timed out, …: try again later
        failed = notification.attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=notification_id).update(
            state=S.FAILED if failed else S.QUEUED,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=timezone.now() + BACKOFF * 2 ** (notification.attempts - 1),
        )
        return False
    Notification.objects.filter(pk=notification_id).update(state=S.SENT, sent_at=timezone.now())
    return True


def due_messages(now=None):
    """Messages the sweep should hand to a worker: queued and due, or stuck in SENDING."""
    now = now or timezone.now()
    return Notification.objects.filter(
        Q(state=S.QUEUED, next_attempt_at__lte=now)
        | Q(state=S.SENDING, next_attempt_at__lte=now - STUCK_AFTER)
    )


def release_stuck(now=None):
    """A worker died between claiming and finishing: let the message be sent again."""
    now = now or timezone.now()
    return Notification.objects.filter(
        state=S.SENDING, next_attempt_at__lte=now - STUCK_AFTER
    ).update(state=S.QUEUED)


def resend(notification):
    """Staff: send a failed (or sent) message again."""
    Notification.objects.filter(pk=notification.pk).exclude(state=S.SENDING).update(
        state=S.QUEUED, next_attempt_at=timezone.now(), last_error=""
    )
