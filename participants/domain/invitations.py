"""Inviting participants to the portal: a single-use link by email; no open sign-up."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from institutions.models import hash_token
from notifications import links
from notifications.models import Notification
from notifications.services import queue_message

from ..models import ParticipantInvitation

LIFETIME = timedelta(days=14)


def invite_participant(participant, *, by, language="en"):
    """Email `participant` a link to set a password (their language: en or ja).

    Side effects: earlier unused invitations of the participant expire; a new invitation
    row; the email queued in the outbox, its link masked: the token is made when the mail is
    sent (`new_link_token`), so nobody reading the outbox can use it.
    """
    if not by.has_perm("participants.manage_participants", participant.plan):
        raise PermissionDenied
    if participant.user_id:
        raise ValidationError(_("%(name)s already has an account.") % {"name": participant})
    now = timezone.now()
    with transaction.atomic():
        participant.invitations.filter(used_at__isnull=True).update(expires_at=now)
        invitation = ParticipantInvitation.objects.create(
            participant=participant,
            email=participant.email,
            # Replaced when the mail is sent; this token is never shown to anyone.
            token_hash=hash_token(ParticipantInvitation.new_token()),
            language=language,
            invited_by=by,
            created_at=now,
            expires_at=now + LIFETIME,
        )
        link = settings.SITE_URL + reverse("participant_join", args=[links.MASK])
        with translation.override(language):
            context = {"participant": participant, "plan": participant.plan, "link": link}
            subject = _("Your invitation to Japan: %(title)s") % {"title": participant.plan.title}
            body = render_to_string("participants/email/invitation.txt", context)
        queue_message(
            to_email=participant.email,
            kind=Notification.Kind.PARTICIPANT_INVITED,
            subject=subject,
            body=body,
            language=language,
            plan=participant.plan,
            link_for=invitation.pk,
        )
    return invitation


def new_link_token(invitation_id):
    """A fresh token for the invitation's link, made as its email is sent (registered with
    the outbox in ParticipantsConfig.ready). Side effect: the token of any earlier email of
    this invitation stops working."""
    token = ParticipantInvitation.new_token()
    ParticipantInvitation.objects.filter(pk=invitation_id).update(token_hash=hash_token(token))
    return token


def accept_invitation(invitation, *, password):
    """Create the participant's account (or link an existing one); the link is used up.

    Refused when the participant's address is no longer the one the link was sent to.
    Side effects, in one transaction: marks the invitation used (refused if used in
    between), creates the user with a verified email (an existing user keeps their
    password), links it to the participant.
    """
    participant = invitation.participant
    if participant.email.lower() != invitation.email.lower():
        # The host changed the address after sending: the link proves the old one only.
        raise ValidationError(
            _(
                "This invitation was sent to another address than the one your host now has "
                "for you. Ask your host to send you a new invitation."
            )
        )
    with transaction.atomic():
        used = ParticipantInvitation.objects.filter(
            pk=invitation.pk, used_at__isnull=True, expires_at__gt=timezone.now()
        ).update(used_at=timezone.now())
        if used != 1:
            raise ValidationError(_("This link was already used or has expired."))
        user = User.objects.filter(email__iexact=participant.email).first()
        if user is None:
            user = User.objects.create_user(
                email=participant.email,
                password=password,
                full_name=participant.passport_name,
                preferred_language=invitation.language,
            )
        elif user.must_use_two_factor:
            raise ValidationError(_("Please sign in with your existing account."))
        # An existing account keeps its password: the link only attaches the stay to it,
        # and its owner signs in as usual (the link must not be a way into an account).
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        participant.user = user
        participant.save(update_fields=["user", "updated_at"])
    return user
