"""Second-factor codes cannot be guessed: wrong codes are failed sign-ins in the sign-in
records (django-axes), and once a person has entered SECOND_FACTOR_FAILURE_LIMIT wrong codes
within AXES_COOLOFF (from any address), or an address has sent
SECOND_FACTOR_ADDRESS_FAILURE_LIMIT wrong codes (for anyone), even the right code is refused
until the cool-off is over, and the page says until when.

Locking the person and not only the address is deliberate: whoever reaches the code page
already has the password, and could otherwise try codes from many addresses. A signed-in
success starts the person's count again."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.urls import reverse

from tests.conftest import TOTP_SECRET, totp_code, with_two_factor
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HOME = "203.0.113.5"
ELSEWHERE = "198.51.100.9"


def wrong_code():
    """A code that is valid in none of the steps the tolerance accepts."""
    step = int(time.time()) // 30
    valid = {format_hotp_value(hotp_value(TOTP_SECRET, step + n)) for n in (-2, -1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222") if code not in valid)


def sign_in(client, user, address, **headers):
    """The password step: afterwards the portal asks for the code."""
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        REMOTE_ADDR=address,
        **headers,
    )
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")


def enter_code(client, code, address, **headers):
    return client.post(reverse("mfa_authenticate"), {"code": code}, REMOTE_ADDR=address, **headers)


def is_signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def limits(settings):
    settings.SECOND_FACTOR_FAILURE_LIMIT = 5
    settings.SECOND_FACTOR_ADDRESS_FAILURE_LIMIT = 8
    settings.AXES_FAILURE_LIMIT = 5
    return settings


def test_right_code_is_refused_after_five_wrong_codes(client, staff_user, limits):
    sign_in(client, staff_user, HOME)
    for _guess in range(5):
        enter_code(client, wrong_code(), HOME)

    response = enter_code(client, totp_code(), HOME)

    assert not is_signed_in(client)
    text = response.content.decode()
    assert "Too many wrong codes" in text
    assert "30 minutes" in text  # AXES_COOLOFF_MINUTES, the default
    assert "JST" in text


def test_four_wrong_codes_do_not_lock(client, staff_user, limits):
    sign_in(client, staff_user, HOME)
    for _guess in range(4):
        enter_code(client, wrong_code(), HOME)

    response = enter_code(client, totp_code(), HOME)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_the_lock_follows_the_person_to_another_address(client, staff_user, limits):
    sign_in(client, staff_user, HOME)
    for _guess in range(5):
        enter_code(client, wrong_code(), HOME)

    elsewhere = Client()
    sign_in(elsewhere, staff_user, ELSEWHERE)  # the password still works from there
    response = enter_code(elsewhere, totp_code(), ELSEWHERE)

    assert not is_signed_in(elsewhere)
    assert "Too many wrong codes" in response.content.decode()


def test_another_person_at_the_same_address_is_not_locked(client, limits):
    officer, colleague = (with_two_factor(UserFactory(is_staff=True)) for _ in range(2))
    sign_in(client, officer, HOME)
    for _guess in range(5):
        enter_code(client, wrong_code(), HOME)

    other = Client()
    sign_in(other, colleague, HOME)
    enter_code(other, totp_code(), HOME)

    assert is_signed_in(other)


def test_an_address_guessing_for_many_people_is_locked_for_everyone(limits):
    people = [with_two_factor(UserFactory(is_staff=True)) for _ in range(3)]
    for person in people:  # 3 + 3 + 2 = 8 wrong codes from one address
        guesser = Client()
        sign_in(guesser, person, HOME)
        for _guess in range(3 if person != people[-1] else 2):
            enter_code(guesser, wrong_code(), HOME)

    newcomer = with_two_factor(UserFactory(is_staff=True))
    at_home = Client()
    sign_in(at_home, newcomer, HOME)
    response = enter_code(at_home, totp_code(), HOME)
    assert not is_signed_in(at_home)
    assert "Too many wrong codes from your network address" in response.content.decode()

    # The same person from another address is not held back by this address's guesses.
    elsewhere = Client()
    sign_in(elsewhere, newcomer, ELSEWHERE)
    enter_code(elsewhere, totp_code(), ELSEWHERE)
    assert is_signed_in(elsewhere)


def test_wrong_codes_are_in_the_sign_in_records(client, staff_user, limits):
    sign_in(client, staff_user, HOME)
    enter_code(client, wrong_code(), HOME)
    enter_code(client, wrong_code(), HOME)

    failures = AccessFailureLog.objects.filter(username=staff_user.email, ip_address=HOME)
    assert failures.count() == 2
    assert {failure.path_info for failure in failures} == {reverse("mfa_authenticate")}
    attempt = AccessAttempt.objects.get(username=staff_user.email, ip_address=HOME)
    assert attempt.failures_since_start == 2
    assert wrong_code() not in attempt.post_data  # the code tried is not kept


def test_a_successful_sign_in_starts_the_count_again(client, staff_user, limits):
    sign_in(client, staff_user, HOME)
    for _guess in range(4):
        enter_code(client, wrong_code(), HOME)
    enter_code(client, totp_code(), HOME)
    assert is_signed_in(client)
    client.post(reverse("account_logout"))

    sign_in(client, staff_user, HOME)
    enter_code(client, wrong_code(), HOME)
    # allauth refuses a code used once already; the next step's code is accepted.
    next_code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30 + 1))
    enter_code(client, next_code, HOME)

    assert is_signed_in(client)


def test_the_lock_is_explained_in_japanese(client, staff_user, limits):
    sign_in(client, staff_user, HOME, HTTP_ACCEPT_LANGUAGE="ja")
    for _guess in range(5):
        enter_code(client, wrong_code(), HOME, HTTP_ACCEPT_LANGUAGE="ja")

    response = enter_code(client, totp_code(), HOME, HTTP_ACCEPT_LANGUAGE="ja")

    assert "確認コードの誤りが多すぎます" in response.content.decode()


def test_confirming_who_you_are_is_limited_too(client, staff_user, limits):
    """Signed in, a sensitive change asks for the code again: the same lock applies."""
    client.force_login(staff_user)
    for _guess in range(5):
        client.post(reverse("mfa_reauthenticate"), {"code": wrong_code()}, REMOTE_ADDR=HOME)

    response = client.post(reverse("mfa_reauthenticate"), {"code": totp_code()}, REMOTE_ADDR=HOME)

    assert response.status_code != 302
    assert "Too many wrong codes" in response.content.decode()
