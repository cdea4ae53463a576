"""Calendars: the itinerary in Japan time, a secret subscription address, deadlines."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from participants.models import CalendarFeed
from tests.factories import CallFactory, PlanFactory

from .portal_builders import approved_plan, item, participant_of, signed_up

pytestmark = pytest.mark.django_db

JAPAN = ZoneInfo("Asia/Tokyo")


def events_of(response):
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def participant(db):
    plan = approved_plan(complete=False)
    item(
        plan,
        1,
        (9, 30),
        (11, 0),
        "Clean-room visit",
        title_ja="クリーンルーム見学",
        place="Tsukuba Innovation Arena",
    )
    item(plan, 2, (14, 0), (16, 30), "Poster session", kind="student_exchange")
    return participant_of(plan)


@pytest.fixture
def user(participant):
    return signed_up(participant)


def test_download_has_each_itinerary_item_in_japan_time(client, user):
    client.force_login(user)
    response = client.get(reverse("participant_calendar_download"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="sakura-exchange.ics"'

    events = events_of(response)
    assert set(events) == {"Clean-room visit / クリーンルーム見学", "Poster session"}
    visit = events["Clean-room visit / クリーンルーム見学"]
    start = visit.decoded("DTSTART")
    assert start == datetime(2027, 1, 11, 9, 30, tzinfo=JAPAN)  # 09:30 JST
    assert start.tzinfo.key == "Asia/Tokyo"
    assert visit.decoded("DTEND") == datetime(2027, 1, 11, 11, 0, tzinfo=JAPAN)
    assert str(visit["LOCATION"]) == "Tsukuba Innovation Arena"
    session = events["Poster session"]
    assert session.decoded("DTSTART") == datetime(2027, 1, 12, 14, 0, tzinfo=JAPAN)
    assert "LOCATION" not in session


def test_download_holds_only_my_own_itinerary(client, participant, user):
    stranger_plan = approved_plan(complete=False)
    item(stranger_plan, 0, (10, 0), (11, 0), "Someone else's lecture")
    signed_up(participant_of(stranger_plan, email="an@example.edu.vn"))
    client.force_login(user)
    events = events_of(client.get(reverse("participant_calendar_download")))
    assert "Someone else's lecture" not in events


@pytest.mark.parametrize("name", ["participant_calendar_download", "participant_calendar"])
def test_calendar_pages_refused_to_non_participants(client, coordinator, name):
    client.force_login(coordinator)
    assert client.get(reverse(name)).status_code == 403


def test_calendar_page_shows_the_subscription_address(client, user):
    client.force_login(user)
    response = client.get(reverse("participant_calendar"))
    assert response.status_code == 200
    feed = CalendarFeed.objects.get(user=user)
    address = f"http://testserver/calendar/{feed.token}.ics"
    assert response.context["feed_url"] == address
    page = response.content.decode()
    assert f'value="{address}"' in page
    assert f'href="webcal://testserver/calendar/{feed.token}.ics"' in page
    # Opening the page again shows the same address
    assert client.get(reverse("participant_calendar")).context["feed_url"] == address


def test_feed_works_without_sign_in(client, user):
    feed = CalendarFeed.objects.create(user=user, token="secret-feed-token")
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert "no-cache" in response["Cache-Control"]
    events = events_of(response)
    assert events["Poster session"].decoded("DTSTART") == datetime(2027, 1, 12, 14, tzinfo=JAPAN)


def test_new_address_stops_the_old_one(client, user):
    client.force_login(user)
    old = client.get(reverse("participant_calendar")).context["feed_url"]
    response = client.post(reverse("participant_calendar"))
    assert response.status_code == 302
    new = client.get(reverse("participant_calendar")).context["feed_url"]
    assert new != old

    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_feed_with_unknown_token_is_not_found(client, user):
    CalendarFeed.objects.create(user=user, token="secret-feed-token")
    assert client.get(reverse("calendar_feed", args=["guessed-token"])).status_code == 404


def test_feed_of_a_deactivated_account_is_not_found(client, user):
    feed = CalendarFeed.objects.create(user=user, token="secret-feed-token")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 404


def test_coordinator_deadlines_have_the_calls_closing_time(client, institution, coordinator):
    closes_at = datetime(2026, 12, 1, 17, 0, tzinfo=JAPAN)
    call = CallFactory(closes_at=closes_at, opens_at=closes_at - timedelta(days=30))
    mine = PlanFactory(call=call, host=institution, title_en="Solar cells")
    theirs = PlanFactory(call=call, title_en="Another host's plan")
    client.force_login(coordinator)

    response = client.get(reverse("coordinator_deadlines_ics"))
    assert response.status_code == 200
    events = events_of(response)
    assert list(events) == [f"Deadline: {mine.reference} Solar cells"]
    deadline = events[f"Deadline: {mine.reference} Solar cells"]
    assert deadline.decoded("DTEND") == closes_at
    assert deadline.decoded("DTEND").tzinfo.key == "Asia/Tokyo"
    assert theirs.reference not in response.content.decode()


def test_coordinator_deadlines_refused_to_participants(client, user):
    client.force_login(user)
    assert client.get(reverse("coordinator_deadlines_ics")).status_code == 403


def test_feed_query_count_does_not_grow_with_participations(
    client, user, django_assert_num_queries
):
    feed = CalendarFeed.objects.create(user=user, token="secret-feed-token")
    url = reverse("calendar_feed", args=[feed.token])
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    for _ in range(2):
        participant_of(approved_plan(), user=user)
    with django_assert_num_queries(4):
        response = client.get(url)
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 2 + 2 * 3
