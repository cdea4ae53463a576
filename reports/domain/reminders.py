"""The report-due reminder sent by celery beat: once per plan, a week before the report is due.

The due date is `reporting.due_date()`, the one the report pages show and the overdue flag
uses; a reminder run twice queues no second message.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from applications.models import InvitationPlan, PlanState
from notifications.models import Notification
from notifications.services import queue_notification

from .interim import interim_due_from
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


def remind_interim_reports(today=None):
    """The lead of every plan made of activities (course D) whose first activity is over and
    whose interim report falls due within a week or is overdue, judged by the date in Japan;
    once per plan. A plan has activities only in a course whose rules make it so.

    Side effects: one INTERIM_REPORT_DUE notification per plan (with the due date), queued in
    the outbox; a plan reminded before, or whose interim report was submitted, is left out.
    """
    today = today or timezone.localdate()
    plans = (
        InvitationPlan.objects.filter(state__in=PlanState.reporting(), activities__isnull=False)
        .exclude(notifications__kind=Notification.Kind.INTERIM_REPORT_DUE)
        .exclude(interim_report__submitted_at__isnull=False)
        .exclude(interim_report__accepted_at__isnull=False)
        .annotate(first_end=Min("activities__ends_on"))
        .filter(first_end__lt=today)
        .select_related("lead", "call__program")
    )
    count = 0
    for plan in plans:
        due = interim_due_from(plan.first_end, plan.call.program.report_due_days)
        if due - REPORT_REMINDER_BEFORE <= today:
            with transaction.atomic():
                count += bool(
                    queue_notification(
                        plan.lead,
                        Notification.Kind.INTERIM_REPORT_DUE,
                        plan=plan,
                        context={"due": due},
                    )
                )
    return count
