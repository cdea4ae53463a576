"""Approved plans and participants for the participants domain tests (eligibility, import,
invitations, registry). Plain functions, so that the test files read like the rules."""

from datetime import date

from applications.models import InvitationPlan, PlanState
from participants.models import Participant
from tests.factories import PlanFactory

# PlanFactory's plan arrives on 2027-01-10 in a call of fiscal year 2026; its course has an
# age limit of 40 and takes undergraduates, graduates, postdocs, researchers and escorts; it
# plans 5 people (4 graduates and 1 escort from Thailand).
ARRIVAL = date(2027, 1, 10)
PLACES = 5


def approved(plan):
    InvitationPlan.objects.filter(pk=plan.pk).update(state=PlanState.APPROVED)
    plan.refresh_from_db()
    return plan


def approved_plan(**kwargs):
    return approved(PlanFactory(**kwargs))


def person_data(**overrides):
    """An eligible graduate student from Thailand, 23 on arrival, on a first stay in Japan."""
    return {
        "family_name": "SAETANG",
        "given_name": "Somchai",
        "native_name": "สมชาย แซ่ตั้ง",
        "date_of_birth": date(2003, 4, 15),
        "gender": Participant.Gender.MALE,
        "nationality": "TH",
        "category": "graduate",
        "email": "somchai@example.ac.th",
        "first_stay_in_japan": True,
        **overrides,
    }


def new_participant(plan, **overrides):
    """An unsaved Participant of `plan`."""
    return Participant(plan=plan, **person_data(**overrides))


def registered(plan, **overrides):
    """A participant saved straight to the database, past every rule."""
    participant = new_participant(plan, **overrides)
    participant.save()
    return participant


def register_many(plan, count):
    return [
        registered(plan, family_name=f"PERSON{n}", given_name="Test", email=f"p{n}@example.ac.th")
        for n in range(count)
    ]
