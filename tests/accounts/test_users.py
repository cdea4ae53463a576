import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.rules import membership_roles
from institutions.models import Membership
from sakura.roles import roles_of
from tests.factories import MembershipFactory, UserFactory
from tests.participants.builders import approved_plan, registered

pytestmark = pytest.mark.django_db


def test_create_user_signs_in_with_lowercased_email():
    user = User.objects.create_user(
        "Hanako.Sato@Example.ORG", "pw-123456789", full_name="佐藤 花子"
    )
    assert user.email == "hanako.sato@example.org"
    assert user.check_password("pw-123456789")
    assert str(user) == "佐藤 花子"


@pytest.mark.parametrize(
    ("flags", "must"),
    [
        ({}, False),
        ({"is_reviewer": True}, True),
        ({"is_staff": True}, True),
        ({"is_superuser": True}, True),
    ],
)
def test_two_factor_is_required_of_staff_reviewers_and_admins(flags, must):
    assert UserFactory(**flags).must_use_two_factor is must


def test_one_person_can_hold_several_roles(client, institution):
    professor = MembershipFactory(institution=institution, user__is_reviewer=True).user
    assert roles_of(professor) == ["coordinator", "reviewer"]


def test_a_participant_is_asked_for_only_of_a_person_without_the_programs_own_roles(
    coordinator,
):
    """Participants and nominators are people invited from abroad, holding no other role: the
    header of everyone else's pages does not ask for participations."""
    invited = UserFactory()
    registered(approved_plan(), user=invited)
    assert roles_of(User.objects.get(pk=invited.pk)) == ["participant"]
    user = User.objects.get(pk=coordinator.pk)
    with CaptureQueriesContext(connection) as queries:
        assert roles_of(user) == ["coordinator"]
    assert not any("participants_participant" in query["sql"] for query in queries)


def test_membership_roles_are_read_once_from_the_memberships_alone(coordinator, institution):
    """Every page asks for them: one query, without the joins Membership's ordering (by
    institution and name) would add to a dict that keeps no order."""
    MembershipFactory(user=coordinator, role=Membership.Role.MEMBER)
    user = User.objects.get(pk=coordinator.pk)
    with CaptureQueriesContext(connection) as queries:
        roles = membership_roles(user)
        assert membership_roles(user) is roles
    [sql] = [query["sql"] for query in queries]
    assert "JOIN" not in sql and "ORDER BY" not in sql
    assert roles[institution.pk] == Membership.Role.ADMINISTRATOR
    assert sorted(roles.values()) == [Membership.Role.ADMINISTRATOR, Membership.Role.MEMBER]
