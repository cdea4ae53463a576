"""Host institutions, memberships (who coordinates for whom), invitations and partners abroad."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from localflavor.jp.jp_prefectures import JP_PREFECTURE_CODES

from programs.models import BilingualName

PREFECTURE_NAMES = dict(JP_PREFECTURE_CODES)


class Institution(BilingualName, models.Model):
    """A legal entity in Japan that hosts invitees. Individuals cannot apply (guidelines)."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        KOSEN = "kosen", _("College of technology (KOSEN)")
        HIGH_SCHOOL = "high_school", _("High school")
        RESEARCH_AGENCY = "research_agency", _("National research and development agency")
        ADMINISTRATIVE = "administrative", _("Independent administrative institution")
        COMPANY = "company", _("Company")
        LOCAL_GOVERNMENT = "local_government", _("Local government")
        ASSOCIATION = "association", _("Incorporated association or foundation")
        AGENCY = "agency", _("The agency itself (direct invitations)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    prefecture = models.CharField(
        _("prefecture"), max_length=2, choices=JP_PREFECTURE_CODES, db_index=True
    )
    postal_code = models.CharField(_("postal code"), max_length=8, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="institutions",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("host institution")
        verbose_name_plural = _("host institutions")
        ordering = ["name_en"]

    def __str__(self):
        return self.name

    @property
    def prefecture_name(self):
        """As get_prefecture_display(), without rebuilding the choices at every call."""
        return PREFECTURE_NAMES.get(self.prefecture, self.prefecture)

    @property
    def is_company(self):
        return self.kind == self.Kind.COMPANY


class Membership(models.Model):
    """A person who coordinates plans for an institution; administrators also manage members."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        ADMINISTRATOR = "administrator", _("Administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("institution"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["institution", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "institution"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.institution}"


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class MembershipInvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True).filter(
            expires_at__gt=timezone.now()
        )


class MembershipInvitation(models.Model):
    """An emailed, single-use link that lets a colleague join an institution.

    Only a hash of the token is stored, so a database dump cannot be used to join.
    """

    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("institution"),
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"), max_length=20, choices=Membership.Role, default=Membership.Role.MEMBER
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = MembershipInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership invitation")
        verbose_name_plural = _("membership invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.institution}"

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)

    @property
    def is_usable(self):
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class PartnerInstitution(models.Model):
    """An institution abroad that sends invitees; registered by the host that works with it."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        HIGH_SCHOOL = "high_school", _("High school")
        RESEARCH_INSTITUTE = "research_institute", _("Research institute")
        GOVERNMENT = "government", _("Government body")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other")

    host = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="partners",
        verbose_name=_("host institution"),
    )
    name = models.CharField(_("name (English)"), max_length=200)
    name_local = models.CharField(_("name in the local language"), max_length=200, blank=True)
    country = CountryField(_("country or region"), db_index=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)

    class Meta:
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["host", "name", "country"], name="unique_partner_per_host"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.country.name})"
