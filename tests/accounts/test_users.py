import pytest

from accounts.models import User
from tests.factories import UserFactory

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
    from sakura.roles import roles_of
    from tests.factories import MembershipFactory

    professor = MembershipFactory(institution=institution, user__is_reviewer=True).user
    assert roles_of(professor) == ["coordinator", "reviewer"]
