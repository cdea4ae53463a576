"""Beat reminders: drafts before a call closes, reviewers before their deadline; never twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.domain.states import submit_plan
from notifications.domain.reminders import remind_reviewers
from notifications.models import Notification
from reviews.models import ReviewAssignment, ReviewSetup
from tests.factories import PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_reviewer_reminder_lists_unfinished_reviews_once_a_day(staff_user):
    plan = PlanFactory()
    submit_plan(plan, by=plan.lead)
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


def test_letter_issued_notifies_the_participant_with_an_account():
    from letters.domain.letters import issue_letter
    from tests.participants.builders import approved_plan, registered

    participant = registered(approved_plan())
    participant.user = UserFactory(email=participant.email, preferred_language="ja")
    participant.save()
    letter = issue_letter(participant)
    issue_letter(participant)  # unchanged: no second letter, no second message
    messages = Notification.objects.filter(kind=Notification.Kind.LETTER_ISSUED)
    assert messages.count() == 1
    assert letter.reference in messages.get().subject and messages.get().language == "ja"
