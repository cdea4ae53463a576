"""django-axes locks an account after repeated failed sign-ins."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_axes_locks_after_repeated_bad_passwords(client, coordinator):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, coordinator.email, "wrong-password")
        assert response.status_code == 200  # the form again, with its error
    sign_in(client, coordinator.email, "wrong-password")

    response = sign_in(client, coordinator.email, PASSWORD)  # even the right password now
    assert response.status_code == 429
    assert "locked for 30 minutes" in response.content.decode()  # AXES_COOLOFF_MINUTES
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("coordinator_dashboard")).status_code == 302


def test_a_few_bad_passwords_do_not_lock(client, coordinator):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, coordinator.email, "wrong-password")
    response = sign_in(client, coordinator.email, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("coordinator_dashboard")).status_code == 200


def test_lockout_of_one_account_leaves_others_alone(client, coordinator, colleague):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, coordinator.email, "wrong-password")
    assert sign_in(client, colleague.email, PASSWORD).status_code == 302
