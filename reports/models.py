"""The implementation report a host writes after the stay: what actually happened and cost."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import BudgetCategory


class ImplementationReport(models.Model):
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
    version = models.PositiveIntegerField(
        _("edit version"), default=1, help_text=_("Raised by every saved edit.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    returned_comment = models.TextField(_("comment when sent back"), blank=True)

    class Meta:
        verbose_name = _("implementation report")
        verbose_name_plural = _("implementation reports")
        ordering = ["-created_at"]

    def __str__(self):
        return str(_("Report on %(reference)s") % {"reference": self.plan.reference})


class ReportExpense(models.Model):
    """Approved and actual yen of one budget category; whole yen only."""

    report = models.ForeignKey(
        ImplementationReport, on_delete=models.CASCADE, related_name="expenses"
    )
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory)
    approved_jpy = models.PositiveIntegerField(_("approved (JPY)"), default=0)
    actual_jpy = models.PositiveIntegerField(_("actual (JPY)"), null=True, blank=True)

    class Meta:
        verbose_name = _("report expense")
        verbose_name_plural = _("report expenses")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "category"], name="unique_report_expense_category"
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.actual_jpy} / {self.approved_jpy}"

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
