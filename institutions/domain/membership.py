"""Joining an institution: invitations by an administrator, and accepting them.

Nobody joins an institution on their own: the only way in is a single-use link that an
institution administrator (or agency staff) sends to one email address.
"""

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
from notifications import links
from notifications.models import Notification
from notifications.services import queue_message

from ..models import Membership, MembershipInvitation, hash_token

INVITATION_LIFETIME = timedelta(days=7)


def invite_member(institution, email, role, *, by, language="en"):
    """Create an invitation and email its link to `email`.

    Side effects: revokes earlier pending invitations of the same address to the same
    institution; queues the email in the outbox, its link masked: the token is made when the
    mail is sent (`new_link_token`), so nobody reading the outbox can join. Returns the
    invitation.
    """
    if not by.has_perm("institutions.manage_members", institution):
        raise PermissionDenied
    email = email.strip().lower()
    if Membership.objects.filter(institution=institution, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("%(email)s is already a member of this institution.") % {"email": email}}
        )
    now = timezone.now()
    with transaction.atomic():
        MembershipInvitation.objects.pending().filter(
            institution=institution, email__iexact=email
        ).update(revoked_at=now)
        invitation = MembershipInvitation.objects.create(
            institution=institution,
            email=email,
            role=role,
            # Replaced when the mail is sent; this token is never shown to anyone.
            token_hash=hash_token(MembershipInvitation.new_token()),
            invited_by=by,
            created_at=now,
            expires_at=now + INVITATION_LIFETIME,
        )
        link = settings.SITE_URL + reverse("accept_invitation", args=[links.MASK])
        with translation.override(language):
            subject = _("Invitation to coordinate for %(institution)s") % {
                "institution": invitation.institution.name
            }
            body = render_to_string(
                "institutions/email/invitation.txt", {"invitation": invitation, "link": link}
            )
        queue_message(
            to_email=invitation.email,
            kind=Notification.Kind.MEMBERSHIP_INVITATION,
            subject=subject,
            body=body,
            language=language,
            link_for=invitation.pk,
        )
    return invitation


def new_link_token(invitation_id):
    """A fresh token for the invitation's link, made as its email is sent (registered with
    the outbox in InstitutionsConfig.ready). Side effect: the token of any earlier email of
    this invitation stops working."""
    token = MembershipInvitation.new_token()
    MembershipInvitation.objects.filter(pk=invitation_id).update(token_hash=hash_token(token))
    return token


def find_invitation(token):
    """The usable invitation behind a token, or None (unknown, used, revoked or expired)."""
    invitation = (
        MembershipInvitation.objects.select_related("institution")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


def accept_invitation(invitation, *, user):
    """Make `user` a member. The invitation is used up; the email counts as verified.

    Side effects: creates the Membership, marks the invitation accepted and the user's
    email address verified (the link proves they own it), in one transaction.
    """
    if user.email.lower() != invitation.email.lower():
        raise PermissionDenied(_("This invitation was sent to another email address."))
    with transaction.atomic():
        updated = MembershipInvitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(accepted_at=timezone.now())
        if updated != 1:
            raise ValidationError(_("This invitation has already been used."))
        membership, _created = Membership.objects.get_or_create(
            user=user, institution=invitation.institution, defaults={"role": invitation.role}
        )
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    return membership


def create_invited_user(invitation, *, full_name, password, preferred_language):
    """A new account for someone who had none, made from their invitation."""
    with transaction.atomic():
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            full_name=full_name,
            preferred_language=preferred_language,
        )
        accept_invitation(invitation, user=user)
    return user


def change_role(membership, role, *, by):
    if not by.has_perm("institutions.manage_members", membership.institution):
        raise PermissionDenied
    if membership.user_id == by.pk and role != Membership.Role.ADMINISTRATOR:
        raise ValidationError(_("You cannot remove your own administrator role."))
    membership.role = role
    membership.save(update_fields=["role"])


def remove_member(membership, *, by):
    if not by.has_perm("institutions.manage_members", membership.institution):
        raise PermissionDenied
    if membership.user_id == by.pk:
        raise ValidationError(_("You cannot remove yourself."))
    membership.delete()
