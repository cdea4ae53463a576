"""An institution administrator invites colleagues by email; there is no open sign-up."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from institutions.models import Membership, MembershipInvitation
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def invite(client, institution, email, role="member", language="en"):
    return client.post(
        reverse("institution_members", args=[institution.pk]),
        {"email": email, "role": role, "language": language},
    )


def link_in_last_mail():
    return re.search(r"https?://\S+/institutions/join/\S+/", mail.outbox[-1].body).group(0)


def path_of(link):
    return "/" + link.split("/", 3)[3]


def test_administrator_invites_and_newcomer_joins(
    client, institution, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, institution, "New.Colleague@Example.org")
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new.colleague@example.org"]
    link = link_in_last_mail()
    client.logout()

    response = client.get(path_of(link))
    assert response.status_code == 200
    response = client.post(
        path_of(link),
        {
            "full_name": "Nguyễn Văn An",
            "preferred_language": "en",
            "password1": "a-long-passphrase-2026",
            "password2": "a-long-passphrase-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.colleague@example.org")
    assert user.full_name == "Nguyễn Văn An"
    assert Membership.objects.get(user=user).institution == institution
    assert EmailAddress.objects.get(user=user).verified


def test_invitation_link_works_only_once(
    client, institution, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, institution, "once@example.org")
    path = path_of(link_in_last_mail())
    client.logout()
    data = {
        "full_name": "Once",
        "preferred_language": "ja",
        "password1": "a-long-passphrase-2026",
        "password2": "a-long-passphrase-2026",
    }
    assert client.post(path, data).status_code == 302
    client.logout()
    assert client.get(path).status_code == 404


def test_expired_invitation_is_refused(
    client, institution, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, institution, "late@example.org")
    MembershipInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.logout()
    assert client.get(path_of(link_in_last_mail())).status_code == 404


def test_signup_form_errors_keep_input(
    client, institution, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, institution, "typo@example.org")
    client.logout()
    response = client.post(
        path_of(link_in_last_mail()),
        {
            "full_name": "ソムチャイ",
            "preferred_language": "en",
            "password1": "a-long-passphrase-2026",
            "password2": "different",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["password2"]
    assert "ソムチャイ" in response.content.decode()
    assert not User.objects.filter(email="typo@example.org").exists()


def test_existing_account_signs_in_then_accepts(
    client, institution, coordinator, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="existing@example.org")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, institution, existing.email, role="administrator")
    path = path_of(link_in_last_mail())
    client.logout()

    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))

    client.post(reverse("account_login"), {"login": existing.email, "password": PASSWORD})
    assert client.post(path).status_code == 302
    assert Membership.objects.get(user=existing).role == Membership.Role.ADMINISTRATOR


def test_invitation_cannot_be_used_by_someone_else(
    client, institution, coordinator, colleague, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, institution, "intended@example.org")
    client.force_login(colleague)
    response = client.post(path_of(link_in_last_mail()))
    assert response.status_code == 403
    assert not MembershipInvitation.objects.filter(accepted_at__isnull=False).exists()


def test_plain_member_cannot_invite(client, institution, colleague):
    client.force_login(colleague)
    assert invite(client, institution, "sneaky@example.org").status_code == 404
    assert not MembershipInvitation.objects.exists()


def test_inviting_an_existing_member_is_a_form_error(client, institution, coordinator, colleague):
    client.force_login(coordinator)
    response = invite(client, institution, colleague.email)
    assert response.status_code == 400
    assert "already a member" in response.content.decode()


def test_bad_email_is_a_field_error(client, institution, coordinator):
    client.force_login(coordinator)
    response = invite(client, institution, "not-an-email")
    assert response.status_code == 400
    assert response.context["form"].errors["email"]


def test_unknown_token_is_404(client):
    assert client.get(reverse("accept_invitation", args=["nonsense"])).status_code == 404


def test_open_signup_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "walk-in@example.org",
            "password1": "a-long-passphrase-2026",
            "password2": "a-long-passphrase-2026",
        },
    )
    assert not User.objects.filter(email="walk-in@example.org").exists()
    assert response.status_code == 200


# The join link lives only in the mail that is sent: the outbox keeps and shows it masked.


def test_outbox_keeps_and_shows_the_join_link_masked(
    client, institution, coordinator, staff_user, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, institution, "new.colleague@example.org", role="administrator")
    token = link_in_last_mail().rstrip("/").rsplit("/", 1)[1]
    stored = Notification.objects.get(to_email="new.colleague@example.org")

    assert token not in stored.body
    assert "/institutions/join/(hidden)/" in stored.body
    client.force_login(staff_user)
    page = client.get(reverse("outbox_message", args=[stored.pk])).content.decode()
    assert token not in page
    assert "/institutions/join/(hidden)/" in page


def test_resent_invitation_carries_a_new_link_and_the_old_one_stops_working(
    client, institution, coordinator, staff_user, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, institution, "new.colleague@example.org")
    first = link_in_last_mail()
    stored = Notification.objects.get(to_email="new.colleague@example.org")

    client.force_login(staff_user)
    client.post(reverse("outbox_message", args=[stored.pk]))  # staff: send it again
    second = link_in_last_mail()
    client.logout()

    assert second != first
    assert client.get(path_of(first)).status_code == 404
    assert client.get(path_of(second)).status_code == 200
