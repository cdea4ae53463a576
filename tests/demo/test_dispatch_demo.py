"""The demo's course-D people: two dispatched students (kanji names, passport romanisation),
one invitee from India (Devanagari), their letters; the same rows and letters when run again."""

import pytest

from demo.dispatch import add_dispatched_participants, seed_dispatched_participants
from letters.models import Letter
from participants.models import Participant
from tests.participants.course_d import course_d_plan

pytestmark = pytest.mark.django_db


def test_demo_registers_two_dispatched_and_one_invited_with_their_letters(institution):
    plan = course_d_plan(host=institution)

    add_dispatched_participants(plan)
    seed_dispatched_participants()  # finds the same approved course-D plan: nothing new

    people = {p.family_name: p for p in Participant.objects.filter(plan=plan)}
    assert set(people) == {"SATO", "TAKAHASHI", "VERMA"}
    assert people["SATO"].native_name == "佐藤 翔太"
    assert people["SATO"].direction == Participant.Direction.DISPATCHED
    assert people["VERMA"].native_name == "अनन्या वर्मा"
    assert people["VERMA"].direction == Participant.Direction.INVITED
    kinds = sorted(Letter.objects.filter(plan=plan).values_list("kind", flat=True))
    assert kinds == ["acceptance", "dispatch", "dispatch"]
