"""The staff dashboard with Redis down: its figures are computed for the page instead of
read from the cache, and the page answers (the cache is a Redis of the test's own)."""

import time

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dashboard_answers_with_redis_down(client, staff_user, own_redis):
    client.force_login(staff_user)
    own_redis.stop()

    started = time.monotonic()
    response = client.get(reverse("insights_dashboard"))
    assert response.status_code == 200
    assert time.monotonic() - started < 1
    assert "Participants by fiscal year" in response.content.decode()
    recompute = client.post(reverse("insights_dashboard"))
    assert recompute.status_code == 302
