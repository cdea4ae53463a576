"""Staff select among the nominations: each selected candidate becomes a participant exactly
once, never beyond the plan's places; closing the round tells the others."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse

from applications.models import InvitationPlan
from letters.models import Letter
from nominations.domain.selection import close_nominations, select_nominations
from nominations.models import Nomination
from notifications.models import Notification
from participants.models import Participant

from .conftest import make_nomination

pytestmark = pytest.mark.django_db

PLACES = 5  # the direct plan's planned invitees: 4 graduates and an escort


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_selection_makes_each_candidate_a_participant_with_their_data(
    direct_plan, body, nominator, staff_user, django_capture_on_commit_callbacks
):
    nomination = make_nomination(direct_plan, body)
    with django_capture_on_commit_callbacks(execute=True):
        created = select_nominations(direct_plan, [nomination], by=staff_user)

    participant = Participant.objects.get(plan=direct_plan)
    assert created == [participant]
    assert (participant.family_name, participant.given_name, participant.email) == (
        "SUKSAWAT",
        "Niran",
        "niran@example.org",
    )
    assert participant.native_name == "นิรันดร์ สุขสวัสดิ์"
    assert participant.direction == Participant.Direction.INVITED
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SELECTED
    assert nomination.participant == participant
    assert nomination.decided_by == staff_user
    # The letters pipeline issues the acceptance letter, as for any participant.
    assert Letter.objects.filter(participant=participant, kind=Letter.Kind.ACCEPTANCE).exists()
    # The nominator hears of it.
    notice = Notification.objects.get(kind=Notification.Kind.NOMINATIONS_DECIDED)
    assert notice.recipient == nominator
    assert "SUKSAWAT Niran: Selected" in notice.body


def test_pressing_select_twice_creates_one_participant(direct_plan, body, nominator, staff_user):
    nomination = make_nomination(direct_plan, body)
    select_nominations(direct_plan, [nomination], by=staff_user)
    assert select_nominations(direct_plan, [nomination], by=staff_user) == []
    assert Participant.objects.filter(plan=direct_plan).count() == 1


def test_double_post_of_the_selection_creates_one_participant(
    client, direct_plan, body, nominator, staff_user
):
    nomination = make_nomination(direct_plan, body)
    client.force_login(staff_user)
    url = reverse("direct_plan_nominations", args=[direct_plan.pk])
    for _press in range(2):
        response = client.post(url, {"nominations": [nomination.pk], "action": "select"})
        assert response.status_code == 302
    assert Participant.objects.filter(plan=direct_plan).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_selections_at_once_create_one_participant(direct_plan, body, nominator, staff_user):
    nomination = make_nomination(direct_plan, body)
    outcome = {}

    def second_selection():
        try:
            outcome["created"] = select_nominations(direct_plan, [nomination], by=staff_user)
        finally:
            connection.close()

    with transaction.atomic():
        first = select_nominations(direct_plan, [nomination], by=staff_user)
        second = threading.Thread(target=second_selection)
        second.start()
        second.join(timeout=1)
        assert second.is_alive(), "the second selection did not wait for the first"
    second.join(timeout=20)

    assert len(first) == 1
    assert outcome["created"] == []
    assert Participant.objects.filter(plan=direct_plan).count() == 1


def test_selection_beyond_the_plans_places_is_refused_whole(
    direct_plan, body, nominator, staff_user
):
    nominations = [
        make_nomination(direct_plan, body, family_name=f"CANDIDATE{'ABCDEF'[i]}")
        for i in range(PLACES + 1)
    ]
    with pytest.raises(ValidationError, match="select at most 5"):
        select_nominations(direct_plan, nominations, by=staff_user)
    assert not Participant.objects.filter(plan=direct_plan).exists()
    assert not Nomination.objects.filter(status=Nomination.Status.SELECTED).exists()


def test_only_staff_select(direct_plan, body, nominator, coordinator):
    nomination = make_nomination(direct_plan, body)
    for person in (coordinator, nominator):
        with pytest.raises(PermissionDenied):
            select_nominations(direct_plan, [nomination], by=person)
    assert not Participant.objects.exists()


def test_closing_the_round_marks_the_others_not_selected(direct_plan, body, nominator, staff_user):
    chosen = make_nomination(direct_plan, body)
    other = make_nomination(direct_plan, body, family_name="KAEWTA", email="k@example.org")
    select_nominations(direct_plan, [chosen], by=staff_user)
    close_nominations(direct_plan, by=staff_user)

    other.refresh_from_db()
    assert other.status == Nomination.Status.NOT_SELECTED
    plan = InvitationPlan.objects.get(pk=direct_plan.pk)
    assert not plan.nomination_round.is_open
    assert not nominator.has_perm("nominations.nominate", plan)
    last = Notification.objects.filter(kind=Notification.Kind.NOMINATIONS_DECIDED).latest("pk")
    assert "KAEWTA Niran: Not selected" in last.body
