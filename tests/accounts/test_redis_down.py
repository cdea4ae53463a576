"""Sign-in with Redis down: allauth's rate limiter keeps its counts in the cache, which then
answers as an empty cache (common/cache.py); django-axes counts in the database and still
locks an account. Redis is a server of the test's own, killed for the outage."""

import time

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import totp_code
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    started = time.monotonic()
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return response, time.monotonic() - started


def test_sign_in_works_with_redis_down(client, coordinator, own_redis):
    own_redis.stop()

    assert client.get(reverse("account_login")).status_code == 200
    wrong, _seconds = sign_in(client, coordinator.email, "wrong-password")
    assert wrong.status_code == 200  # the form again, with its error
    right, seconds = sign_in(client, coordinator.email, PASSWORD)
    assert right.status_code == 302
    assert seconds < 1
    assert client.get(reverse("coordinator_dashboard")).status_code == 200


def test_staff_sign_in_with_the_second_factor_works_with_redis_down(client, staff_user, own_redis):
    own_redis.stop()

    password, _seconds = sign_in(client, staff_user.email, PASSWORD)
    assert password.url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert client.get(reverse("staff_dashboard")).status_code == 200


def test_lockout_still_holds_with_redis_down(client, coordinator, own_redis):
    own_redis.stop()

    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, coordinator.email, "wrong-password")
    response, _seconds = sign_in(client, coordinator.email, PASSWORD)
    assert response.status_code == 429  # the database's count (django-axes) still locks
    assert "_auth_user_id" not in client.session


def test_rate_limits_count_again_once_redis_is_back(client, coordinator, own_redis, monkeypatch):
    monkeypatch.setattr("common.cache.RETRY_AFTER", 0.2)  # instead of waiting 5 s
    own_redis.stop()
    sign_in(client, coordinator.email, PASSWORD)
    own_redis.start()
    time.sleep(0.3)  # the cache tries Redis again

    client.post(reverse("account_logout"))
    response, _seconds = sign_in(client, coordinator.email, PASSWORD)
    assert response.status_code == 302
    assert any(own_redis_keys(own_redis))  # allauth counts in Redis again


def own_redis_keys(server):
    import redis

    return redis.Redis.from_url(server.url(1)).keys("*")
