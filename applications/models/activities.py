"""What a year-long exchange (course D) is made of: activities of three kinds, each with its
dates, people and budget lines, and online sessions with their time in both countries."""

import zoneinfo
from datetime import datetime, time

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.dates import JAPAN


class ActivityKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation to Japan")
    DISPATCH = "dispatch", _("Dispatch abroad")
    ONLINE = "online", _("Online session")


class Activity(models.Model):
    """One activity of a plan made of activities (course D): an invitation of young people to
    Japan, a dispatch of the host's own young people to the partner, or an online session.

    Dates are the days in Japan (invitation) or abroad (dispatch); an online session has its
    start and end as moments (`starts_at`, `ends_at`, stored in UTC) and the partner's time
    zone, so it can be shown in Japan time and in the partner's time alike.
    """

    Kind = ActivityKind

    plan = models.ForeignKey(
        "applications.InvitationPlan", on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("kind of activity"), max_length=20, choices=ActivityKind)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    country = CountryField(_("partner's country"), blank=True)
    partner = models.ForeignKey(
        "institutions.PartnerInstitution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner institution"),
    )
    time_zone = models.CharField(
        _("partner's time zone"),
        max_length=64,
        blank=True,
        help_text=_("Where the partner is, e.g. Asia/Kolkata or Africa/Cairo."),
    )
    people = models.PositiveSmallIntegerField(
        _("people taking part"),
        default=0,
        help_text=_("From Japan for a dispatch; from the partner for an invitation."),
    )
    attendance_japan = models.PositiveSmallIntegerField(
        _("attended from Japan"), null=True, blank=True
    )
    attendance_partner = models.PositiveSmallIntegerField(
        _("attended from the partner's side"), null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_on", "position", "pk"]
        indexes = [models.Index(fields=["plan", "kind"], name="activity_plan_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def title(self):
        if get_language() == "ja" and self.title_ja:
            return self.title_ja
        return self.title_en or self.title_ja

    @property
    def is_online(self):
        return self.kind == ActivityKind.ONLINE

    @property
    def is_dispatch(self):
        return self.kind == ActivityKind.DISPATCH

    @property
    def is_invitation(self):
        return self.kind == ActivityKind.INVITATION

    @cached_property
    def zone(self):
        """The partner's time zone (None when not given or unknown)."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone) if self.time_zone else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None

    def in_japan(self, moment):
        return moment.astimezone(JAPAN) if moment else None

    def in_partner_zone(self, moment):
        return moment.astimezone(self.zone) if moment and self.zone else None

    def local_start(self):
        """A dispatch's first day at midnight where the partner is (for calendars)."""
        if self.zone is None:
            return None
        return datetime.combine(self.starts_on, time.min, tzinfo=self.zone)

    @property
    def days(self):
        """Days of the activity, first and last included."""
        return (self.ends_on - self.starts_on).days + 1
