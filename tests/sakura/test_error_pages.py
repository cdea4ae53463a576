"""Error pages in the portal's own layout and the user's language, never Django's bare ones."""

from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error


def test_page_not_found_keeps_the_layout(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in page
    assert "<title>Page not found · Sakura Exchange Portal</title>" in page
    assert f'href="{reverse("dashboard")}"' in page


def test_not_found_in_japanese(client, coordinator):
    coordinator.preferred_language = "ja"
    coordinator.save()
    client.force_login(coordinator)
    assert "ページが見つかりません" in client.get("/no-such-page/").content.decode()


def test_forbidden_page_keeps_the_layout(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("insights_dashboard"))
    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in response.content.decode()


def test_server_error_page_needs_nothing_but_static_files():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.content.decode()
