"""The participant's portal: joining by the emailed link, the stay on a phone, own details only."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from applications.models import InvitationPlan
from participants.models import Participant, ParticipantChange
from tests.conftest import with_two_factor
from tests.factories import UserFactory

from .portal_builders import (
    JOIN_PASSWORD,
    approved_plan,
    invitation_for,
    participant_of,
    signed_up,
)

pytestmark = pytest.mark.django_db

JOIN = reverse("participant_join", args=["known-token"])
NOT_VALID = "This link is not valid (used or expired)"


def join_data(**changes):
    return {
        "password1": JOIN_PASSWORD,
        "password2": JOIN_PASSWORD,
        "preferred_language": "en",
        **changes,
    }


@pytest.fixture
def plan(db):
    return approved_plan()


@pytest.fixture
def participant(plan):
    return participant_of(plan)


# Joining by the emailed link


def test_join_page_speaks_the_language_of_the_invitation(client, participant):
    invitation_for(participant, language="ja")
    response = client.get(JOIN)
    assert response.status_code == 200
    assert '<html lang="ja">' in response.content.decode()
    assert response.context["form"]["preferred_language"].value() == "ja"


def test_join_sets_the_password_links_the_participant_and_signs_in(client, participant):
    invitation = invitation_for(participant)
    response = client.post(JOIN, join_data(preferred_language="ja"))
    assert response.status_code == 302
    assert response.url == reverse("participant_home")

    participant.refresh_from_db()
    user = participant.user
    assert user.email == "malee@example.ac.th"
    assert user.check_password(JOIN_PASSWORD)
    assert user.preferred_language == "ja"
    assert int(client.session[SESSION_KEY]) == user.pk
    invitation.refresh_from_db()
    assert invitation.used_at is not None

    home = client.get(reverse("participant_home"))
    assert home.status_code == 200
    assert "再生可能エネルギー材料の体験研修" in home.content.decode()


def test_join_link_works_only_once(client, participant):
    invitation_for(participant)
    assert client.post(JOIN, join_data()).status_code == 302
    client.logout()

    response = client.get(JOIN)
    assert response.status_code == 404
    assert NOT_VALID in response.content.decode()
    assert client.post(JOIN, join_data()).status_code == 404


def test_join_link_refused_after_it_expires(client, participant):
    invitation_for(participant, expires_in=timedelta(days=-1))
    response = client.get(JOIN)
    assert response.status_code == 404
    assert NOT_VALID in response.content.decode()


def test_join_link_with_unknown_token_is_not_valid(client, participant):
    invitation_for(participant)
    response = client.get(reverse("participant_join", args=["guessed-token"]))
    assert response.status_code == 404


def test_join_errors_keep_the_chosen_language(client, participant):
    invitation = invitation_for(participant, language="en")
    response = client.post(
        JOIN, join_data(password1="short", password2="different", preferred_language="ja")
    )
    assert response.status_code == 400
    page = response.content.decode()
    form = response.context["form"]
    assert form["preferred_language"].value() == "ja"
    assert '<html lang="ja">' in page
    assert "短すぎます" in page  # Django's "This password is too short", in Japanese
    assert 'class="error-summary"' in page
    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert Participant.objects.get(pk=participant.pk).user is None


def test_join_refuses_passwords_that_differ(client, participant):
    invitation_for(participant)
    response = client.post(JOIN, join_data(password2="cherry-blossom-lab-2028"))
    assert response.status_code == 400
    assert "The two passwords differ." in response.content.decode()


def test_join_while_signed_in_as_someone_else_says_so(client, participant, coordinator):
    invitation = invitation_for(participant)
    client.force_login(coordinator)
    response = client.get(JOIN)
    assert response.status_code == 403
    page = response.content.decode()
    assert "You are signed in as coordinator@example.org" in page
    assert "malee@example.ac.th" in page

    assert client.post(JOIN, join_data()).status_code == 403
    invitation.refresh_from_db()
    assert invitation.used_at is None
    coordinator.refresh_from_db()
    assert not coordinator.check_password(JOIN_PASSWORD)


def test_join_while_signed_in_with_the_invited_address_links_that_account(client, participant):
    existing = UserFactory(email="malee@example.ac.th")
    client.force_login(existing)
    invitation_for(participant)
    assert client.get(JOIN).status_code == 200
    response = client.post(JOIN, join_data())
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.user == existing
    assert int(client.session[SESSION_KEY]) == existing.pk


def test_join_by_a_reviewer_address_asks_to_sign_in_instead(client, participant):
    """Staff and reviewers use two-factor: a participant link must not reset their password."""
    UserFactory(email="malee@example.ac.th", is_reviewer=True)
    invitation = invitation_for(participant)
    response = client.post(JOIN, join_data())
    assert response.status_code == 400
    assert "Please sign in with your existing account." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert SESSION_KEY not in client.session


def test_join_by_an_account_with_two_factor_does_not_skip_it(client, participant):
    """A coordinator who is also invited as a participant still signs in with their TOTP."""
    existing = with_two_factor(UserFactory(email="malee@example.ac.th"))
    invitation_for(participant)
    response = client.post(JOIN, join_data())
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert SESSION_KEY not in client.session
    participant.refresh_from_db()
    assert participant.user == existing


# The portal page


def test_home_shows_the_stay_day_by_day(client, plan, participant):
    client.force_login(signed_up(participant))
    response = client.get(reverse("participant_home"))
    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "Hands-on training in materials for renewable energy",
        plan.host.name_en,
        "2027-01-10 (Sun)",
        "2027-01-16 (Sat)",
        "Japan time (JST)",
        "Day 1 — 2027-01-10 (Sun)",
        "Day 3 — 2027-01-12 (Tue)",
        "09:00</time>–<time",
        "Welcome lecture",
        "Lab work",
        "Site visit",
        "Tokyo",
        "田中 一郎",
        'href="tel:+81-3-1234-5678"',
        'href="mailto:contact@example.org"',
        "Your letters will appear here when they are issued.",
        reverse("participant_details", args=[participant.pk]),
        reverse("participant_calendar_download"),
        reverse("participant_calendar"),
    ]:
        assert text in page, text
    assert "<table" not in page  # a list per day reads better on a phone


def test_home_in_japanese_shows_the_japanese_titles(client, plan, participant):
    client.force_login(signed_up(participant, preferred_language="ja"))
    page = client.get(reverse("participant_home")).content.decode()
    assert "再生可能エネルギー材料の体験研修" in page
    assert '<p class="item-title" lang="ja">講義</p>' in page
    assert "Welcome lecture" not in page
    assert '<html lang="ja">' in page


def test_home_lists_every_participation_with_its_itinerary(client, participant):
    user = signed_up(participant)
    later = approved_plan(title_en="Marine biology field course")
    InvitationPlan.objects.filter(pk=later.pk).update(
        arrival_on=participant.plan.arrival_on + timedelta(days=60)
    )
    participant_of(later, user=user)
    client.force_login(user)
    page = client.get(reverse("participant_home")).content.decode()
    assert page.index("Hands-on training") < page.index("Marine biology field course")
    assert page.count("Welcome lecture") == 2


def test_home_query_count_does_not_grow_with_participations(
    client, participant, django_assert_num_queries
):
    user = signed_up(participant)
    client.force_login(user)
    with django_assert_num_queries(6):
        assert client.get(reverse("participant_home")).status_code == 200
    for _ in range(2):
        participant_of(approved_plan(), user=user)
    with django_assert_num_queries(6):
        assert client.get(reverse("participant_home")).status_code == 200


def test_home_needs_sign_in(client, participant):
    response = client.get(reverse("participant_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["coordinator", "reviewer", "staff_user"])
def test_home_refused_to_people_who_are_not_participants(client, request, participant, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("participant_home")).status_code == 403


# Correcting one's own details


def details_data(**changes):
    return {
        "phone": "+66-81-234-5678",
        "email": "malee.srisuk@example.ac.th",
        "dietary_needs": "Vegetarian",
        "accessibility_needs": "",
        **changes,
    }


def test_details_form_offers_only_contact_fields(client, participant):
    client.force_login(signed_up(participant))
    response = client.get(reverse("participant_details", args=[participant.pk]))
    assert response.status_code == 200
    assert list(response.context["form"].fields) == [
        "phone",
        "email",
        "dietary_needs",
        "accessibility_needs",
    ]


def test_details_saves_contact_fields_and_ignores_passport_fields(client, participant):
    client.force_login(signed_up(participant))
    response = client.post(
        reverse("participant_details", args=[participant.pk]),
        details_data(
            family_name="Changed", nationality="JP", date_of_birth="1990-01-01", category="escort"
        ),
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.phone == "+66-81-234-5678"
    assert participant.email == "malee.srisuk@example.ac.th"
    assert participant.dietary_needs == "Vegetarian"
    assert participant.family_name == "Srisuk"
    assert participant.nationality == "TH"
    assert str(participant.date_of_birth) == "2001-05-04"
    assert participant.category == "graduate"
    assert not ParticipantChange.objects.exists()  # letters are not issued yet


def test_details_after_letters_are_issued_records_each_change(client, participant):
    Participant.objects.filter(pk=participant.pk).update(letters_issued_at=timezone.now())
    user = signed_up(participant)
    client.force_login(user)
    client.post(
        reverse("participant_details", args=[participant.pk]),
        details_data(email=participant.email),
    )
    changes = {change.field: change for change in ParticipantChange.objects.all()}
    assert set(changes) == {"phone", "dietary_needs"}
    assert changes["dietary_needs"].new_value == "Vegetarian"
    assert changes["phone"].by == user


def test_details_with_a_bad_email_show_the_error(client, participant):
    client.force_login(signed_up(participant))
    response = client.post(
        reverse("participant_details", args=[participant.pk]), details_data(email="not-an-email")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    participant.refresh_from_db()
    assert participant.phone == ""


def test_details_of_another_participant_are_not_found(client, plan, participant):
    other = participant_of(plan, family_name="Nguyen", email="an@example.edu.vn")
    signed_up(other)
    client.force_login(signed_up(participant))
    url = reverse("participant_details", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, details_data()).status_code == 404
    other.refresh_from_db()
    assert other.phone == ""


def test_details_are_not_found_for_the_host_coordinator(client, plan, participant):
    """Coordinators edit participants on their own pages; the portal is the participant's."""
    client.force_login(plan.lead)
    assert client.get(reverse("participant_details", args=[participant.pk])).status_code == 404
