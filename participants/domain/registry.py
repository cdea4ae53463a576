"""Registering and editing participants; after letters are issued, every change is recorded.

Lock order, everywhere: the call, then the plan, then the participant. A process that writes
a participant's row (a registration, a correction, an import) first locks the plan's places
(`lock_places`); one that writes rows pointing at a plan while it holds a participant (issuing
a letter: the letter and its notice reference the plan) takes its lock on the plan before the
participant's (`letters.domain.letters.lock_for_letter`). Two processes that took the same two
locks in opposite orders would wait for each other until PostgreSQL killed one of them.
"""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import InvitationPlan, PlanState
from letters.domain.batches import queue_letters

from ..models import Participant, ParticipantChange, PersonalDataAccess
from .eligibility import check_eligibility, normalized, repeat_key, repeat_keys
from .travel import activity_problems, settle_direction, travel_problems

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
    "activity_id",
    "direction",
    "passport_valid_until",
    "emergency_contact_name",
    "emergency_contact_phone",
    "travel_insurance",
    "travel_registration_done",
]


def may_register(plan, by):
    if not by.has_perm("participants.manage_participants", plan):
        raise PermissionDenied
    if plan.state not in PlanState.registration_open():
        raise ValidationError(_("Participants can be registered once the plan is approved."))


def lock_places(plan):
    """Within a transaction: registrations for `plan` wait for each other from here on, so
    two people saved at once (or two imports) cannot both take the last place.

    The plan's lock comes before any participant's (see the lock order above)."""
    InvitationPlan.objects.select_for_update().only("pk").get(pk=plan.pk)


def identity(family_name, given_name, date_of_birth):
    """What makes two rows of one plan the same person: the names (case and spaces aside)
    and the date of birth."""
    return (normalized(family_name or ""), normalized(given_name or ""), date_of_birth)


@dataclass(frozen=True)
class KnownPeople:
    """What the registration checks read from the database, read once for many new people
    (an import's rows): who is registered in the plan, and who of them took part elsewhere
    in the program that fiscal year (`eligibility.repeat_keys`)."""

    registered: frozenset
    repeats: frozenset


def known_people(plan, people):
    """KnownPeople for checking `people` (unsaved Participants of `plan`): two queries."""
    registered = frozenset(
        identity(*row)
        for row in plan.participants.values_list("family_name", "given_name", "date_of_birth")
    )
    return KnownPeople(registered, repeat_keys(plan, people))


def registration_problems(participant, *, check_places=True, known=None, has_passport=None):
    """Every reason `participant` cannot be saved into its plan, and the flags for staff.

    Returns ({field name, or NON_FIELD_ERRORS for the person as a whole: [message]}, flags):
    the fields' own rules (an email address, a listed category…, as the form checks them),
    the same person registered in the plan already, and the eligibility rules with, when
    `check_places`, a place left. The participant form and the import both ask it; the
    import passes `known` (`known_people()`, for a new person) so that no row costs a query.

    In a plan made of activities the person's direction follows their activity first
    (`travel.settle_direction`), and a dispatched participant's travel needs are checked
    (`travel.travel_problems`; `has_passport`: whether a passport number is given, else the
    stored one counts).
    """
    plan = participant.plan
    settle_direction(participant)
    errors = {}
    # The import matched the home institution and the activity among the plan's already.
    exclude = ["plan"] if known is None else ["plan", "home_institution", "activity"]
    try:
        participant.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as invalid:
        errors = invalid.message_dict
    person = identity(participant.family_name, participant.given_name, participant.date_of_birth)
    if known is None:
        others = plan.participants.exclude(pk=participant.pk).values_list(
            "family_name", "given_name", "date_of_birth"
        )
        registered = any(identity(*other) == person for other in others)
    else:
        registered = person in known.registered
    if registered:
        errors.setdefault("family_name", []).append(_("Already registered in this plan."))
    if has_passport is None:
        has_passport = bool(participant.passport_number)
    travel_errors, travel_warnings = travel_problems(participant, has_passport=has_passport)
    for field, messages in [*activity_problems(participant).items(), *travel_errors.items()]:
        errors.setdefault(field, []).extend(messages)
    result = check_eligibility(
        participant,
        plan,
        exclude_pk=participant.pk,
        check_places=check_places,
        repeat=None if known is None else repeat_key(participant) in known.repeats,
    )
    if result.problems:
        errors.setdefault(NON_FIELD_ERRORS, []).extend(result.problems)
    return errors, [*result.flags, *travel_warnings]


def save_participant(participant, *, by, passport_number=None):
    """Create or update `participant` after every registration rule; track late changes.

    The one way a participant is registered or changed: the form and the import both call it.
    Side effects, in one transaction with the plan's places locked: the row; on a participant
    whose letters are issued, a ParticipantChange per changed field and, after commit, the
    letter brought up to date. Raises ValidationError ({field: [message]}) with every problem
    of `registration_problems()`; returns (participant, flags for staff).
    """
    plan = participant.plan
    may_register(plan, by)
    with transaction.atomic():
        lock_places(plan)
        errors, flags = registration_problems(
            participant, has_passport=bool(passport_number or participant.passport_number)
        )
        if errors:
            raise ValidationError(errors)
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
            # Written down (a pending letter) before it is queued: a broker outage delays
            # the new version until the sweep, it does not lose it.
            queue_letters([participant.pk])
    return participant, flags


def record_access(actor, action, what, count=0):
    """A row in the audit log of personal data (exports, bulk views)."""
    return PersonalDataAccess.objects.create(actor=actor, action=action, what=what, count=count)
