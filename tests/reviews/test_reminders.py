"""The reviewer reminder: unfinished reviews of plans still in review whose deadline is within
three days or past; at most one message per reviewer and day."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from applications.domain.states import submit_plan, withdraw_plan
from applications.models import InvitationPlan, PlanState
from notifications.models import Notification
from reviews.domain.reminders import remind_reviewers
from reviews.models import ReviewAssignment, ReviewSetup
from tests.factories import PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


def submitted(**fields):
    plan = PlanFactory(**fields)
    return submit_plan(plan, by=plan.lead)


def test_reviewer_reminder_lists_unfinished_reviews_once_a_day(staff_user):
    plan = submitted()
    ReviewSetup.objects.create(call=plan.call, deadline=timezone.now() + timedelta(days=1))
    slow, done = UserFactory(is_reviewer=True), UserFactory(is_reviewer=True)
    ReviewAssignment.objects.create(plan=plan, reviewer=slow, assigned_by=staff_user)
    ReviewAssignment.objects.create(
        plan=plan, reviewer=done, assigned_by=staff_user, state=ReviewAssignment.State.SUBMITTED
    )
    assert remind_reviewers() == 1
    assert remind_reviewers() == 0
    reminder = Notification.objects.get(kind=Notification.Kind.REVIEW_OVERDUE)
    assert reminder.recipient == slow
    assert plan.reference in reminder.body


def test_reviewer_reminder_not_before_three_days_ahead(staff_user):
    plan = submitted()
    ReviewSetup.objects.create(call=plan.call, deadline=timezone.now() + timedelta(days=4))
    ReviewAssignment.objects.create(
        plan=plan, reviewer=UserFactory(is_reviewer=True), assigned_by=staff_user
    )
    assert remind_reviewers() == 0
    assert remind_reviewers(now=timezone.now() + timedelta(days=1, minutes=1)) == 1


def test_reviewer_reminder_leaves_out_plans_no_longer_in_review(staff_user):
    """A withdrawn plan needs no review; nor does one whose decision is made."""
    withdrawn, decided = submitted(), submitted()
    withdraw_plan(withdrawn, by=withdrawn.lead)
    InvitationPlan.objects.filter(pk=decided.pk).update(state=PlanState.APPROVED)
    reviewer = UserFactory(is_reviewer=True)
    for plan in (withdrawn, decided):
        ReviewSetup.objects.get_or_create(
            call=plan.call, defaults={"deadline": timezone.now() - timedelta(days=1)}
        )
        ReviewAssignment.objects.create(plan=plan, reviewer=reviewer, assigned_by=staff_user)

    assert remind_reviewers() == 0
    assert not Notification.objects.filter(kind=Notification.Kind.REVIEW_OVERDUE).exists()


def test_reviewer_reminder_runs_every_six_hours_from_the_reviews_app():
    entry = settings.CELERY_BEAT_SCHEDULE["remind-reviewers"]
    assert entry["task"] == "reviews.tasks.remind_reviewers"
    assert entry["schedule"] == 6 * 3600
