"""People of a plan made of activities (course D): which activity a person takes part in, the
direction that follows from it, and what a dispatched participant needs to travel abroad.

A person registered for an invitation to Japan is INVITED, as in every other course; one
registered for a dispatch abroad is one of the host's own Japanese students or researchers,
DISPATCHED, who needs a passport valid on the return day, an emergency contact, travel
insurance and an answer on the Foreign Ministry's travel registration (Tabireg).
"""

import calendar
from datetime import date

from django.utils.translation import gettext as _

from programs.domain.rules import plan_rules

from ..models import Direction

# Common travel rules: many countries ask that a passport stay valid six months beyond the
# stay (the Foreign Ministry's advice to travellers). Below it we warn; before the return day
# we refuse.
PASSPORT_MONTHS_BEYOND_RETURN = 6
# Where a dispatched participant comes from: the host's own people in Japan.
DISPATCHED_NATIONALITY = "JP"
TRAVEL_FIELDS = [
    "passport_valid_until",
    "emergency_contact_name",
    "emergency_contact_phone",
    "travel_insurance",
    "travel_registration_done",
]


def direction_of(activity):
    """DISPATCHED for a dispatch abroad, INVITED otherwise (an invitation, or no activity)."""
    if activity is not None and activity.is_dispatch:
        return Direction.DISPATCHED
    return Direction.INVITED


def settle_direction(participant):
    """Give `participant` the direction its activity calls for, and a dispatched participant
    without a nationality Japan's: a registration's first step (the form and the import)."""
    participant.direction = direction_of(participant_activity(participant))
    if participant.is_dispatched and not participant.nationality:
        participant.nationality = DISPATCHED_NATIONALITY


def months_after(day, months):
    """The same day `months` later (the month's last day when it is shorter: 31 Aug + 6 months
    is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_day(participant, plan):
    """The day the age limit is judged by: the activity's first day in a plan made of
    activities ("under 40" when the activity takes place), else the plan's arrival."""
    activity = participant_activity(participant)
    if activity is not None:
        return activity.starts_on
    return plan.arrival_on


def participant_activity(participant):
    """The person's activity (a Participant or a dict of its data), or None."""
    if isinstance(participant, dict):
        return participant.get("activity")
    return participant.activity if participant.activity_id else None


def activity_problems(participant):
    """{field: [message]} about the person's activity: required in a plan made of activities,
    one of the plan's own invitations or dispatches; none in other plans."""
    plan = participant.plan
    activity = participant_activity(participant)
    if not plan_rules(plan).uses_activities:
        if activity is not None:
            return {"activity": [_("This plan is not made of activities: leave it empty.")]}
        return {}
    if activity is None:
        return {"activity": [_("Choose the invitation or dispatch the person takes part in.")]}
    if activity.plan_id != plan.pk or activity.is_online:
        return {"activity": [_("Choose one of this plan's invitations or dispatches.")]}
    return {}


def travel_problems(participant, *, has_passport):
    """({field: [message]}, [warning]) for a dispatched participant; nothing for others.

    Refused: a missing passport number or validity, a passport that expires before the return
    day (the dispatch's last day), a missing emergency contact or travel insurance, no answer
    on the travel registration, a home institution abroad (the person belongs to the host).
    Warned: a passport valid less than six months after the return day.
    """
    if not participant.is_dispatched:
        return {}, []
    errors, warnings = {}, []
    required = _("Required for a dispatch abroad.")
    if not has_passport:
        errors["passport_number"] = [required]
    for name in TRAVEL_FIELDS:
        value = getattr(participant, name)
        if value is None or value == "":
            errors[name] = [required]
    if participant.home_institution_id:
        errors["home_institution"] = [
            _("A dispatched participant belongs to the host: leave the home institution empty.")
        ]
    valid_until, activity = participant.passport_valid_until, participant.activity
    if valid_until is not None and activity is not None and valid_until < activity.ends_on:
        errors.setdefault("passport_valid_until", []).append(
            _("The passport expires before the return on %(day)s.")
            % {"day": activity.ends_on.isoformat()}
        )
    elif passport_warning(participant):
        warnings.append(passport_warning(participant))
    return errors, warnings


def passport_warning(participant):
    """A warning when the passport is valid on the return day but less than six months after
    it; else None."""
    valid_until = participant.passport_valid_until
    activity = participant.activity if participant.activity_id else None
    if not participant.is_dispatched or valid_until is None or activity is None:
        return None
    returning = activity.ends_on
    if returning <= valid_until < months_after(returning, PASSPORT_MONTHS_BEYOND_RETURN):
        return _(
            "The passport is valid less than six months after the return on %(day)s: "
            "some countries refuse entry."
        ) % {"day": returning.isoformat()}
    return None


def travel_todos(participant):
    """What is still to be done before a dispatched participant travels (for the list)."""
    if not participant.is_dispatched:
        return []
    todos = []
    if participant.travel_registration_done is False:
        todos.append(_("Travel registration (Tabireg) not done yet."))
    warning = passport_warning(participant)
    if warning:
        todos.append(warning)
    return todos
