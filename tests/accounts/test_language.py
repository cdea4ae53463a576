"""The portal speaks Japanese and English; a signed-in user's choice is remembered."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_switching_language_is_saved_on_the_user(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("set_language"), {"language": "ja", "next": reverse("coordinator_dashboard")}
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.preferred_language == "ja"

    page = client.get(reverse("coordinator_dashboard")).content.decode()
    assert '<html lang="ja">' in page
    assert "ログアウト" in page  # "Sign out"


def test_anonymous_visitor_can_switch_language(client):
    client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    assert '<html lang="ja">' in client.get("/").content.decode()


def test_unknown_language_is_ignored(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    coordinator.refresh_from_db()
    assert coordinator.preferred_language == "en"


def test_profile_form_keeps_input_and_shows_errors(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("profile"), {"full_name": "", "preferred_language": "ja"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "full_name" in form.errors
    assert form["preferred_language"].value() == "ja"


@pytest.mark.parametrize(
    ("language", "browser", "expected", "not_expected"),
    [
        ("ja", "en", "としてログインしました", "Successfully signed in"),
        ("en", "ja", "Successfully signed in as", "としてログインしました"),
    ],
)
def test_the_sign_in_message_is_in_the_users_own_language(
    client, coordinator, language, browser, expected, not_expected
):
    coordinator.preferred_language = language
    coordinator.save()
    response = client.post(
        reverse("account_login"),
        {"login": coordinator.email, "password": PASSWORD},
        headers={"accept-language": browser},
        follow=True,
    )
    shown = " ".join(str(message) for message in response.context["messages"])
    assert expected in shown
    assert not_expected not in shown


def test_the_sign_out_message_is_in_the_users_own_language(client, coordinator):
    coordinator.preferred_language = "ja"
    coordinator.save()
    client.force_login(coordinator)
    response = client.post(
        reverse("account_logout"), headers={"accept-language": "en"}, follow=True
    )
    shown = " ".join(str(message) for message in response.context["messages"])
    assert "ログアウトしました" in shown
