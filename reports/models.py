"""The implementation report a host writes after the stay: what actually happened and cost."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import BudgetCategory


class ReportSteps(models.Model):
    """What every report goes through: edits (versioned), submission, acceptance or return."""

    version = models.PositiveIntegerField(
        _("edit version"), default=1, help_text=_("Raised by every saved edit.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    returned_comment = models.TextField(_("comment when sent back"), blank=True)

    class Meta:
        abstract = True


class ImplementationReport(ReportSteps):
    plan = models.OneToOneField(
        "applications.InvitationPlan",
        on_delete=models.CASCADE,
        related_name="report",
        verbose_name=_("plan"),
    )
    actual_arrival_on = models.DateField(_("actual arrival in Japan"), null=True, blank=True)
    actual_departure_on = models.DateField(_("actual departure from Japan"), null=True, blank=True)
    attended = models.ManyToManyField(
        "participants.Participant",
        related_name="+",
        blank=True,
        verbose_name=_("participants who came"),
        help_text=_("Leave a registered participant unticked if they did not come (a no-show)."),
    )
    activities = models.TextField(_("activities done"), blank=True)
    joint_papers = models.PositiveSmallIntegerField(_("joint papers"), default=0)
    agreements = models.PositiveSmallIntegerField(_("agreements signed"), default=0)
    later_study_in_japan = models.PositiveSmallIntegerField(
        _("participants who later studied in Japan"), default=0
    )
    follow_up = models.TextField(
        _("follow-up and explanations"),
        blank=True,
        help_text=_("Explain here any category where the actual expense exceeds the approved one."),
    )

    class Meta:
        verbose_name = _("implementation report")
        verbose_name_plural = _("implementation reports")
        ordering = ["-created_at"]

    def __str__(self):
        return str(_("Report on %(reference)s") % {"reference": self.plan.reference})


class InterimReport(ReportSteps):
    """The interim report of a plan made of activities (course D): written once the first
    activity is over, on the activities over by then. It does not move the plan's state;
    staff accept it or send it back as they do the final report."""

    plan = models.OneToOneField(
        "applications.InvitationPlan",
        on_delete=models.CASCADE,
        related_name="interim_report",
        verbose_name=_("plan"),
    )
    follow_up = models.TextField(
        _("follow-up and explanations"),
        blank=True,
        help_text=_("Explain here any line where the actual expense exceeds the approved one."),
    )

    class Meta:
        verbose_name = _("interim report")
        verbose_name_plural = _("interim reports")
        ordering = ["-created_at"]

    def __str__(self):
        return str(_("Interim report on %(reference)s") % {"reference": self.plan.reference})


def _one_report(name):
    """Exactly one of `report` (the final report) and `interim` is set."""
    return models.CheckConstraint(
        condition=(
            models.Q(report__isnull=False, interim__isnull=True)
            | models.Q(report__isnull=True, interim__isnull=False)
        ),
        name=name,
    )


class ActivityReport(models.Model):
    """What one activity of a course-D plan came to, in the interim or the final report: what
    was done and, for an invitation or a dispatch, which registered participants took part
    (an online session's attendance is kept on the activity itself)."""

    report = models.ForeignKey(
        ImplementationReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activity_reports",
    )
    interim = models.ForeignKey(
        InterimReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activity_reports",
    )
    activity = models.ForeignKey(
        "applications.Activity",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("activity"),
    )
    done = models.TextField(_("what was done"), blank=True)
    attended = models.ManyToManyField(
        "participants.Participant",
        related_name="+",
        blank=True,
        verbose_name=_("participants who took part"),
    )

    class Meta:
        verbose_name = _("activity in a report")
        verbose_name_plural = _("activities in reports")
        ordering = ["activity__starts_on", "activity__position", "activity__pk"]
        constraints = [
            _one_report("activity_report_in_one_report"),
            models.UniqueConstraint(
                fields=["report", "activity"], name="unique_final_report_activity"
            ),
            models.UniqueConstraint(
                fields=["interim", "activity"], name="unique_interim_report_activity"
            ),
        ]

    def __str__(self):
        return str(self.activity)


class ReportExpense(models.Model):
    """Approved and actual yen of one budget category (of one activity, in a plan made of
    activities); whole yen only. Belongs to the final report or to an interim report."""

    report = models.ForeignKey(
        ImplementationReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="expenses",
    )
    interim = models.ForeignKey(
        InterimReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="expenses",
    )
    activity = models.ForeignKey(
        "applications.Activity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity"),
    )
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory)
    approved_jpy = models.PositiveIntegerField(_("approved (JPY)"), default=0)
    actual_jpy = models.PositiveIntegerField(_("actual (JPY)"), null=True, blank=True)

    class Meta:
        verbose_name = _("report expense")
        verbose_name_plural = _("report expenses")
        ordering = ["pk"]
        constraints = [
            _one_report("report_expense_in_one_report"),
            models.UniqueConstraint(
                fields=["report", "category"],
                condition=models.Q(activity__isnull=True),
                name="unique_report_expense_category",
            ),
            models.UniqueConstraint(
                fields=["report", "activity", "category"],
                condition=models.Q(activity__isnull=False),
                name="unique_report_expense_activity_category",
            ),
            models.UniqueConstraint(
                fields=["interim", "activity", "category"],
                name="unique_interim_expense_activity_category",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.actual_jpy} / {self.approved_jpy}"

    @property
    def field_name(self):
        """The expense's field in the expenses form: its category, per activity if any."""
        if self.activity_id is None:
            return self.category
        return f"{self.activity_id}-{self.category}"

    @property
    def difference_jpy(self):
        """Actual minus approved: positive when over the approved amount."""
        if self.actual_jpy is None:
            return None
        return self.actual_jpy - self.approved_jpy

    @property
    def is_over(self):
        return self.actual_jpy is not None and self.actual_jpy > self.approved_jpy


def photo_path(instance, filename):
    # Under MEDIA_ROOT, never served directly: a permission-checked view streams it.
    extension = "png" if instance.content_type == "image/png" else "jpg"
    return f"reports/{instance.report.plan_id}/{uuid.uuid4().hex}.{extension}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(
        ImplementationReport, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=photo_path)
    content_type = models.CharField(_("content type"), max_length=20)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.caption or self.original_name


class ReportEvent(models.Model):
    """The history of what the reports of a plan made of activities went through that is not
    a state change of the plan: attendance entered, the interim report submitted, accepted or
    sent back. (The final report's moves are the plan's own history.)"""

    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", _("Attendance entered")
        INTERIM_SUBMITTED = "interim_submitted", _("Interim report submitted")
        INTERIM_ACCEPTED = "interim_accepted", _("Interim report accepted")
        INTERIM_RETURNED = "interim_returned", _("Interim report sent back")

    plan = models.ForeignKey(
        "applications.InvitationPlan",
        on_delete=models.CASCADE,
        related_name="report_events",
        verbose_name=_("plan"),
    )
    activity = models.ForeignKey(
        "applications.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity"),
    )
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.plan_id}: {self.get_kind_display()}"
