"""Approved plans, their participants and invitations, for the portal's view and browser tests."""

from datetime import time, timedelta

from django.utils import timezone

from applications.models import InvitationPlan, ItineraryItem
from institutions.models import hash_token
from participants.models import Participant, ParticipantInvitation
from tests.factories import PlanFactory, UserFactory

JOIN_PASSWORD = "cherry-blossom-lab-2027"


def approved_plan(**kwargs):
    """A plan of PlanFactory (arrival 2027-01-10, a 3-day itinerary) that has been approved."""
    plan = PlanFactory(**kwargs)
    InvitationPlan.objects.filter(pk=plan.pk).update(state="approved")
    plan.refresh_from_db()
    return plan


def participant_of(plan, **fields):
    values = {
        "family_name": "Srisuk",
        "given_name": "Malee",
        "date_of_birth": "2001-05-04",
        "gender": "female",
        "nationality": "TH",
        "category": "graduate",
        "email": "malee@example.ac.th",
        **fields,
    }
    return Participant.objects.create(plan=plan, **values)


def signed_up(participant, **user_fields):
    """The participant after joining: an account of their own, linked to the record."""
    user = UserFactory(email=participant.email, **user_fields)
    participant.user = user
    participant.save(update_fields=["user"])
    return user


def invitation_for(participant, token="known-token", *, language="en", expires_in=None):
    """An invitation whose emailed token is known to the test."""
    return ParticipantInvitation.objects.create(
        participant=participant,
        email=participant.email,
        token_hash=hash_token(token),
        language=language,
        invited_by=participant.plan.lead,
        expires_at=timezone.now() + (expires_in or timedelta(days=1)),
    )


def item(plan, day_offset, start, end, title_en, **fields):
    return ItineraryItem.objects.create(
        plan=plan,
        day=plan.arrival_on + timedelta(days=day_offset),
        start_time=time(*start),
        end_time=time(*end),
        kind=fields.pop("kind", "lab_work"),
        title_en=title_en,
        **fields,
    )
