"""Inviting a contact at a nominating body: a single-use link by email, bound to its address;
accepting it makes the contact's own account and their access to this body and plan only."""

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

from ..models import Nominator, NominatorInvitation

LIFETIME = timedelta(days=14)


def invite_nominator(plan, body, email, *, by, language="en"):
    """Email a contact at `body` a link to nominate candidates for `plan` (an agency plan).

    Side effects, in one transaction: earlier unused invitations of the same address for this
    body and plan expire; a new invitation row; the email queued in the outbox with its link
    masked: the token is made when the mail is sent (`new_link_token`).
    """
    if not by.has_perm("nominations.manage_direct_invitations"):
        raise PermissionDenied
    if not plan.call.program.agency_hosted:
        raise ValidationError(_("Nominations are only for plans the agency hosts itself."))
    now = timezone.now()
    with transaction.atomic():
        NominatorInvitation.objects.filter(
            plan=plan, body=body, email__iexact=email, used_at__isnull=True
        ).update(expires_at=now)
        invitation = NominatorInvitation.objects.create(
            plan=plan,
            body=body,
            email=email,
            language=language,
            # Replaced when the mail is sent; this token is never shown to anyone.
            token_hash=hash_token(NominatorInvitation.new_token()),
            invited_by=by,
            created_at=now,
            expires_at=now + LIFETIME,
        )
        link = settings.SITE_URL + reverse("nominator_join", args=[links.MASK])
        with translation.override(language):
            context = {"body": body, "plan": plan, "link": link}
            subject = _("Nominate candidates for “%(title)s”") % {"title": plan.title}
            body_text = render_to_string("nominations/email/invitation.txt", context)
        queue_message(
            to_email=email,
            kind=Notification.Kind.NOMINATOR_INVITED,
            subject=subject,
            body=body_text,
            language=language,
            plan=plan,
            link_for=invitation.pk,
        )
    return invitation


def new_link_token(invitation_id):
    """A fresh token for the invitation's link, made as its email is sent (registered with the
    outbox in NominationsConfig.ready). Side effect: any earlier email's link stops working."""
    token = NominatorInvitation.new_token()
    NominatorInvitation.objects.filter(pk=invitation_id).update(token_hash=hash_token(token))
    return token


def accept_nominator_invitation(invitation, *, password, full_name="", visitor=None):
    """Use up the link: the contact's account (new, or the signed-in one with the invited
    address) becomes a nominator for the invitation's body and plan.

    Side effects, in one transaction: the invitation marked used (refused if used in between or
    expired); a user with a verified address when none exists; the Nominator row (once).
    Refused when a signed-in visitor has another address, or when the address belongs to an
    existing account and nobody is signed in (the link is not a way into an account).
    """
    signed_in = visitor is not None and visitor.is_authenticated
    if signed_in and visitor.email.lower() != invitation.email.lower():
        raise PermissionDenied
    with transaction.atomic():
        used = NominatorInvitation.objects.filter(
            pk=invitation.pk, used_at__isnull=True, expires_at__gt=timezone.now()
        ).update(used_at=timezone.now())
        if used != 1:
            raise ValidationError(_("This link was already used or has expired."))
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                full_name=full_name,
                preferred_language=invitation.language,
            )
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        elif not signed_in:
            raise ValidationError(
                _("You already have an account with this address: sign in, then open the link.")
            )
        Nominator.objects.get_or_create(user=user, body=invitation.body, plan=invitation.plan)
    return user
