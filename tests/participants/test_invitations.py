"""Participants reach the portal only by invitation: the host's coordinator sends a single-use
link (in English or Japanese) by which the participant chooses a password. There is no open
sign-up, and agency staff and reviewers keep their own two-factor accounts."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from participants.domain.invitations import accept_invitation, invite_participant
from participants.models import ParticipantInvitation
from tests.factories import PASSWORD, PlanFactory, UserFactory

from .builders import approved, registered

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-passphrase-2026"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Spare the users PlanFactory makes the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(institution, coordinator):
    return approved(PlanFactory(host=institution, lead=coordinator))


@pytest.fixture
def participant(plan):
    return registered(plan, email="somchai@example.ac.th")


def invite(participant, by, language="en", capture=None):
    """Invite and run the on-commit email; returns (invitation, token from the email)."""
    with capture(execute=True):
        invitation = invite_participant(participant, by=by, language=language)
    return invitation, token_in(mail.outbox[-1].body)


def token_in(body):
    return re.search(r"https?://\S+/participant/join/([^/\s]+)/", body).group(1)


@pytest.fixture
def invited(participant, coordinator, django_capture_on_commit_callbacks):
    return invite(participant, coordinator, capture=django_capture_on_commit_callbacks)


# Inviting.


def test_invite_sends_one_email_with_join_link(
    participant, coordinator, settings, django_capture_on_commit_callbacks
):
    invitation, token = invite(participant, coordinator, capture=django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["somchai@example.ac.th"]
    assert message.subject == (
        "Your invitation to Japan: Hands-on training in materials for renewable energy"
    )
    assert f"{settings.SITE_URL}/participant/join/{token}/" in message.body
    assert "SAETANG Somchai" in message.body
    assert ParticipantInvitation.find(token) == invitation
    assert invitation.invited_by == coordinator
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)


def test_invite_in_japanese_subject_differs(
    participant, coordinator, django_capture_on_commit_callbacks
):
    invitation, token = invite(
        participant, coordinator, language="ja", capture=django_capture_on_commit_callbacks
    )

    message = mail.outbox[-1]
    assert message.subject == "日本へのご招へいのご案内：再生可能エネルギー材料の体験研修"
    assert "/participant/join/" in message.body
    assert invitation.language == "ja"


def test_invite_sends_no_email_before_commit(
    participant, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite_participant(participant, by=coordinator)

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_invite_again_expires_earlier_unused_invitation(
    participant, coordinator, django_capture_on_commit_callbacks
):
    first, first_token = invite(
        participant, coordinator, capture=django_capture_on_commit_callbacks
    )
    second, second_token = invite(
        participant, coordinator, capture=django_capture_on_commit_callbacks
    )

    assert len(mail.outbox) == 2
    assert ParticipantInvitation.find(first_token) is None
    assert ParticipantInvitation.find(second_token) == second
    first.refresh_from_db()
    assert first.expires_at <= timezone.now()
    with pytest.raises(ValidationError):
        accept_invitation(first, password=NEW_PASSWORD)


def test_invite_by_coordinator_of_another_institution_refused(
    participant, other_coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        invite_participant(participant, by=other_coordinator)

    assert not ParticipantInvitation.objects.exists()
    assert mail.outbox == []


def test_invite_participant_who_accepted_already_refused(
    participant, coordinator, invited, django_capture_on_commit_callbacks
):
    invitation, _ = invited
    accept_invitation(invitation, password=NEW_PASSWORD)
    participant.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        invite_participant(participant, by=coordinator)

    assert ParticipantInvitation.objects.filter(participant=participant).count() == 1
    assert len(mail.outbox) == 1


# Accepting.


def test_accept_creates_user_with_verified_email_and_links_participant(participant, invited):
    invitation, token = invited

    user = accept_invitation(ParticipantInvitation.find(token), password=NEW_PASSWORD)

    assert user.email == "somchai@example.ac.th"
    assert user.check_password(NEW_PASSWORD)
    assert user.full_name == "SAETANG Somchai"
    assert not user.must_use_two_factor
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (user.email, True, True)
    participant.refresh_from_db()
    assert participant.user == user
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert user.has_perm("participants.view_participant", participant)


def test_accept_keeps_the_invitation_language(
    participant, coordinator, django_capture_on_commit_callbacks
):
    invitation, _ = invite(
        participant, coordinator, language="ja", capture=django_capture_on_commit_callbacks
    )

    user = accept_invitation(invitation, password=NEW_PASSWORD)

    assert user.preferred_language == "ja"


def test_accept_same_invitation_twice_refused(participant, invited):
    invitation, token = invited
    accept_invitation(invitation, password=NEW_PASSWORD)

    with pytest.raises(ValidationError):
        accept_invitation(invitation, password="another-passphrase-2026")

    assert ParticipantInvitation.find(token) is None
    assert User.objects.filter(email=participant.email).count() == 1
    assert User.objects.get(email=participant.email).check_password(NEW_PASSWORD)


def test_expired_invitation_not_found_and_refused(invited):
    invitation, token = invited
    ParticipantInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert ParticipantInvitation.find(token) is None
    with pytest.raises(ValidationError):
        accept_invitation(invitation, password=NEW_PASSWORD)
    assert not User.objects.filter(email="somchai@example.ac.th").exists()


def test_find_unknown_token_is_none(invited):
    assert ParticipantInvitation.find("not-a-token") is None
    assert ParticipantInvitation.find(ParticipantInvitation.new_token()) is None


@pytest.mark.parametrize("account", ["staff_user", "reviewer"])
def test_accept_refused_for_existing_two_factor_account_with_same_email(
    request, plan, coordinator, django_capture_on_commit_callbacks, account
):
    existing = request.getfixturevalue(account)
    participant = registered(plan, email=existing.email.upper())
    invitation, _ = invite(participant, coordinator, capture=django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError):
        accept_invitation(invitation, password=NEW_PASSWORD)

    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    participant.refresh_from_db()
    assert participant.user is None
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_accept_links_existing_ordinary_account_with_same_email(
    plan, coordinator, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="former.student@example.ac.th")
    participant = registered(plan, email="Former.Student@example.ac.th")
    invitation, _ = invite(participant, coordinator, capture=django_capture_on_commit_callbacks)

    user = accept_invitation(invitation, password=NEW_PASSWORD)

    assert user == existing
    assert User.objects.filter(email__iexact="former.student@example.ac.th").count() == 1
    participant.refresh_from_db()
    assert participant.user == existing
    existing.refresh_from_db()
    assert not existing.check_password(NEW_PASSWORD)  # the link is no way into an account


# The join link lives only in the mail that is sent: the outbox keeps and shows it masked.


def test_outbox_keeps_and_shows_the_join_link_masked(invited, client, staff_user):
    from notifications.models import Notification

    _invitation, token = invited
    stored = Notification.objects.get(to_email="somchai@example.ac.th")

    assert token not in stored.body
    assert "/participant/join/(hidden)/" in stored.body
    client.force_login(staff_user)
    page = client.get(f"/staff/outbox/{stored.pk}/").content.decode()
    assert token not in page
    assert "/participant/join/(hidden)/" in page


# A link works only for the address it was sent to.


def test_link_sent_before_the_address_changed_is_refused(invited, participant, client):
    """The host corrected the participant's address after inviting: the link in the old
    mailbox must not make an account for the new address."""
    invitation, token = invited
    participant.email = "somchai.saetang@example.org"
    participant.save()

    response = client.post(
        f"/participant/join/{token}/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "preferred_language": "en"},
    )

    assert response.status_code == 400
    assert "This invitation was sent to another address" in response.content.decode()
    assert not User.objects.filter(email__in=["somchai@example.ac.th", participant.email]).exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert invitation.email == "somchai@example.ac.th"
