"""An invitation plan and what it is made of: invitees, itinerary, budget, attachments."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.choices import label_of
from programs.models import AttachmentKind, BudgetCategory, FieldOfScience, ParticipantCategory


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    REVISION_REQUESTED = "revision_requested", _("Revision requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WAITLISTED = "waitlisted", _("Waitlisted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REPORTED = "reported", _("Reported")
    CLOSED = "closed", _("Closed")

    # Named groups of states: every rule that asks "is the plan in one of these?" uses one of
    # these, in code and templates alike (``plan.state in states.going_ahead``).

    @classmethod
    def editable_states(cls):
        """The coordinator may change the plan only in these."""
        return [cls.DRAFT, cls.REVISION_REQUESTED]

    @classmethod
    def in_review(cls):
        """Submitted and not yet decided: reviewers score it, staff decide it."""
        return [cls.SUBMITTED, cls.UNDER_REVIEW]

    @classmethod
    def undecided(cls):
        """Being written or reviewed: no decision on it has been released (one is released
        with the move to its outcome)."""
        return [*cls.editable_states(), *cls.in_review()]

    @classmethod
    def going_ahead(cls):
        """Approved and not withdrawn: its approved money stays committed to the call."""
        return [cls.APPROVED, cls.IN_PROGRESS, cls.COMPLETED, cls.REPORTED, cls.CLOSED]

    @classmethod
    def registration_open(cls):
        """The host registers participants and letters are issued: approved, before the end."""
        return [cls.APPROVED, cls.IN_PROGRESS]

    @classmethod
    def stay_begun(cls):
        """The stay has begun (or is over): the report, the survey and the stay's figures."""
        return [cls.IN_PROGRESS, cls.COMPLETED, cls.REPORTED, cls.CLOSED]

    @classmethod
    def reporting(cls):
        """The implementation report is being written: it falls due in these."""
        return [cls.IN_PROGRESS, cls.COMPLETED]

    @classmethod
    def ranked(cls):
        """On the call's ranking: in review, decided, or going ahead."""
        return [*cls.in_review(), *cls.going_ahead(), cls.REJECTED, cls.WAITLISTED]

    @classmethod
    def ended(cls):
        """Nothing more happens to these."""
        return [cls.REJECTED, cls.WITHDRAWN, cls.CLOSED]

    @classmethod
    def active_states(cls):
        """Plans still in hand: everything but the rejected, withdrawn and closed ones."""
        return [state for state in cls if state not in cls.ended()]


class InvitationPlan(models.Model):
    call = models.ForeignKey(
        "programs.Call", on_delete=models.PROTECT, related_name="plans", verbose_name=_("call")
    )
    course = models.ForeignKey(
        "programs.Course", on_delete=models.PROTECT, related_name="plans", verbose_name=_("course")
    )
    host = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("host institution"),
    )
    number = models.PositiveIntegerField(_("number in the call"), editable=False)
    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_plans",
        verbose_name=_("lead coordinator"),
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="collaborating_plans",
        blank=True,
        verbose_name=_("collaborators"),
    )
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    field_of_science = models.CharField(
        _("field of science"), max_length=30, choices=FieldOfScience, blank=True
    )
    objectives = models.TextField(_("objectives"), blank=True)
    expected_outcomes = models.TextField(_("expected outcomes"), blank=True)
    arrival_on = models.DateField(_("arrival in Japan"), null=True, blank=True)
    departure_on = models.DateField(_("departure from Japan"), null=True, blank=True)
    partners = models.ManyToManyField(
        "institutions.PartnerInstitution",
        related_name="plans",
        blank=True,
        verbose_name=_("partner institutions"),
    )
    contact_name = models.CharField(_("contact person during the stay"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=PlanState, default=PlanState.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(
        _("edit version"), default=1, help_text=_("Raised by every saved edit.")
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation plan")
        verbose_name_plural = _("invitation plans")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="unique_plan_number_in_call"),
        ]
        indexes = [
            models.Index(fields=["call", "state"], name="plan_call_state"),
            models.Index(fields=["host", "state"], name="plan_host_state"),
            models.Index(fields=["call", "course"], name="plan_call_course"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_state_display(self):
        return label_of(PlanState, self.state)

    def get_field_of_science_display(self):
        return label_of(FieldOfScience, self.field_of_science)

    @cached_property
    def planned_kinds(self):
        """(country code, category) of each row of planned invitees, read once per object."""
        return {(str(row.country), row.category) for row in self.invitees.all()}

    @property
    def planned_people(self):
        """How many people the plan invites (escorts included), from its planned invitees:
        the submission check, the editor, and the places participants may take."""
        return sum(row.count for row in self.invitees.all())

    @property
    def title(self):
        from django.utils.translation import get_language

        if get_language() == "ja" and self.title_ja:
            return self.title_ja
        return self.title_en or self.title_ja or str(_("(untitled plan)"))

    @property
    def is_editable(self):
        return self.state in PlanState.editable_states()

    @property
    def is_in_review(self):
        return self.state in PlanState.in_review()

    @property
    def is_going_ahead(self):
        return self.state in PlanState.going_ahead()

    @property
    def registration_is_open(self):
        return self.state in PlanState.registration_open()

    @property
    def stay_has_begun(self):
        return self.state in PlanState.stay_begun()

    def missing_parts(self):
        """Sections still empty, from the figures `queries.with_completeness()` annotates.

        A quick hint for lists; the full rules are in `domain.checks.check_plan()`.
        """
        missing = []
        if not (self.title_ja and self.title_en and self.arrival_on and self.departure_on):
            missing.append(_("Basics"))
        if not (self.partner_count and self.invitee_total):
            missing.append(_("Partners and invitees"))
        if not self.itinerary_count:
            missing.append(_("Itinerary"))
        if not self.budget_count:
            missing.append(_("Budget"))
        if self.attachment_count < len(self.course.required_attachments or []):
            missing.append(_("Attachments"))
        return missing

    @property
    def stay_days(self):
        """Days in Japan, the arrival and departure days included."""
        if self.arrival_on and self.departure_on:
            return (self.departure_on - self.arrival_on).days + 1
        return None


class PlannedInvitees(models.Model):
    """How many people of one category from one country the plan invites (escorts included),
    and from which of the plan's partner institutions they come (empty: not said)."""

    plan = models.ForeignKey(InvitationPlan, on_delete=models.CASCADE, related_name="invitees")
    sending_institution = models.ForeignKey(
        "institutions.PartnerInstitution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sending institution"),
    )
    country = CountryField(_("country or region"), db_index=True)
    category = models.CharField(_("category"), max_length=20, choices=ParticipantCategory)
    count = models.PositiveSmallIntegerField(_("number of people"))

    class Meta:
        verbose_name = _("planned invitees")
        verbose_name_plural = _("planned invitees")
        ordering = ["country", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "country", "category"],
                condition=models.Q(sending_institution__isnull=True),
                name="unique_invitees_row",
            ),
            models.UniqueConstraint(
                fields=["plan", "sending_institution", "country", "category"],
                condition=models.Q(sending_institution__isnull=False),
                name="unique_invitees_row_per_institution",
            ),
        ]

    def __str__(self):
        return f"{self.count} × {self.get_category_display()} ({self.country.name})"

    def get_category_display(self):
        return label_of(ParticipantCategory, self.category)


