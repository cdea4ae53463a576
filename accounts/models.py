"""The portal's user: signs in with an email address, has a full name and a language."""

import rules
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
    _user_has_perm,
)
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    JAPANESE = "ja", _("Japanese")
    ENGLISH = "en", _("English")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Roles come from flags here and from institution memberships.

    - program officer (agency staff): ``is_staff``
    - admin (operator): ``is_superuser``
    - reviewer (expert assigned by the agency): ``is_reviewer``
    - coordinator: a ``institutions.Membership`` of a host institution
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(
        _("full name"), max_length=200, help_text=_("As you would like it on letters.")
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language, default=Language.ENGLISH
    )
    is_reviewer = models.BooleanField(
        _("reviewer"), default=False, help_text=_("An expert who reviews invitation plans.")
    )
    is_staff = models.BooleanField(
        _("program officer"),
        default=False,
        help_text=_("Agency staff: manages calls and reviews, may use the admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    muted_notifications = models.JSONField(
        _("notifications switched off"), default=list, blank=True
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name or self.email

    def has_perm(self, perm, obj=None):
        """The portal's permissions answer a superuser exactly as anyone else with their roles.

        Django's `PermissionsMixin.has_perm` answers True to an active superuser before it asks
        any backend, so an operator could edit and submit a host's draft; operators administer,
        they do not act as hosts (DESIGN.md, "People and roles"). A permission declared in an
        app's rules.py is answered by its rules alone; any other (Django's model permissions,
        which the admin site asks for) by the authentication backends, where `ModelBackend`
        still gives a superuser every model permission, so the admin works for operators.
        """
        if rules.perm_exists(perm):
            return rules.has_perm(perm, self, obj)
        return _user_has_perm(self, perm, obj)

    @property
    def must_use_two_factor(self):
        """Agency staff and reviewers must sign in with a second factor (DESIGN.md)."""
        return self.is_staff or self.is_superuser or self.is_reviewer
