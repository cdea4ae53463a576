"""The draft reminder sent by celery beat: the lead of a plan still a draft when its call
closes within three days, once per plan."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.services import queue_notification
from programs.models import Call

from ..models import InvitationPlan, PlanState

DRAFT_REMINDER_BEFORE = timedelta(days=3)


def remind_drafts(now=None):
    """The lead of every plan still a draft when its published call closes within three days.

    Side effects: one DRAFT_REMINDER notification per plan, queued in the outbox; a plan
    reminded before is left out, so running it twice queues nothing the second time.
    """
    now = now or timezone.now()
    plans = (
        InvitationPlan.objects.filter(
            state=PlanState.DRAFT,
            call__status=Call.Status.PUBLISHED,
            call__closes_at__gt=now,
            call__closes_at__lte=now + DRAFT_REMINDER_BEFORE,
        )
        .exclude(notifications__kind=Notification.Kind.DRAFT_REMINDER)
        .select_related("lead", "call__program")
    )
    count = 0
    for plan in plans:
        with transaction.atomic():
            if queue_notification(plan.lead, Notification.Kind.DRAFT_REMINDER, plan=plan):
                count += 1
    return count
