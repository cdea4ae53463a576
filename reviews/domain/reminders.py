"""The reviewer reminder sent by celery beat: unfinished reviews whose deadline is within
three days or past, at most one message per reviewer and day.

Which reviews are unfinished is `workload.assignments_due_by()`, the rule the staff
assignment page and the reviewer dashboard show as "overdue".
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.services import queue_notification

from .workload import assignments_due_by

REVIEW_REMINDER_BEFORE = timedelta(days=3)


def remind_reviewers(now=None):
    """Each reviewer with open reviews due within three days or overdue, once a day.

    Side effects: one REVIEW_OVERDUE notification per reviewer (listing the assignments and
    the earliest deadline), queued in the outbox; a reviewer reminded today is left out.
    """
    now = now or timezone.now()
    pending = {}
    for assignment in assignments_due_by(now + REVIEW_REMINDER_BEFORE).select_related(
        "reviewer", "plan__call__review_setup"
    ):
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
