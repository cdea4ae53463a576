"""The operator's views of participants' personal data in the admin go to the audit log.

Every export of personal data writes a `PersonalDataAccess` row (README, "Participants and
personal data"); so does every admin page that shows participants: a list (how many people
it showed), one person's page, their change history, and the deletion's confirmation page.
"""

import pytest
from django.urls import reverse

from participants.models import ParticipantChange, PersonalDataAccess
from tests.conftest import with_two_factor
from tests.factories import UserFactory

from .builders import approved_plan, register_many, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return with_two_factor(UserFactory(is_superuser=True, full_name="Operator"))


@pytest.fixture
def signed_in(client, operator):
    client.force_login(operator)
    return client


def test_admin_participant_list_is_written_to_the_audit_log(signed_in, operator):
    plan = approved_plan()
    register_many(plan, 3)
    page = signed_in.get(reverse("admin:participants_participant_changelist"), {"q": "PERSON"})
    assert page.status_code == 200
    assert "PERSON2" in page.content.decode()
    access = PersonalDataAccess.objects.get()
    assert access.actor == operator
    assert access.action == "admin_list"
    assert access.what == "participants.Participant q=PERSON"
    assert access.count == 3


def test_admin_participant_page_is_written_to_the_audit_log(signed_in, operator):
    person = registered(approved_plan())
    page = signed_in.get(reverse("admin:participants_participant_change", args=[person.pk]))
    assert page.status_code == 200
    assert "SAETANG" in page.content.decode()
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.action, access.what, access.count) == (
        operator,
        "admin_view",
        f"participants.Participant {person.pk}",
        1,
    )


@pytest.mark.parametrize("page", ["history", "delete"])
def test_admin_participant_history_and_delete_pages_are_written_to_the_audit_log(signed_in, page):
    person = registered(approved_plan())
    response = signed_in.get(reverse(f"admin:participants_participant_{page}", args=[person.pk]))
    assert response.status_code == 200
    access = PersonalDataAccess.objects.get()
    assert (access.action, access.what) == (
        f"admin_{page}",
        f"participants.Participant {person.pk}",
    )
    assert PersonalDataAccess.objects.count() == 1
    person.refresh_from_db()  # a confirmation page deletes nothing


def test_admin_change_history_of_participants_is_written_to_the_audit_log(signed_in, operator):
    person = registered(approved_plan())
    ParticipantChange.objects.create(
        participant=person,
        field="email",
        old_value="a@example.org",
        new_value="b@example.org",
        by=person.plan.lead,
    )
    page = signed_in.get(reverse("admin:participants_participantchange_changelist"))
    assert page.status_code == 200
    access = PersonalDataAccess.objects.get()
    assert (access.action, access.what, access.count) == (
        "admin_list",
        "participants.ParticipantChange",
        1,
    )


def test_admin_letters_list_is_written_to_the_audit_log(signed_in):
    assert signed_in.get(reverse("admin:letters_letter_changelist")).status_code == 200
    access = PersonalDataAccess.objects.get()
    assert (access.action, access.what, access.count) == ("admin_list", "letters.Letter", 0)


def test_admin_pages_without_personal_data_are_not_logged(signed_in):
    assert signed_in.get(reverse("admin:index")).status_code == 200
    assert signed_in.get(reverse("admin:programs_call_changelist")).status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_refused_admin_page_is_not_logged(client, coordinator):
    """A coordinator is sent to the admin's sign-in: nothing shown, nothing logged."""
    client.force_login(coordinator)
    response = client.get(reverse("admin:participants_participant_changelist"))
    assert response.status_code == 302
    assert not PersonalDataAccess.objects.exists()


def test_program_officer_views_in_the_admin_are_logged_too(client, staff_user):
    registered(approved_plan())
    client.force_login(staff_user)
    assert client.get(reverse("admin:participants_participant_changelist")).status_code == 200
    assert PersonalDataAccess.objects.get().actor == staff_user
