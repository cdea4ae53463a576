"""Programs, courses and calls. Every number of the guidelines lives in a row staff can change."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


def fiscal_year_of(day):
    """Japan's fiscal year (April to March), by the year in which it starts."""
    return day.year if day.month >= 4 else day.year - 1


class BilingualName:
    """`name` in the active language, falling back to English."""

    @property
    def name(self):
        if get_language() == "ja" and self.name_ja:
            return self.name_ja
        return self.name_en

    def __str__(self):
        return self.name


class ParticipantCategory(models.TextChoices):
    HIGH_SCHOOL = "high_school", _("High-school or technical-college student")
    UNDERGRADUATE = "undergraduate", _("Undergraduate student")
    GRADUATE = "graduate", _("Graduate student")
    POSTDOC = "postdoc", _("Postdoctoral fellow")
    RESEARCHER = "researcher", _("Researcher or faculty member")
    TEACHER = "teacher", _("Teacher")
    ESCORT = "escort", _("Escort (supervisor)")


class FieldOfScience(models.TextChoices):
    """Fields of the plans (and, later, of the reviewers' expertise). Humanities included."""

    MATHEMATICS = "mathematics", _("Mathematics and information science")
    PHYSICS = "physics", _("Physics and astronomy")
    CHEMISTRY = "chemistry", _("Chemistry")
    BIOLOGY = "biology", _("Biology and life sciences")
    MEDICINE = "medicine", _("Medicine, dentistry and pharmacy")
    AGRICULTURE = "agriculture", _("Agriculture, fisheries and food")
    EARTH = "earth", _("Earth and environmental sciences")
    ENGINEERING = "engineering", _("Engineering")
    MATERIALS = "materials", _("Materials science")
    ENERGY = "energy", _("Energy")
    INFORMATICS = "informatics", _("Informatics and AI")
    DISASTER = "disaster", _("Disaster prevention")
    HUMANITIES = "humanities", _("Humanities and social sciences")
    INTERDISCIPLINARY = "interdisciplinary", _("Interdisciplinary")


class AttachmentKind(models.TextChoices):
    PARTNER_CONSENT = "partner_consent", _("Letter of consent from the partner institution")
    SCHEDULE = "schedule", _("Detailed programme schedule")
    ESTIMATE = "estimate", _("Quotation for airfare or accommodation")
    OTHER = "other", _("Other document")


class BudgetCategory(models.TextChoices):
    AIRFARE = "airfare", _("International airfare")
    ACCOMMODATION = "accommodation", _("Accommodation")
    PER_DIEM = "per_diem", _("Per diem")
    DOMESTIC_TRAVEL = "domestic_travel", _("Domestic travel")
    INSURANCE = "insurance", _("Insurance")
    OTHER = "other", _("Other")


class Program(BilingualName, models.Model):
    code = models.SlugField(
        _("code"), max_length=10, unique=True, help_text=_("Used in plan reference numbers.")
    )
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    eligible_countries = CountryField(
        _("eligible countries and regions"),
        multiple=True,
        blank=True,
        help_text=_("Leave empty when every country and region is eligible."),
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("report due (days after departure)"), default=30
    )
    agency_hosted = models.BooleanField(
        _("the agency hosts these plans itself (direct invitations)"),
        default=False,
        help_text=_(
            "Not open for applications: staff make the plans, which skip submission and review."
        ),
    )

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["code"]


