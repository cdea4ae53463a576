"""Export-control screening (安全保障輸出管理): the End User List, matches, the host's answers."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EndUserList(models.Model):
    """One upload of METI's End User List (外国ユーザーリスト); the newest one is in force."""

    version = models.CharField(_("version"), max_length=100)
    published_on = models.DateField(_("date of the list"))
    original_name = models.CharField(_("file"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("End User List")
        verbose_name_plural = _("End User Lists")
        ordering = ["-published_on", "-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.version} ({self.published_on:%Y-%m-%d})"


class ListedEntity(models.Model):
    """An entity on a list: its name, other names, country and the types of concern."""

    source_list = models.ForeignKey(
        EndUserList, on_delete=models.CASCADE, related_name="entities", verbose_name=_("list")
    )
    row = models.PositiveIntegerField(_("row"))
    name = models.CharField(_("entity name"), max_length=300)
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    country = models.CharField(_("country or region"), max_length=100)
    concerns = models.CharField(_("types of concern"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("listed entity")
        verbose_name_plural = _("listed entities")
        ordering = ["source_list", "row"]

    def __str__(self):
        return f"{self.name} ({self.country})"


class ScreeningMatch(models.Model):
    """A partner institution (also a participant's home institution) whose name is close to a
    listed entity's, with the score; it stops approval until staff record a resolution."""

    partner = models.ForeignKey(
        "institutions.PartnerInstitution",
        on_delete=models.CASCADE,
        related_name="screening_matches",
        verbose_name=_("partner institution"),
    )
    entity = models.ForeignKey(
        ListedEntity,
        on_delete=models.CASCADE,
        related_name="matches",
        verbose_name=_("listed entity"),
    )
    score = models.PositiveSmallIntegerField(_("score"))
    matched_name = models.CharField(_("name on the list that matched"), max_length=300)
    found_at = models.DateTimeField(_("found at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("screening match")
        verbose_name_plural = _("screening matches")
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "entity"], name="unique_match_per_entity"),
        ]

    def __str__(self):
        return f"{self.partner_id} ~ {self.entity_id} ({self.score})"

    @property
    def is_resolved(self):
        return self.resolved_at is not None


class SecurityFormRequirement(models.Model):
    """Whether a course asks for the security export-control forms (course D does): data that
    staff keep in the admin, read through `precheck.security_forms_required()`."""

    course = models.OneToOneField(
        "programs.Course",
        on_delete=models.CASCADE,
        related_name="security_form_requirement",
        verbose_name=_("course"),
    )
    required = models.BooleanField(_("security forms required"), default=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("security form requirement")
        verbose_name_plural = _("security form requirements")

    def __str__(self):
        return str(self.course)


class Yes(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class Exemption(models.TextChoices):
    NONE = "none", _("No exemption: the technology is listed")
    BASIC_SCIENCE = "basic_science", _("Basic scientific research")
    PUBLIC = "public", _("Publicly available knowledge")


class ScreeningAnswers(models.Model):
    """The host's answers to the pre-check questions of a plan (one row per plan)."""

    plan = models.OneToOneField(
        "applications.InvitationPlan",
        on_delete=models.CASCADE,
        related_name="screening",
        verbose_name=_("plan"),
    )
    tied_to_listed_entity = models.CharField(
        _("Is any partner institution or invitee tied to an entity on the End User List?"),
        max_length=3,
        choices=Yes,
        blank=True,
    )
    listed_technology = models.CharField(
        _("Will technology listed under the export control regulations be provided?"),
        max_length=3,
        choices=Yes,
        blank=True,
    )
    exemption = models.CharField(
        _("If so, which exemption applies?"), max_length=20, choices=Exemption, blank=True
    )
    specific_category = models.CharField(
        _(
            "Is any invitee in the “specific category” (under strong influence of a foreign "
            "government, e.g. employed or funded by it)?"
        ),
        max_length=3,
        choices=Yes,
        blank=True,
    )
    explanation = models.TextField(_("Explanation"), blank=True, max_length=4000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("screening answers")
        verbose_name_plural = _("screening answers")

    def __str__(self):
        return f"screening of plan {self.plan_id}"


class SecurityForm(models.Model):
    """A security export-control form (PDF) from the host or from one partner institution."""

    plan = models.ForeignKey(
        "applications.InvitationPlan",
        on_delete=models.CASCADE,
        related_name="security_forms",
        verbose_name=_("plan"),
    )
    partner = models.ForeignKey(
        "institutions.PartnerInstitution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner institution"),
        help_text=_("Empty for the host's own form."),
    )
    file = models.FileField(upload_to="security_forms/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("security form")
        verbose_name_plural = _("security forms")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class ScreeningAccess(models.Model):
    """Audit log: who saw which matches, when (every page that shows a match writes one)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    what = models.CharField(max_length=300)
    matches = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("screening access")
        verbose_name_plural = _("screening accesses")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.what}"
