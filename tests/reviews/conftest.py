"""Fixtures for the review tests: fast password hashing, a call with its criteria, staff."""

import pytest

from tests.conftest import with_two_factor
from tests.factories import CallFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in here: spare the many users the factories make the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def call(db):
    """An open call of the Sakura Science program."""
    return CallFactory()


@pytest.fixture
def staff(db):
    """A program officer (2FA done), who assigns reviewers and decides."""
    return with_two_factor(UserFactory(is_staff=True, full_name="Program Officer"))