class RegistrationReceipt(models.Model):
    """The receipt number a partner institution got when it registered this round's exchange
    with its government, where its country's rules ask for one (e.g. China)."""

    plan = models.ForeignKey(
        InvitationPlan, on_delete=models.CASCADE, related_name="registration_receipts"
    )
    partner = models.ForeignKey(
        "institutions.PartnerInstitution", on_delete=models.CASCADE, related_name="+"
    )
    number = models.CharField(_("registration receipt number"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("registration receipt")
        verbose_name_plural = _("registration receipts")
        constraints = [
            models.UniqueConstraint(fields=["plan", "partner"], name="unique_receipt_per_partner"),
        ]

    def __str__(self):
        return self.number


class ItineraryItem(models.Model):
    class Kind(models.TextChoices):
        LECTURE = "lecture", _("Lecture")
        LAB_WORK = "lab_work", _("Lab work")
        SITE_VISIT = "site_visit", _("Site visit")
        STUDENT_EXCHANGE = "student_exchange", _("Exchange with students")
        CULTURAL = "cultural", _("Cultural activity")
        TRAVEL = "travel", _("Travel")
        FREE = "free", _("Free time")

    plan = models.ForeignKey(InvitationPlan, on_delete=models.CASCADE, related_name="itinerary")
    day = models.DateField(_("day"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    kind = models.CharField(_("activity"), max_length=20, choices=Kind)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order in the day"), default=0)

    class Meta:
        verbose_name = _("itinerary item")
        verbose_name_plural = _("itinerary items")
        ordering = ["day", "position", "start_time", "pk"]

    def __str__(self):
        return f"{self.day} {self.start_time:%H:%M} {self.title_en}"

    def get_kind_display(self):
        return label_of(self.Kind, self.kind)

    @property
    def day_number(self):
        """Day 1 is the arrival day (through a plan's itinerary, no query for the plan)."""
        arrival = self.plan.arrival_on
        return (self.day - arrival).days + 1 if arrival else None


class BudgetLine(models.Model):
    """Whole yen only: amounts are integers, totals are computed, never typed."""

    plan = models.ForeignKey(InvitationPlan, on_delete=models.CASCADE, related_name="budget")
    activity = models.ForeignKey(
        "applications.Activity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="budget",
        verbose_name=_("activity"),
        help_text=_("In a plan made of activities (course D), the activity the line pays for."),
    )
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory)
    unit_cost_jpy = models.PositiveIntegerField(_("unit cost (JPY)"))
    quantity = models.PositiveIntegerField(_("quantity"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_category_display()}: {self.amount_jpy}"

    def get_category_display(self):
        return label_of(BudgetCategory, self.category)

    @property
    def amount_jpy(self):
        return self.unit_cost_jpy * self.quantity


def attachment_path(instance, filename):
    # Outside STATIC_ROOT and served only through a permission-checked view.
    return f"plans/{instance.plan_id}/{timezone.now():%Y%m%d%H%M%S}-{instance.sha256[:12]}.pdf"


class Attachment(models.Model):
    plan = models.ForeignKey(InvitationPlan, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind)
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "uploaded_at"]

    def __str__(self):
        return self.original_name

    def get_kind_display(self):
        return label_of(AttachmentKind, self.kind)
