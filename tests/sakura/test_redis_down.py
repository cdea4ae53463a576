"""With Redis down (the broker and the cache, a server of the test's own, killed), the pages
of each role answer, each in well under a second."""

import time

import pytest
from django.urls import reverse

from tests.participants.builders import approved_plan, registered

pytestmark = pytest.mark.django_db


def test_every_role_s_pages_answer_with_redis_down(
    client, coordinator, staff_user, institution, own_redis
):
    plan = approved_plan(host=institution)
    registered(plan)
    own_redis.stop()

    pages = {
        coordinator: [
            reverse("coordinator_dashboard"),
            reverse("plan_list"),
            reverse("participant_list", args=[plan.pk]),
        ],
        staff_user: [
            reverse("staff_dashboard"),
            reverse("insights_dashboard"),
            reverse("outbox"),
            reverse("call_letters", args=[plan.call_id]),
            reverse("staff_call_plans", args=[plan.call_id]),
        ],
    }
    for user, paths in pages.items():
        client.force_login(user)
        for path in paths:
            started = time.monotonic()
            response = client.get(path)
            assert response.status_code == 200, path
            assert time.monotonic() - started < 1, path
