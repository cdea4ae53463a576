"""What happened to a plan: every state change, and a frozen copy of each submitted version."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.choices import label_of

from .plan import InvitationPlan, PlanState


class PlanTransition(models.Model):
    plan = models.ForeignKey(InvitationPlan, on_delete=models.CASCADE, related_name="history")
    from_state = models.CharField(
        pgettext_lazy("state change", "from"), max_length=20, choices=PlanState
    )
    to_state = models.CharField(
        pgettext_lazy("state change", "to"), max_length=20, choices=PlanState
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.plan_id}: {self.from_state} → {self.to_state}"

    def get_from_state_display(self):
        return label_of(PlanState, self.from_state)

    def get_to_state_display(self):
        return label_of(PlanState, self.to_state)


class PlanVersion(models.Model):
    """The whole plan as submitted: fields, invitees, itinerary, budget, attachment checksums."""

    plan = models.ForeignKey(InvitationPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version"),
        ]

    def __str__(self):
        return f"{self.plan_id} v{self.number}"
