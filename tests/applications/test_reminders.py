"""The draft reminder: the lead of a draft whose call closes within three days, once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from applications.domain.reminders import remind_drafts
from applications.domain.states import submit_plan
from notifications.models import Notification
from tests.factories import CallFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_draft_reminder_goes_once_to_the_lead_of_a_draft_in_a_closing_call():
    closing = CallFactory(closes_at=timezone.now() + timedelta(days=2))
    later = CallFactory(closes_at=timezone.now() + timedelta(days=20))
    draft = PlanFactory(call=closing)
    PlanFactory(call=later)  # not closing yet
    submitted = PlanFactory(call=closing)
    submit_plan(submitted, by=submitted.lead)

    assert remind_drafts() == 1
    assert remind_drafts() == 0  # idempotent
    reminders = Notification.objects.filter(kind=Notification.Kind.DRAFT_REMINDER)
    assert [(n.plan, n.recipient) for n in reminders] == [(draft, draft.lead)]


def test_draft_reminder_runs_every_six_hours_from_the_applications_app():
    entry = settings.CELERY_BEAT_SCHEDULE["remind-drafts"]
    assert entry["task"] == "applications.tasks.remind_drafts"
    assert entry["schedule"] == 6 * 3600
