"""Agency staff and reviewers must use two-factor authentication before any of their pages."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.conftest import totp_code
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/staff/", "/staff/calls/", "/admin/", "/dashboard/"])
def test_staff_without_two_factor_is_sent_to_set_it_up(client, path):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_reviewer_without_two_factor_is_sent_to_set_it_up(client):
    client.force_login(UserFactory(is_reviewer=True))
    response = client.get(reverse("reviewer_dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_staff_sets_up_two_factor_then_reaches_staff_pages(client):
    officer = UserFactory(is_staff=True)
    client.post(reverse("account_login"), {"login": officer.email, "password": PASSWORD})
    response = client.get(reverse("staff_dashboard"), follow=True)
    # allauth asks for the password again before a second factor is added.
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    response = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("staff_dashboard")).status_code == 200


def test_staff_with_two_factor_reaches_staff_pages(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("staff_dashboard")).status_code == 200


def test_coordinator_is_not_asked_for_two_factor(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("coordinator_dashboard")).status_code == 200


def test_staff_sign_in_asks_for_the_code_then_lets_them_in(client, staff_user):
    response = client.post(
        reverse("account_login"), {"login": staff_user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert client.get(reverse("staff_dashboard")).status_code == 302  # not signed in yet

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200  # wrong code: the form again
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert client.get(reverse("staff_dashboard")).status_code == 200
