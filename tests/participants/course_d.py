"""A course-D plan approved for registration, and the people registered on its activities:
plain functions, so that the tests read like the program's rules.

CourseDPlanFactory's plan: an invitation of 5 people from India (2027-01-12 to 01-21), a
dispatch of 3 of the host's people to IIT Example, India (2027-02-08 to 02-17), and online
sessions on 2027-01-28 and 2027-03-01 at 17:00-19:00 JST (with India and Egypt).
"""

from datetime import date

from applications.models import Activity
from participants.models import Participant
from tests.factories import CourseDPlanFactory

from .builders import approved

DISPATCH_FIRST_DAY = date(2027, 2, 8)
RETURN_DAY = date(2027, 2, 17)


def course_d_plan(**kwargs):
    return approved(CourseDPlanFactory(**kwargs))


def activity(plan, kind):
    return plan.activities.filter(kind=kind).order_by("starts_on").first()


def dispatch_of(plan):
    return activity(plan, Activity.Kind.DISPATCH)


def invitation_of(plan):
    return activity(plan, Activity.Kind.INVITATION)


def traveller_data(plan, **overrides):
    """One of the host's graduate students going to India: passport valid for years after the
    return, every travel need answered."""
    return {
        "activity": dispatch_of(plan),
        "direction": Participant.Direction.DISPATCHED,
        "family_name": "YAMADA",
        "given_name": "Hanako",
        "native_name": "山田 花子",
        "date_of_birth": date(2001, 6, 1),
        "gender": Participant.Gender.FEMALE,
        "nationality": "JP",
        "category": "graduate",
        "email": "hanako@example.ac.jp",
        "passport_valid_until": date(2031, 5, 31),
        "emergency_contact_name": "山田 太郎",
        "emergency_contact_phone": "+81 90 1234 5678",
        "travel_insurance": "Sakura Insurance 123-456",
        "travel_registration_done": True,
        **overrides,
    }


def new_traveller(plan, **overrides):
    return Participant(plan=plan, **traveller_data(plan, **overrides))


def dispatched(plan, **overrides):
    """A dispatched participant saved straight to the database, with a passport number."""
    participant = new_traveller(plan, **overrides)
    participant.passport_number = "TK1234567"
    participant.save()
    return participant


def invited(plan, **overrides):
    """An invitee from India on the plan's invitation, saved straight to the database."""
    values = {
        "activity": invitation_of(plan),
        "family_name": "SHARMA",
        "given_name": "Priya",
        "native_name": "प्रिया शर्मा",
        "date_of_birth": date(2000, 3, 3),
        "gender": Participant.Gender.FEMALE,
        "nationality": "IN",
        "category": "graduate",
        "email": "priya@example.ac.in",
        **overrides,
    }
    participant = Participant(plan=plan, **values)
    participant.save()
    return participant
