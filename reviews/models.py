"""Review of submitted plans: set-up, criteria, assignments, conflicts, scores, decisions."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.choices import label_of
from programs.models import FieldOfScience


class ReviewSetup(models.Model):
    """How a call is reviewed: reviewers per plan, their maximum load, deadline, blindness."""

    class RankBy(models.TextChoices):
        MEAN = "mean", _("Mean weighted score")
        CALIBRATED = "calibrated", _("Calibrated score (corrects harsh and lenient reviewers)")

    call = models.OneToOneField(
        "programs.Call", on_delete=models.CASCADE, related_name="review_setup"
    )
    reviewers_per_plan = models.PositiveSmallIntegerField(
        _("reviewers per plan"), default=3, validators=[MinValueValidator(1)]
    )
    max_load = models.PositiveSmallIntegerField(
        _("maximum plans per reviewer"), default=30, validators=[MinValueValidator(1)]
    )
    deadline = models.DateTimeField(_("review deadline"), null=True, blank=True)
    blind = models.BooleanField(
        _("blind review"), default=False, help_text=_("Reviewers do not see coordinators' names.")
    )
    rank_by = models.CharField(
        _("rank by"), max_length=20, choices=RankBy, default=RankBy.CALIBRATED
    )

    class Meta:
        verbose_name = _("review set-up")
        verbose_name_plural = _("review set-ups")

    def __str__(self):
        return str(self.call)


class ReviewerProfile(models.Model):
    """A reviewer's fields of expertise and affiliations abroad (for conflicts)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    fields_of_science = models.JSONField(_("fields of science"), default=list, blank=True)
    affiliations_abroad = models.JSONField(
        _("affiliations abroad"),
        default=list,
        blank=True,
        help_text=_('Institutions abroad the reviewer works with: [{"name": …, "country": "TH"}]'),
    )

    class Meta:
        verbose_name = _("reviewer profile")
        verbose_name_plural = _("reviewer profiles")

    def __str__(self):
        return str(self.user)

    def field_labels(self):
        labels = dict(FieldOfScience.choices)
        return [labels.get(value, value) for value in self.fields_of_science]


class Criterion(models.Model):
    call = models.ForeignKey("programs.Call", on_delete=models.CASCADE, related_name="criteria")
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["call", "position", "pk"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_ja if get_language() == "ja" and self.name_ja else self.name_en


class ReviewAssignment(models.Model):
    class State(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        ACCEPTED = "accepted", _("No conflict declared")
        CONFLICT = "conflict", _("Conflict declared")
        DECLINED = "declined", _("Declined")
        SUBMITTED = "submitted", _("Review submitted")

    plan = models.ForeignKey(
        "applications.InvitationPlan", on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.ASSIGNED, db_index=True
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    declined_reason = models.TextField(_("reason for declining"), blank=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reviewer"], name="unique_assignment"),
        ]
        indexes = [models.Index(fields=["reviewer", "state"], name="assignment_reviewer_state")]

    def __str__(self):
        return f"{self.reviewer} → {self.plan_id}"

    ACTIVE_STATES = (State.ASSIGNED, State.ACCEPTED, State.SUBMITTED)

    def get_state_display(self):
        return label_of(self.State, self.state)

    @property
    def is_active(self):
        return self.state in self.ACTIVE_STATES


class ConflictDeclaration(models.Model):
    """What the reviewer declared before seeing the plan's details."""

    assignment = models.OneToOneField(
        ReviewAssignment, on_delete=models.CASCADE, related_name="declaration"
    )
    has_conflict = models.BooleanField(_("I have a conflict of interest"))
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict declaration")
        verbose_name_plural = _("conflict declarations")

    def __str__(self):
        return f"{self.assignment}: {self.has_conflict}"


class Review(models.Model):
    assignment = models.OneToOneField(
        ReviewAssignment, on_delete=models.CASCADE, related_name="review"
    )
    plan_version = models.PositiveIntegerField(_("version reviewed"))
    comment_to_staff = models.TextField(_("comment to staff"), blank=True)
    comment_to_applicant = models.TextField(_("comment to the applicant (optional)"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return f"Review {self.assignment}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="unique_score"),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"


class Decision(models.Model):
    """Staff's decision on a plan; coordinators learn it when the call's decisions are released."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Rejected")

    plan = models.OneToOneField(
        "applications.InvitationPlan", on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)
    approved_amount_jpy = models.PositiveIntegerField(
        _("approved amount (JPY)"), null=True, blank=True
    )
    conditions = models.TextField(_("conditions"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.plan_id}: {self.outcome}"

    def get_outcome_display(self):
        return label_of(self.Outcome, self.outcome)
