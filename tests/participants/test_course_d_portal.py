"""A course-D participant's portal and calendar: a dispatched participant sees the dispatch
abroad (destination, days, the local time zone beside Japan's) and the online sessions in the
partner's time and in Japan time; an invitee sees their invitation's dates and itinerary.

Hand-written times (the plan's sessions are at 17:00-19:00 JST): India is UTC+05:30 all year,
so 17:00 JST on 28 January 2027 is 13:30 IST; Egypt keeps summer time from the last Friday
of April only, so on 1 March 2027 it is on UTC+02:00 (EET) and 17:00 JST is 10:00 EET. In UTC
(what the calendar file says) 17:00 JST is 08:00Z.
"""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from applications.models import Activity
from common.dates import in_zone
from participants.models import CalendarFeed

from .course_d import course_d_plan, dispatched, invited
from .portal_builders import signed_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(institution):
    return course_d_plan(host=institution)


@pytest.fixture
def traveller(plan):
    participant = dispatched(plan)
    signed_up(participant)
    return participant


@pytest.fixture
def invitee(plan):
    participant = invited(plan)
    signed_up(participant)
    return participant


def text_of(response):
    return " ".join(response.content.decode().split())


def events_of(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_session_times_in_kolkata_and_cairo():
    # Independent of the portal: the zone rules themselves.
    india = Activity(time_zone="Asia/Kolkata")
    egypt = Activity(time_zone="Africa/Cairo")
    assert in_zone(datetime(2027, 1, 28, 8, 0, tzinfo=UTC), india.zone) == "2027-01-28 13:30 IST"
    assert in_zone(datetime(2027, 3, 1, 8, 0, tzinfo=UTC), egypt.zone) == "2027-03-01 10:00 EET"
    # Cairo in summer time: 17:00 JST on 1 July 2027 is 11:00 EEST.
    assert in_zone(datetime(2027, 7, 1, 8, 0, tzinfo=UTC), egypt.zone) == "2027-07-01 11:00 EEST"


def test_dispatched_portal_shows_the_dispatch_in_its_local_zone(client, traveller):
    client.force_login(traveller.user)

    text = text_of(client.get(reverse("participant_home")))

    assert "Field study at IIT Example" in text
    assert "IIT Example, India" in text
    assert "2027-02-08" in text
    assert "2027-02-17" in text
    assert "Asia/Kolkata (UTC+05:30); Japan time (JST) is UTC+09:00" in text
    # The itinerary is the programme in Japan, not theirs.
    assert "Welcome lecture" not in text


def test_portal_shows_each_online_session_in_both_zones(client, traveller):
    client.force_login(traveller.user)

    text = text_of(client.get(reverse("participant_home")))

    assert "2027-01-28 13:30 IST to 2027-01-28 15:30 IST (Asia/Kolkata)" in text
    assert "2027-01-28 17:00 JST to 2027-01-28 19:00 JST (Japan time)" in text
    assert "2027-03-01 10:00 EET to 2027-03-01 12:00 EET (Africa/Cairo)" in text
    assert "2027-03-01 17:00 JST to 2027-03-01 19:00 JST (Japan time)" in text


def test_invitee_portal_shows_the_invitation_dates_and_itinerary(client, invitee):
    client.force_login(invitee.user)

    text = text_of(client.get(reverse("participant_home")))

    assert "Water lab training in Japan" in text
    assert "2027-01-12" in text
    assert "2027-01-21" in text
    assert "2027-03-01 (" not in text, "not the plan's year-long span"
    assert "Welcome lecture" in text
    assert "2027-01-28 13:30 IST" in text


def test_calendar_has_the_dispatch_as_all_day_events_and_sessions_in_utc(client, traveller):
    client.force_login(traveller.user)

    events = events_of(client.get(reverse("participant_calendar_download")))

    dispatch = events["Field study at IIT Example / IIT Exampleでの現地研修"]
    assert dispatch.decoded("DTSTART") == date(2027, 2, 8)
    assert dispatch.decoded("DTEND") == date(2027, 2, 18)  # the day after the last
    assert str(dispatch["LOCATION"]) == "IIT Example, India"
    first = events["Online seminar 1 / オンラインセミナー1"]
    assert first["DTSTART"].to_ical() == b"20270128T080000Z"
    assert first["DTEND"].to_ical() == b"20270128T100000Z"
    second = events["Online seminar 2 / オンラインセミナー2"]
    assert second["DTSTART"].to_ical() == b"20270301T080000Z"
    assert "Welcome lecture / 講義" not in events


def test_invitee_calendar_has_the_itinerary_and_the_sessions(client, invitee):
    client.force_login(invitee.user)

    events = events_of(client.get(reverse("participant_calendar_download")))

    assert "Welcome lecture / 講義" in events
    assert "Online seminar 1 / オンラインセミナー1" in events
    assert "Field study at IIT Example / IIT Exampleでの現地研修" not in events


def test_feed_of_a_course_d_participant_adds_one_query(
    client, traveller, django_assert_num_queries
):
    feed = CalendarFeed.objects.create(user=traveller.user, token="course-d-feed")

    # The feed's own 4 queries, and the plan's activities read once.
    with django_assert_num_queries(5):
        assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 200
