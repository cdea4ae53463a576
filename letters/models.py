"""Letters the agency issues (acceptance letters for visas, decision letters to hosts) and the
bulk runs that issue them for a whole call."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def letter_path(instance, filename):
    # Under MEDIA_ROOT, which has no public URL: only the permission-checked view streams it.
    return f"letters/{instance.plan_id}/{instance.reference}.pdf"


class Letter(models.Model):
    """One issued version of a letter. A new version replaces the old one, which is kept."""

    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", _("Acceptance letter")
        HOST_DECISION = "host_decision", _("Decision letter to the host")
        DISPATCH = "dispatch", _("Dispatch certificate")

    class Status(models.TextChoices):
        CURRENT = "current", _("Current")
        REPLACED = "replaced", _("Replaced by a newer version")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    plan = models.ForeignKey(
        "applications.InvitationPlan",
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("invitation plan"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("participant"),
        help_text=_("Empty for the decision letter to the host."),
    )
    reference = models.CharField(_("reference"), max_length=80, unique=True)
    version = models.PositiveIntegerField(_("version"))
    data_hash = models.CharField(
        _("data fingerprint"),
        max_length=64,
        help_text=_("SHA-256 of the data the letter shows; a change issues a new version."),
    )
    data = models.JSONField(
        _("data shown"),
        default=dict,
        help_text=_("What this version of the letter shows, so it can be verified as issued."),
    )
    file = models.FileField(_("PDF file"), upload_to=letter_path, max_length=200)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.CURRENT, db_index=True
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaced by"),
    )

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["plan", "participant", "kind", "-version"]
        constraints = [
            # At most one current letter of a kind per participant, and per plan for hosts:
            # two tasks racing cannot both issue one.
            models.UniqueConstraint(
                fields=["participant", "kind"],
                condition=Q(status="current", participant__isnull=False),
                name="one_current_letter_per_participant",
            ),
            models.UniqueConstraint(
                fields=["plan", "kind"],
                condition=Q(status="current", participant__isnull=True),
                name="one_current_host_letter_per_plan",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_current(self):
        return self.status == self.Status.CURRENT

    @property
    def download_name(self):
        return f"{self.reference}.pdf"


class LetterBatch(models.Model):
    """Staff's run of acceptance letters for every participant of a call."""

    call = models.ForeignKey(
        "programs.Call", on_delete=models.PROTECT, related_name="letter_batches"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    total = models.PositiveIntegerField(_("letters to issue"), default=0)
    done = models.PositiveIntegerField(_("issued"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter batch")
        verbose_name_plural = _("letter batches")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.call_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self):
        return self.finished_at is not None

    @property
    def waiting(self):
        return max(self.total - self.done - self.failed, 0)


class LetterJob(models.Model):
    """One participant's letter within a batch: what happened to it, so failures can be retried."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        DONE = "done", _("Issued")
        FAILED = "failed", _("Failed")

    batch = models.ForeignKey(LetterBatch, on_delete=models.CASCADE, related_name="jobs")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State, default=State.QUEUED, db_index=True
    )
    letter = models.ForeignKey(
        Letter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    error = models.TextField(_("reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("letter job")
        verbose_name_plural = _("letter jobs")
        ordering = ["batch", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "participant"], name="one_job_per_batch"),
        ]

    def __str__(self):
        return f"{self.batch_id}/{self.participant_id}: {self.state}"


class PendingLetter(models.Model):
    """A letter asked for and not yet issued: a participant's (after a correction, or for the
    plan's letters) or, with no participant, the host's decision letter.

    Written in the same transaction as the change that asks for the letter, so that a broker
    outage cannot lose it: its task is queued after commit, and the beat sweep
    (`letters.tasks.sweep_letters`) queues it again while the row is still here. Issuing the
    letter (or refusing it) removes the row. Letters of a batch are its LetterJobs instead.
    """

    plan = models.ForeignKey(
        "applications.InvitationPlan", on_delete=models.CASCADE, related_name="+"
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    queued_at = models.DateTimeField(_("last queued at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("pending letter")
        verbose_name_plural = _("pending letters")
        ordering = ["queued_at", "pk"]

    def __str__(self):
        return f"{self.plan_id}/{self.participant_id or 'host'}: {self.requested_at:%Y-%m-%d %H:%M}"
