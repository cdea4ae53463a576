"""How long personal data is kept (README, "What personal data is kept"), applied every night.

- Passport numbers go once the plan is closed.
- Everything else about a participant is kept for PERSONAL_DATA_RETENTION_YEARS fiscal years
  after the fiscal year of the stay (the call's), then anonymised: names, contact details,
  needs, the day and month of birth, their change history and invitations, their letters'
  files and contents, and their portal account when it serves nothing else. Nationality,
  gender, category and year of birth stay, so the dashboard and exports still count them.
- Alumni records go when every participation they link is anonymised.
- The audit log of personal-data exports is kept AUDIT_LOG_RETENTION_YEARS years, sign-in
  records (django-axes) SIGN_IN_LOG_DAYS days, and sent or failed mail
  NOTIFICATION_RETENTION_DAYS days.

Each kind is one or two bulk statements, however many rows have expired.
"""

import logging
from dataclasses import dataclass, fields
from datetime import timedelta

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, TruncYear
from django.utils import timezone

from applications.models import PlanState
from letters.models import Letter
from notifications.models import Notification
from programs.models import fiscal_year_of

from ..models import (
    Alumnus,
    CalendarFeed,
    Participant,
    ParticipantChange,
    ParticipantInvitation,
    PersonalDataAccess,
)

logger = logging.getLogger(__name__)


@dataclass
class Removed:
    """How many rows each rule changed or deleted."""

    passport_numbers: int = 0
    participants: int = 0
    letters: int = 0
    accounts: int = 0
    alumni: int = 0
    audit_rows: int = 0
    sign_in_records: int = 0
    notifications: int = 0

    def __str__(self):
        return ", ".join(
            f"{field.name.replace('_', ' ')}: {getattr(self, field.name)}" for field in fields(self)
        )


def expired_participants(now):
    """Not yet anonymised, with a stay more than the retention period of fiscal years ago."""
    last_kept = fiscal_year_of(timezone.localdate(now)) - settings.PERSONAL_DATA_RETENTION_YEARS
    return Participant.objects.filter(
        anonymised_at__isnull=True, plan__call__fiscal_year__lt=last_kept
    )


def apply_retention(*, now=None, dry_run=False):
    """Remove what is past its retention period; on a dry run, only count it."""
    now = now or timezone.now()
    removed = Removed()
    with transaction.atomic():
        removed.passport_numbers = (
            Participant.objects.filter(plan__state=PlanState.CLOSED)
            .exclude(passport_number_encrypted="")
            .update(passport_number_encrypted="")
        )
        expired = list(expired_participants(now).values_list("pk", flat=True))
        removed.participants = len(expired)
        files = _anonymise(expired, now, removed)
        removed.audit_rows, _kinds = PersonalDataAccess.objects.filter(
            at__lt=now - timedelta(days=365 * settings.AUDIT_LOG_RETENTION_YEARS)
        ).delete()
        removed.sign_in_records = _delete_sign_in_records(
            now - timedelta(days=settings.SIGN_IN_LOG_DAYS)
        )
        removed.notifications, _kinds = Notification.objects.filter(
            state__in=[Notification.State.SENT, Notification.State.FAILED],
            created_at__lt=now - timedelta(days=settings.NOTIFICATION_RETENTION_DAYS),
        ).delete()
        if dry_run:
            transaction.set_rollback(True)
        else:
            transaction.on_commit(lambda: _delete_files(files))
    logger.info("Retention%s: %s", " (dry run)" if dry_run else "", removed)
    return removed


def _anonymise(participant_pks, now, removed):
    """Anonymise these participants and what hangs on them; return the letter files to delete."""
    if not participant_pks:
        return []
    people = Participant.objects.filter(pk__in=participant_pks)
    still_kept = (
        Participant.objects.filter(anonymised_at__isnull=True, user__isnull=False)
        .exclude(pk__in=participant_pks)
        .values("user")
    )
    accounts = list(
        get_user_model()
        .objects.filter(participations__pk__in=participant_pks, is_staff=False, is_reviewer=False)
        .exclude(memberships__isnull=False)
        .exclude(pk__in=still_kept)
        .values_list("pk", flat=True)
        .distinct()
    )
    letters = Letter.objects.filter(participant__in=participant_pks).exclude(file="")
    files = list(letters.values_list("file", flat=True))
    removed.letters = letters.update(file="", data={})
    ParticipantChange.objects.filter(participant__in=participant_pks).delete()
    ParticipantInvitation.objects.filter(participant__in=participant_pks).delete()
    people.update(
        family_name="",
        given_name="",
        native_name="",
        date_of_birth=TruncYear("date_of_birth"),
        email="",
        phone="",
        dietary_needs="",
        accessibility_needs="",
        passport_number_encrypted="",
        user=None,
        anonymised_at=now,
    )
    removed.accounts = _close_accounts(accounts)
    removed.alumni, _kinds = (
        Alumnus.objects.filter(participations__pk__in=participant_pks)
        .exclude(participations__anonymised_at__isnull=True)
        .delete()
    )
    return files


def _close_accounts(user_pks):
    """Portal accounts that served only anonymised participations: closed, nothing kept."""
    CalendarFeed.objects.filter(user__in=user_pks).delete()
    EmailAddress.objects.filter(user__in=user_pks).delete()
    return (
        get_user_model()
        .objects.filter(pk__in=user_pks)
        .update(
            email=Concat(Value("anonymised-"), Cast("pk", CharField()), Value("@invalid")),
            full_name="",
            password="!",
            is_active=False,
        )
    )


def _delete_sign_in_records(before):
    return sum(
        model.objects.filter(attempt_time__lt=before).delete()[0]
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


def _delete_files(names):
    storage = Letter._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
