"""allauth's pages work with our user model and layout; the strict CSP is on every page."""

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_password_reset_sends_a_link(client, coordinator):
    response = client.post(reverse("account_reset_password"), {"email": coordinator.email})
    assert response.status_code == 302
    assert mail.outbox[-1].to == [coordinator.email]
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


def test_password_change_requires_the_old_password(client, coordinator, password):
    client.force_login(coordinator)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "wrong",
            "password1": "n3w-passphrase-2026",
            "password2": "n3w-passphrase-2026",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["oldpassword"]
    coordinator.refresh_from_db()
    assert coordinator.check_password(password)


def test_every_page_has_a_strict_content_security_policy(client):
    policy = client.get(reverse("account_login"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_sign_in_page_offers_no_open_sign_up(client):
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in page
