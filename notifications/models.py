"""The outbox: one row per recipient and message, written in the transaction that causes it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        PLAN_SUBMITTED = "plan_submitted", _("Plan submitted")
        PLAN_WITHDRAWN = "plan_withdrawn", _("Plan withdrawn")
        PLAN_STATE_CHANGED = "plan_state_changed", _("Plan state changed")
        REVISION_REQUESTED = "revision_requested", _("Revision requested")
        REVIEWER_ASSIGNED = "reviewer_assigned", _("Reviewer assigned")
        DECISION_RELEASED = "decision_released", _("Decision released")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind, db_index=True)
    language = models.CharField(_("language"), max_length=2)
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))
    plan = models.ForeignKey(
        "applications.InvitationPlan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("plan"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"
