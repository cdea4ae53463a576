"""The agency's direct invitations: bodies abroad that nominate candidates for an agency-hosted
plan, the contacts they send, their nominations, and staff's selection among them."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from institutions.models import hash_token
from participants.models import Participant
from participants.validators import NAME_VALIDATORS, TEXT_VALIDATORS
from programs.models import BilingualName, ParticipantCategory


class NominatingBody(BilingualName, models.Model):
    """A partner government's body abroad that proposes candidates (JST Direct Invitation
    Program: participants are selected together with such bodies)."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Government agency")
        UNIVERSITY_COUNCIL = "university_council", _("University council")
        OTHER = "other", _("Other body")

    name_en = models.CharField(_("name (English)"), max_length=200, validators=TEXT_VALIDATORS)
    name_ja = models.CharField(
        _("name (Japanese)"), max_length=200, blank=True, validators=TEXT_VALIDATORS
    )
    country = CountryField(_("country"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MINISTRY)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("nominating body")
        verbose_name_plural = _("nominating bodies")
        ordering = ["name_en"]

    def __str__(self):
        return self.name


class NominationRound(models.Model):
    """Nominations for one agency-hosted plan: open until staff close them."""

    plan = models.OneToOneField(
        "applications.InvitationPlan",
        on_delete=models.CASCADE,
        related_name="nomination_round",
        verbose_name=_("plan"),
    )
    closed_at = models.DateTimeField(_("nominations closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("nomination round")
        verbose_name_plural = _("nomination rounds")

    def __str__(self):
        return f"{self.plan_id}"

    @property
    def is_open(self):
        return self.closed_at is None


class NominatorInvitation(models.Model):
    """An emailed, single-use link for a contact at a nominating body. Only a hash of the
    token is stored; the token is made when the mail is sent (notifications.links)."""

    body = models.ForeignKey(
        NominatingBody, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("body")
    )
    plan = models.ForeignKey(
        "applications.InvitationPlan",
        on_delete=models.CASCADE,
        related_name="nominator_invitations",
        verbose_name=_("plan"),
    )
    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=2, default="en")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("nominator invitation")
        verbose_name_plural = _("nominator invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.body}"

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)

    @classmethod
    def find(cls, token):
        """The usable invitation with this token, or None (unknown, used or expired)."""
        invitation = (
            cls.objects.select_related("body", "plan").filter(token_hash=hash_token(token)).first()
        )
        if invitation is None or invitation.used_at or invitation.expires_at <= timezone.now():
            return None
        return invitation


class Nominator(models.Model):
    """A contact who accepted an invitation: may nominate for this body and this plan only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nominator_roles"
    )
    body = models.ForeignKey(NominatingBody, on_delete=models.CASCADE, related_name="nominators")
    plan = models.ForeignKey(
        "applications.InvitationPlan", on_delete=models.CASCADE, related_name="nominators"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("nominator")
        verbose_name_plural = _("nominators")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "body", "plan"], name="unique_nominator_per_body_plan"
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.body})"


class Nomination(models.Model):
    """A candidate a body proposes for the plan; staff select among them."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    Gender = Participant.Gender

    plan = models.ForeignKey(
        "applications.InvitationPlan", on_delete=models.CASCADE, related_name="nominations"
    )
    body = models.ForeignKey(
        NominatingBody, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("body")
    )
    nominator = models.ForeignKey(
        Nominator, on_delete=models.PROTECT, related_name="nominations", null=True, blank=True
    )
    family_name = models.CharField(
        _("family name (as in passport)"), max_length=100, validators=NAME_VALIDATORS
    )
    given_name = models.CharField(
        _("given name(s) (as in passport)"),
        max_length=100,
        blank=True,
        validators=NAME_VALIDATORS,
    )
    native_name = models.CharField(
        _("name in native script"), max_length=200, blank=True, validators=NAME_VALIDATORS
    )
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=10, choices=Participant.Gender)
    nationality = CountryField(_("nationality"))
    category = models.CharField(_("category"), max_length=20, choices=ParticipantCategory)
    email = models.EmailField(_("email address"))
    home_institution_name = models.CharField(
        _("home institution"), max_length=200, blank=True, validators=TEXT_VALIDATORS
    )
    motivation = models.TextField(
        _("why this candidate"), max_length=2000, blank=True, validators=TEXT_VALIDATORS
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.NOMINATED, db_index=True
    )
    participant = models.OneToOneField(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nomination",
        verbose_name=_("participant"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["body__name_en", "family_name", "pk"]
        indexes = [models.Index(fields=["plan", "status"], name="nomination_plan_status")]

    def __str__(self):
        return self.passport_name

    @property
    def passport_name(self):
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def is_editable(self):
        """The nominator may change or withdraw it until staff decide on it."""
        return self.status == self.Status.NOMINATED
