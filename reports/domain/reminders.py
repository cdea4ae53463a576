"""The report-due reminder sent by celery beat: once per plan, a week before the report is due.

The due date is `reporting.due_date()`, the one the report pages show and the overdue flag
uses; a reminder run twice queues no second message.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from applications.models import InvitationPlan, PlanState
from notifications.models import Notification
from notifications.services import queue_notification

from .reporting import due_date

REPORT_REMINDER_BEFORE = timedelta(days=7)


def remind_reports(today=None):
    """The lead of every plan whose implementation report falls due within a week or is
    overdue, judged by the date in Japan; once per plan.

    Side effects: one REPORT_DUE notification per plan (with the due date), queued in the
    outbox; a plan reminded before is left out.
    """
    today = today or timezone.localdate()
    plans = (
        InvitationPlan.objects.filter(
            state__in=PlanState.reporting(),
            departure_on__isnull=False,
        )
        .exclude(notifications__kind=Notification.Kind.REPORT_DUE)
        .select_related("lead", "call__program")
    )
    count = 0
    for plan in plans:
        due = due_date(plan)
        if due - REPORT_REMINDER_BEFORE <= today:
            with transaction.atomic():
                count += bool(
                    queue_notification(
                        plan.lead, Notification.Kind.REPORT_DUE, plan=plan, context={"due": due}
                    )
                )
    return count
