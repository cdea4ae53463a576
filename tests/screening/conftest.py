"""Fixtures for the screening tests: the fictional End User List in force."""

from datetime import date

import pytest

from screening.domain.lists import FICTIONAL_LIST, upload_list


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def end_user_list(db):
    """The shipped fictional list (five invented entities), in force."""
    return upload_list(
        FICTIONAL_LIST.name,
        FICTIONAL_LIST.read_bytes(),
        version="TEST-1",
        published_on=date(2026, 1, 1),
        by=None,
    )
