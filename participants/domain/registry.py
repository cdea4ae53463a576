"""Registering and editing participants; after letters are issued, every change is recorded."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import InvitationPlan, PlanState

from ..models import Participant, ParticipantChange, PersonalDataAccess
from .eligibility import approved_places, check_eligibility

TRACKED_FIELDS = [
    "family_name",
    "given_name",
    "native_name",
    "date_of_birth",
    "gender",
    "nationality",
    "home_institution_id",
    "category",
    "email",
    "phone",
    "dietary_needs",
    "accessibility_needs",
    "first_stay_in_japan",
]


def may_register(plan, by):
    if not by.has_perm("participants.manage_participants", plan):
        raise PermissionDenied
    if plan.state not in PlanState.registration_open():
        raise ValidationError(_("Participants can be registered once the plan is approved."))


def lock_places(plan):
    """Within a transaction: registrations for `plan` wait for each other from here on, so
    two people saved at once (or two imports) cannot both take the last place."""
    InvitationPlan.objects.select_for_update().only("pk").get(pk=plan.pk)


def save_participant(participant, *, by, passport_number=None):
    """Create or update `participant` after the eligibility rules; track late changes.

    Side effects: the row; on a participant whose letters are issued, a ParticipantChange
    per changed field. Raises ValidationError with every eligibility problem.
    """
    plan = participant.plan
    may_register(plan, by)
    with transaction.atomic():
        lock_places(plan)
        result = check_eligibility(
            participant, plan, exclude_pk=participant.pk, approved_count=approved_places(plan)
        )
        if not result.ok:
            raise ValidationError(result.problems)
        if participant.pk and not participant.is_editable:
            before = Participant.objects.get(pk=participant.pk)
            ParticipantChange.objects.bulk_create(
                [
                    ParticipantChange(
                        participant=participant,
                        field=name,
                        old_value=str(getattr(before, name)),
                        new_value=str(getattr(participant, name)),
                        by=by,
                    )
                    for name in TRACKED_FIELDS
                    if getattr(before, name) != getattr(participant, name)
                ]
            )
            if passport_number is not None and passport_number != before.passport_number:
                ParticipantChange.objects.create(
                    participant=participant,
                    field="passport_number",
                    old_value=before.masked_passport_number,
                    new_value=Participant(passport_number=passport_number).masked_passport_number,
                    by=by,
                )
        if passport_number is not None:
            participant.passport_number = passport_number
        participant.save()
        if not participant.is_editable:
            # The letters show this person's data: bring them up to date (a new version is
            # issued only when what a letter shows has changed).
            transaction.on_commit(lambda: reissue_letter(participant.pk))
    return participant, result.flags


def reissue_letter(participant_id):
    from letters.tasks import issue_participant_letter

    issue_participant_letter.delay(participant_id)


def record_access(actor, action, what, count=0):
    """A row in the audit log of personal data (exports, bulk views)."""
    return PersonalDataAccess.objects.create(actor=actor, action=action, what=what, count=count)
