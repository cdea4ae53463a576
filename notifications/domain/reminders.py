"""Reminders sent by celery beat: drafts before a call closes, reviewers before a deadline.

Each is idempotent: running a reminder twice queues no second message.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ..models import Notification
from ..services import queue_notification

REVIEW_REMINDER_BEFORE = timedelta(days=3)


def remind_reviewers(now=None):
    """Reviewers with unfinished reviews whose deadline is within three days or past;
    at most one message per reviewer and day."""
    from reviews.models import ReviewAssignment

    now = now or timezone.now()
    open_assignments = ReviewAssignment.objects.filter(
        state__in=[ReviewAssignment.State.ASSIGNED, ReviewAssignment.State.ACCEPTED],
        plan__call__review_setup__deadline__lte=now + REVIEW_REMINDER_BEFORE,
    ).select_related("reviewer", "plan__call__review_setup")
    pending = {}
    for assignment in open_assignments:
        pending.setdefault(assignment.reviewer, []).append(assignment)
    already = set(
        Notification.objects.filter(
            kind=Notification.Kind.REVIEW_OVERDUE, created_at__date=timezone.localdate(now)
        ).values_list("recipient_id", flat=True)
    )
    count = 0
    for reviewer, assignments in pending.items():
        if reviewer.pk in already:
            continue
        with transaction.atomic():
            sent = queue_notification(
                reviewer,
                Notification.Kind.REVIEW_OVERDUE,
                context={
                    "assignments": assignments,
                    "deadline": min(a.plan.call.review_setup.deadline for a in assignments),
                },
            )
            count += bool(sent)
    return count
