"""Two program officers at the same moment: the call's row is locked first, so the second
waits for the first to commit and then finds nothing left to do. Real PostgreSQL row locks,
two connections."""

import threading
from collections import Counter

import pytest
from django.db import connection, transaction

from applications.models import PlanState, PlanTransition
from notifications.models import Notification
from reviews.domain.assignment import apply_assignment, setup_of
from reviews.domain.decisions import decide, release_decisions
from reviews.models import Decision, ReviewAssignment
from tests.conftest import with_two_factor
from tests.factories import PlanFactory, UserFactory
from tests.reviews.factories import ReviewerFactory, closed, submitted_plans

pytestmark = pytest.mark.django_db(transaction=True)


def in_another_connection(work, outcome):
    """Run `work` in a thread with its own database connection; keep what it returned."""

    def run():
        try:
            outcome["result"] = work()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcome["result"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_officers_applying_assignment_at_once_assign_and_notify_once(call, staff):
    setup = setup_of(call)
    setup.reviewers_per_plan, setup.max_load = 2, 30
    setup.save()
    submitted_plans(call, 4)
    reviewers = [ReviewerFactory() for _ in range(2)]
    other_officer = with_two_factor(UserFactory(is_staff=True))
    outcome = {}

    with transaction.atomic():
        apply_assignment(call, by=staff)  # the first has applied, not yet committed
        second = in_another_connection(lambda: apply_assignment(call, by=other_officer), outcome)
        second.join(timeout=1)
        assert second.is_alive(), "the second apply did not wait for the first"
    second.join(timeout=10)

    assert outcome["result"].pairs == []  # nothing left to fill
    assert ReviewAssignment.objects.filter(plan__call=call).count() == 4 * 2
    notified = Counter(
        Notification.objects.filter(kind="reviewer_assigned").values_list("recipient_id", flat=True)
    )
    assert notified == {reviewer.pk: 1 for reviewer in reviewers}


def test_two_releases_at_once_release_once(call, staff):
    plans = [PlanFactory(call=call) for _ in range(2)]
    for plan in plans:
        plan.state = PlanState.UNDER_REVIEW
        plan.save(update_fields=["state"])
        decide(plan, Decision.Outcome.APPROVED, by=staff)
    closed(call)
    other_officer = with_two_factor(UserFactory(is_staff=True))
    outcome = {}

    with transaction.atomic():
        assert release_decisions(call, by=staff) == 2
        second = in_another_connection(lambda: release_decisions(call, by=other_officer), outcome)
        second.join(timeout=1)
        assert second.is_alive(), "the second release did not wait for the first"
    second.join(timeout=10)

    assert outcome["result"] == 0
    for plan in plans:
        plan.refresh_from_db()
        assert plan.state == PlanState.APPROVED
        assert PlanTransition.objects.filter(plan=plan, to_state=PlanState.APPROVED).count() == 1
        told = Counter(
            plan.notifications.filter(kind="decision_released").values_list(
                "recipient_id", flat=True
            )
        )
        assert told and set(told.values()) == {1}  # each coordinator once