class Course(BilingualName, models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="courses", verbose_name=_("program")
    )
    code = models.CharField(_("code"), max_length=10)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    max_days = models.PositiveSmallIntegerField(
        _("maximum days of stay"), help_text=_("Arrival and departure days included.")
    )
    min_invitees = models.PositiveSmallIntegerField(_("minimum invitees per plan"), default=1)
    max_invitees = models.PositiveSmallIntegerField(
        _("maximum invitees per plan"), help_text=_("Escorts (supervisors) included.")
    )
    max_invitees_per_institution = models.PositiveSmallIntegerField(
        _("maximum invitees per sending institution"),
        null=True,
        blank=True,
        help_text=_("Empty for no limit per sending institution."),
    )
    escorts_counted = models.BooleanField(
        _("escorts (supervisors) count towards the invitee limits"), default=True
    )
    eligible_categories = models.JSONField(
        _("eligible participant categories"), default=list, blank=True
    )
    age_limit = models.PositiveSmallIntegerField(
        _("age limit"),
        null=True,
        blank=True,
        help_text=_("Invitees must be younger than this on arrival. Empty for no limit."),
    )
    per_person_cap_jpy = models.PositiveIntegerField(
        _("cost cap per person (JPY)"), null=True, blank=True
    )
    per_plan_cap_jpy = models.PositiveIntegerField(
        _("cost cap per plan (JPY)"), null=True, blank=True
    )
    eligible_countries = CountryField(
        _("eligible countries and regions"),
        multiple=True,
        blank=True,
        help_text=_("Only where the course is narrower than its program (e.g. course D)."),
    )
    line_caps_jpy = models.JSONField(
        _("maximum unit cost per budget category (JPY)"),
        default=dict,
        blank=True,
        help_text=_('For example {"accommodation": 15000, "per_diem": 5000}.'),
    )
    required_attachments = models.JSONField(_("required attachments"), default=list, blank=True)
    company_airfare_only = models.BooleanField(
        _("a company host is funded for international airfare only"),
        default=False,
        help_text=_("When a company hosts, the host bears every other cost."),
    )
    first_stay_required = models.BooleanField(
        _("the stay must be the invitee's first stay in Japan"), default=True
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["program__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="unique_course_code"),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def clean(self):
        if self.max_invitees is not None and self.min_invitees > self.max_invitees:
            raise ValidationError(
                {"min_invitees": _("The minimum cannot be larger than the maximum.")}
            )
        unknown = set(self.eligible_categories or []) - set(ParticipantCategory.values)
        if unknown:
            raise ValidationError({"eligible_categories": _("Unknown participant category.")})
        caps = self.line_caps_jpy or {}
        if not isinstance(caps, dict) or any(
            key not in BudgetCategory.values or not isinstance(value, int) or value < 0
            for key, value in caps.items()
        ):
            raise ValidationError({"line_caps_jpy": _("Give whole yen per known budget category.")})

    def get_eligible_category_labels(self):
        labels = dict(ParticipantCategory.choices)
        return [labels[value] for value in self.eligible_categories if value in labels]

    def get_eligible_countries(self):
        """The course's own list when it has one, else its program's (empty: all)."""
        return self.eligible_countries or self.program.eligible_countries


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(status=Call.Status.DRAFT)

    def open_at(self, moment):
        return self.filter(status=Call.Status.PUBLISHED, opens_at__lte=moment, closes_at__gt=moment)


class Call(models.Model):
    """A call for invitation plans: one deadline of one program in one fiscal year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (not visible)")
        PUBLISHED = "published", _("Published")
        REVIEWING = "reviewing", _("In review")
        DECIDED = "decided", _("Decisions released")
        ARCHIVED = "archived", _("Archived")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="calls", verbose_name=_("program")
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), help_text=_("The year in which the fiscal year (April–March) starts.")
    )
    round = models.PositiveSmallIntegerField(_("round"))
    courses = models.ManyToManyField(
        Course, related_name="calls", verbose_name=_("courses"), blank=True
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    exchange_starts_on = models.DateField(_("exchanges may start on"))
    exchange_ends_on = models.DateField(_("exchanges must end by"))
    budget_jpy = models.PositiveBigIntegerField(_("budget (JPY)"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-fiscal_year", "-round", "program__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "fiscal_year", "round"], name="unique_call_round"
            ),
        ]
        indexes = [models.Index(fields=["status", "closes_at"], name="call_status_closes")]

    def __str__(self):
        return _("%(program)s FY%(year)s round %(round)s") % {
            "program": self.program,
            "year": self.fiscal_year,
            "round": self.round,
        }

    @property
    def reference_prefix(self):
        """The start of every plan reference in this call, e.g. SSP-2026-1."""
        return f"{self.program.code.upper()}-{self.fiscal_year}-{self.round}"

    def is_open(self, moment=None):
        moment = moment or timezone.now()
        return self.status == self.Status.PUBLISHED and self.opens_at <= moment < self.closes_at

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("A call must close after it opens.")
        if (
            self.exchange_starts_on
            and self.exchange_ends_on
            and self.exchange_ends_on < self.exchange_starts_on
        ):
            errors["exchange_ends_on"] = _("The exchange window must end after it starts.")
        if errors:
            raise ValidationError(errors)


class RuleSet(models.Model):
    """A course's rules for one fiscal year, with the guideline they come from.

    Read through `programs.domain.rules.rules_for(call, course)` only. A fiscal year without a
    rule set of its own keeps the last earlier one; a course without any keeps the values on
    the Course row. Saved through `programs.domain.rules.save_rule_set()`, which raises
    `version` and writes a `RuleChange`.
    """

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="rule_sets", verbose_name=_("course")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    version = models.PositiveIntegerField(_("version"), default=1)
    max_days = models.PositiveSmallIntegerField(
        _("maximum days of stay"), help_text=_("Arrival and departure days included.")
    )
    min_invitees = models.PositiveSmallIntegerField(_("minimum invitees per plan"), default=1)
    max_invitees = models.PositiveSmallIntegerField(
        _("maximum invitees per plan"), help_text=_("Escorts (supervisors) included.")
    )
    max_invitees_per_institution = models.PositiveSmallIntegerField(
        _("maximum invitees per sending institution"),
        null=True,
        blank=True,
        help_text=_("Empty for no limit per sending institution."),
    )
    escorts_counted = models.BooleanField(
        _("escorts (supervisors) count towards the invitee limits"), default=True
    )
    eligible_categories = models.JSONField(
        _("eligible participant categories"), default=list, blank=True
    )
    age_limit = models.PositiveSmallIntegerField(
        _("age limit"),
        null=True,
        blank=True,
        help_text=_("Invitees must be younger than this on arrival. Empty for no limit."),
    )
    first_stay_required = models.BooleanField(
        _("the stay must be the invitee's first stay in Japan"), default=True
    )
    company_airfare_only = models.BooleanField(
        _("a company host is funded for international airfare only"), default=False
    )
    required_attachments = models.JSONField(_("required attachments"), default=list, blank=True)
    line_caps_jpy = models.JSONField(
        _("maximum unit cost per budget category (JPY)"), default=dict, blank=True
    )
    per_person_cap_jpy = models.PositiveIntegerField(
        _("cost cap per person (JPY)"), null=True, blank=True
    )
    per_plan_cap_jpy = models.PositiveIntegerField(
        _("cost cap per plan (JPY)"), null=True, blank=True
    )
    declarations = models.JSONField(
        _("required declarations"),
        default=list,
        blank=True,
        help_text=_("What the host must declare before submission: code, English, Japanese."),
    )
    uses_activities = models.BooleanField(
        _("plans are made of activities within the fiscal year (course D)"),
        default=False,
        help_text=_("Invitations to Japan, dispatches abroad and online sessions."),
    )
    activity_limits = models.JSONField(
        _("limits per kind of activity"),
        default=dict,
        blank=True,
        help_text=_(
            'Per kind: {"invitation": {"max_people": 10, "max_days": 14, "max_jpy": 3000000}, '
            '"dispatch": {…}, "online": {"max_people": 100}}.'
        ),
    )
    source_ja = models.CharField(_("source (Japanese)"), max_length=200, blank=True)
    source_en = models.CharField(_("source (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["course__program__code", "course__code", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["course", "fiscal_year"], name="unique_rule_set"),
        ]

    def __str__(self):
        return _("Course %(course)s, FY%(year)s (version %(version)s)") % {
            "course": self.course.code,
            "year": self.fiscal_year,
            "version": self.version,
        }

    @property
    def source(self):
        if get_language() == "ja" and self.source_ja:
            return self.source_ja
        return self.source_en


class CountryRule(models.Model):
    """What the guidelines of one fiscal year ask for invitees from one country or region."""

    country = CountryField(_("country or region"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    version = models.PositiveIntegerField(_("version"), default=1)
    airfare_cap_jpy = models.PositiveIntegerField(
        _("airfare cap per person (JPY)"),
        null=True,
        blank=True,
        help_text=_("International airfare (return) per invitee departing from this country."),
    )
    registration_receipt_required = models.BooleanField(
        _("the sending institution's registration receipt number is required"),
        default=False,
        help_text=_(
            "For example China: the sending institution registers with its government each "
            "round and the host enters the receipt number."
        ),
    )
    source_ja = models.CharField(_("source (Japanese)"), max_length=200, blank=True)
    source_en = models.CharField(_("source (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("country rule")
        verbose_name_plural = _("country rules")
        ordering = ["-fiscal_year", "country"]
        constraints = [
            models.UniqueConstraint(fields=["country", "fiscal_year"], name="unique_country_rule"),
        ]

    def __str__(self):
        return f"{self.country.name} FY{self.fiscal_year}"

    @property
    def source(self):
        if get_language() == "ja" and self.source_ja:
            return self.source_ja
        return self.source_en


class RuleChange(models.Model):
    """Who changed a rule set or a country rule, when, and from what to what."""

    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    country_rule = models.ForeignKey(
        CountryRule, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    version = models.PositiveIntegerField(_("version"))
    changed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changes = models.JSONField(
        _("changes"), default=dict, help_text=_("{field: [old value, new value]}")
    )

    class Meta:
        verbose_name = _("rule change")
        verbose_name_plural = _("rule changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.rule_set or self.country_rule} v{self.version}"
