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
        REVIEW_OVERDUE = "review_overdue", _("Review due soon or overdue")
        DRAFT_REMINDER = "draft_reminder", _("Call closing soon: plan still a draft")
        MEMBERSHIP_INVITATION = "membership_invitation", _("Invitation to join an institution")
        PARTICIPANT_INVITED = "participant_invited", _("Participant invited")
        LETTER_ISSUED = "letter_issued", _("Letter issued")
        REPORT_DUE = "report_due", _("Report due")
        INTERIM_REPORT_DUE = "interim_report_due", _("Interim report due")
        INTERIM_REPORT_RETURNED = "interim_report_returned", _("Interim report sent back")
        NOMINATOR_INVITED = "nominator_invited", _("Invitation to nominate candidates")
        NOMINATIONS_DECIDED = "nominations_decided", _("Nominations decided")

    # People may switch these off in their profile; the others always go out.
    OPTIONAL_KINDS = (
        Kind.PLAN_SUBMITTED,
        Kind.PLAN_STATE_CHANGED,
        Kind.DRAFT_REMINDER,
        Kind.REVIEW_OVERDUE,
    )

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
        help_text=_("Empty for people who have no account yet (invitations)."),
    )
    to_email = models.EmailField(_("to"))
    kind = models.CharField(_("kind"), max_length=40, choices=Kind, db_index=True)
    language = models.CharField(_("language"), max_length=2)
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))
    link_for = models.PositiveBigIntegerField(
        _("single-use link for"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The invitation whose link is made only when the message is sent: the body keeps "
            "it masked."
        ),
    )
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
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.to_email}"
