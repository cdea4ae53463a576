"""Letters on the web: public verification shows only what it must, downloads only for those
who may see the participant (or, for the host's letter, the plan)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from letters.domain.letters import issue_host_decision_letter, issue_letter
from reviews.models import Decision
from tests.participants.builders import approved_plan, registered
from tests.participants.portal_builders import signed_up

pytestmark = pytest.mark.django_db


def page(response):
    return response.content.decode()


def test_verification_of_a_current_letter_is_public_and_says_genuine(client, participant):
    letter = issue_letter(participant)

    response = client.get(reverse("letter_verify", args=[letter.reference]))

    assert response.status_code == 200
    text = page(response)
    assert "Genuine and current" in text
    assert "SAETANG Somchai" in text
    assert "10 January 2027 to 16 January 2027" in text
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_verification_shows_nothing_beyond_name_dates_and_status(client, participant):
    letter = issue_letter(participant)

    text = page(client.get(reverse("letter_verify", args=[letter.reference])))

    for private in [
        "2003-04-15",  # date of birth, in every form it could take
        "15 April 2003",
        "2003年4月15日",
        "AA1234567",  # passport number
        "1234567",
        "somchai@example.ac.th",  # email
        "สมชาย",  # native name
        "Thailand",  # nationality
    ]:
        assert private not in text, private


def test_verification_of_a_replaced_letter_names_the_newer_reference(client, participant):
    old = issue_letter(participant)
    participant.refresh_from_db()
    participant.given_name = "Somchai Narong"
    participant.save()
    new = issue_letter(participant)

    text = page(client.get(reverse("letter_verify", args=[old.reference])))

    assert "Genuine but replaced" in text
    assert new.reference in text
    # The name as printed on the old letter, which the holder compares with their copy.
    assert "SAETANG Somchai" in text
    assert "Narong" not in text


def test_verification_of_an_unknown_reference_says_not_genuine(client, participant):
    letter = issue_letter(participant)
    forged = letter.reference[:-6] + "ZZZZZZ"

    response = client.get(reverse("letter_verify", args=[forged]))

    assert response.status_code == 404
    assert "Not genuine" in page(response)


def test_participant_downloads_their_own_letter(client, participant):
    letter = issue_letter(participant)
    client.force_login(signed_up(participant))

    response = client.get(reverse("letter_download", args=[letter.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{letter.reference}.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("who", ["coordinator", "staff_user"])
def test_host_coordinators_and_staff_download_the_letter(client, participant, who, request):
    letter = issue_letter(participant)
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("letter_download", args=[letter.pk])).status_code == 200


@pytest.mark.parametrize("who", ["another_participant", "other_coordinator", "reviewer"])
def test_others_get_not_found_for_a_letter(client, participant, who, request):
    letter = issue_letter(participant)
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("letter_download", args=[letter.pk])).status_code == 404


def test_download_needs_sign_in(client, participant):
    letter = issue_letter(participant)

    response = client.get(reverse("letter_download", args=[letter.pk]))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_host_decision_letter_is_for_the_hosts_coordinators(
    client, plan, coordinator, other_coordinator, staff_user
):
    Decision.objects.create(
        plan=plan, outcome="approved", decided_by=staff_user, released_at=timezone.now()
    )
    letter = issue_host_decision_letter(plan)
    address = reverse("letter_download", args=[letter.pk])

    client.force_login(coordinator)
    assert client.get(address).status_code == 200
    client.force_login(other_coordinator)
    assert client.get(address).status_code == 404


@pytest.fixture
def another_participant(db):
    """A participant of another institution's plan, signed up."""
    other = registered(approved_plan(), email="other@example.ac.th")
    return signed_up(other)


def test_verification_accepts_a_reference_typed_in_lower_case(client, participant):
    letter = issue_letter(participant)

    response = client.get(reverse("letter_verify", args=[letter.reference.lower()]))

    assert response.status_code == 200
    assert "Genuine and current" in page(response)


@pytest.fixture
def own_cache(settings):
    """The throttle counts in the cache: this process's memory, so no other test run shares it."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.VERIFY_LETTER_PER_MINUTE = 3


def test_verification_is_throttled_per_address(client, participant, own_cache):
    letter = issue_letter(participant)
    url = reverse("letter_verify", args=[letter.reference])

    for _check in range(3):
        assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get(url, REMOTE_ADDR="203.0.113.7")

    assert refused.status_code == 429
    assert "Too many checks" in page(refused)
    assert "SAETANG" not in page(refused)
    # Another address is not held back by the first one's checks.
    assert client.get(url, REMOTE_ADDR="198.51.100.20").status_code == 200


def test_verification_answers_without_throttle_when_the_cache_is_down(
    client, participant, settings
):
    letter = issue_letter(participant)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }

    response = client.get(reverse("letter_verify", args=[letter.reference]))

    assert response.status_code == 200
    assert "Genuine and current" in page(response)
