"""Letters where people look for them: the participant's portal, the host's participant list;
staff issue a plan's letters; a late correction brings the letter up to date."""

import pytest
from django.urls import reverse

from letters.domain.letters import issue_letter
from letters.models import Letter
from participants.domain.registry import save_participant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_portal_and_participant_list_link_the_current_letter(client, participant, coordinator):
    letter = issue_letter(participant)
    user = UserFactory(email=participant.email)
    participant.user = user
    participant.save()
    client.force_login(user)
    portal = client.get(reverse("participant_home")).content.decode()
    assert reverse("letter_download", args=[letter.pk]) in portal

    client.force_login(coordinator)
    listing = client.get(reverse("participant_list", args=[participant.plan_id])).content.decode()
    assert reverse("letter_download", args=[letter.pk]) in listing


def test_staff_issue_the_letters_of_a_plan(
    client, participant, staff_user, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    url = reverse("plan_letters_issue", args=[participant.plan_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert Letter.objects.filter(participant=participant, status="current").count() == 1


def test_coordinators_cannot_issue_letters(client, participant, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("plan_letters_issue", args=[participant.plan_id]))
    assert response.status_code == 403
    assert not Letter.objects.exists()


def test_a_late_correction_issues_a_new_version(
    participant, coordinator, eager_tasks, django_capture_on_commit_callbacks
):
    first = issue_letter(participant)
    participant.refresh_from_db()
    participant.given_name = "Somchai Jr."
    with django_capture_on_commit_callbacks(execute=True):
        save_participant(participant, by=coordinator)
    first.refresh_from_db()
    assert first.status == Letter.Status.REPLACED
    newest = Letter.objects.get(participant=participant, status=Letter.Status.CURRENT)
    assert newest.version == first.version + 1
