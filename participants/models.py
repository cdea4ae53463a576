"""Participants of approved plans, their invitations, calendar feeds and an audit of access."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.choices import label_of
from institutions.models import hash_token
from programs.models import ParticipantCategory

from .crypto import decrypt, encrypt
from .validators import NAME_VALIDATORS, TEXT_VALIDATORS


class Direction(models.TextChoices):
    INVITED = "invited", _("Invited to Japan")
    DISPATCHED = "dispatched", _("Dispatched abroad from Japan")


class Participant(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other or not stated")

    Direction = Direction

    plan = models.ForeignKey(
        "applications.InvitationPlan", on_delete=models.PROTECT, related_name="participants"
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
    gender = models.CharField(_("gender"), max_length=10, choices=Gender)
    nationality = CountryField(_("nationality"), db_index=True)
    direction = models.CharField(
        _("direction"), max_length=12, choices=Direction, default=Direction.INVITED, db_index=True
    )
    activity = models.ForeignKey(
        "applications.Activity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("activity"),
        help_text=_("In a plan made of activities (course D), the one the person takes part in."),
    )
    # What travelling abroad needs (dispatched participants only).
    passport_valid_until = models.DateField(_("passport valid until"), null=True, blank=True)
    emergency_contact_name = models.CharField(
        _("emergency contact in Japan"), max_length=200, blank=True, validators=TEXT_VALIDATORS
    )
    emergency_contact_phone = models.CharField(
        _("emergency contact's phone"), max_length=40, blank=True, validators=TEXT_VALIDATORS
    )
    travel_insurance = models.CharField(
        _("travel insurance (insurer and policy number)"),
        max_length=200,
        blank=True,
        validators=TEXT_VALIDATORS,
    )
    travel_registration_done = models.BooleanField(
        _("registered with the Foreign Ministry's travel registration (Tabireg)"),
        null=True,
        blank=True,
    )
    home_institution = models.ForeignKey(
        "institutions.PartnerInstitution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("home institution"),
    )
    category = models.CharField(_("category"), max_length=20, choices=ParticipantCategory)
    email = models.EmailField(_("email address"))
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=TEXT_VALIDATORS)
    passport_number_encrypted = models.TextField(editable=False, blank=True)
    first_stay_in_japan = models.BooleanField(
        _("first stay in Japan"),
        null=True,
        blank=True,
        help_text=_(
            "In principle the stay must be the invitee's first in Japan (not in course D)."
        ),
    )
    dietary_needs = models.CharField(
        _("dietary needs"), max_length=300, blank=True, validators=TEXT_VALIDATORS
    )
    accessibility_needs = models.CharField(
        _("accessibility needs"), max_length=300, blank=True, validators=TEXT_VALIDATORS
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
    )
    letters_issued_at = models.DateTimeField(_("letters issued at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    alumnus = models.ForeignKey(
        "Alumnus", null=True, blank=True, on_delete=models.SET_NULL, related_name="participations"
    )
    anonymised_at = models.DateTimeField(
        _("anonymised at"),
        null=True,
        blank=True,
        help_text=_("When the retention period ended and the personal data was removed."),
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["plan", "family_name", "given_name"]
        indexes = [
            models.Index(
                fields=["family_name", "given_name", "date_of_birth"], name="participant_identity"
            ),
        ]

    def __str__(self):
        return self.passport_name

    def get_category_display(self):
        return label_of(ParticipantCategory, self.category)

    def get_gender_display(self):
        return label_of(self.Gender, self.gender)

    @property
    def passport_name(self):
        if self.anonymised_at:
            return str(_("(anonymised)"))
        return f"{self.family_name.upper()} {self.given_name}".strip()

    @property
    def passport_number(self):
        return decrypt(self.passport_number_encrypted)

    @passport_number.setter
    def passport_number(self, value):
        self.passport_number_encrypted = encrypt(value or "")

    @property
    def masked_passport_number(self):
        number = self.passport_number
        return f"••••{number[-3:]}" if len(number) > 3 else ("•" * len(number))

    @property
    def is_dispatched(self):
        """A Japanese student or researcher of the host sent abroad (course D): a dispatch
        certificate instead of an acceptance letter."""
        return self.direction == Direction.DISPATCHED

    @property
    def is_editable(self):
        """Hosts may edit freely until letters are issued; later changes are recorded."""
        return self.letters_issued_at is None


class ParticipantChange(models.Model):
    """A change made to a participant after their letters were issued."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=50)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]

    def __str__(self):
        return f"{self.participant_id} {self.field}"


class ParticipantInvitation(models.Model):
    """A single-use emailed link by which a participant sets a password and signs in."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # The address the link was sent to: only an account for it may be made with the link.
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=2, default="en")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.participant_id} {self.created_at:%Y-%m-%d}"

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)

    @classmethod
    def find(cls, token):
        invitation = (
            cls.objects.select_related("participant__plan")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if invitation is None or invitation.used_at or invitation.expires_at <= timezone.now():
            return None
        return invitation


class CalendarFeed(models.Model):
    """A secret, revocable address from which a calendar app subscribes to a person's events."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user_id} feed"


class PersonalDataAccess(models.Model):
    """Audit log: who exported or viewed which personal data, when."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=50)
    what = models.CharField(max_length=300)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action}"


class SurveyAnswer(models.Model):
    """A participant's answer to the questionnaire after the stay: one per participant."""

    class WouldStudy(models.TextChoices):
        YES = "yes", _("Yes")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("No")

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        JAPANESE = "ja", "日本語"

    SCALES = ("satisfaction_overall", "satisfaction_program", "satisfaction_host")

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="survey_answer"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    satisfaction_overall = models.PositiveSmallIntegerField(
        _("overall satisfaction"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfaction_program = models.PositiveSmallIntegerField(
        _("satisfaction with the program"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    satisfaction_host = models.PositiveSmallIntegerField(
        _("satisfaction with the host"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    would_study_in_japan = models.CharField(
        _("would study in Japan"), max_length=5, choices=WouldStudy
    )
    would_recommend = models.BooleanField(_("would recommend the program"))
    free_text = models.TextField(_("comments"), blank=True)
    language = models.CharField(_("language used"), max_length=2, choices=Language)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    satisfaction_overall__range=(1, 5),
                    satisfaction_program__range=(1, 5),
                    satisfaction_host__range=(1, 5),
                ),
                name="survey_scales_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.participant_id} survey"


class Alumnus(models.Model):
    """One person across every plan that invited them: their participations are their history."""

    family_name = models.CharField(_("family name (as in passport)"), max_length=100)
    given_name = models.CharField(_("given name(s) (as in passport)"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    nationality = CountryField(_("nationality"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("alumnus")
        verbose_name_plural = _("alumni")
        ordering = ["family_name", "given_name", "date_of_birth", "pk"]
        indexes = [
            models.Index(fields=["date_of_birth", "nationality"], name="alumnus_birth_nationality"),
        ]

    def __str__(self):
        return f"{self.family_name.upper()} {self.given_name}".strip()
