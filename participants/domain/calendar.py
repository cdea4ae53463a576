"""Calendar files (iCalendar): a participant's itinerary, a coordinator's deadlines."""

import secrets
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_countries import countries
from icalendar import Calendar, Event

from applications.models import PlanState
from common.dates import JAPAN

from ..models import CalendarFeed
from .schedule import with_schedule


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", "-//Sakura Exchange Portal//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    return calendar


def itinerary_calendar(participants):
    """Every itinerary item of the participants' plans, in Japan time; in a plan made of
    activities (course D), the person's dispatch abroad (all-day events, with the destination)
    instead of the itinerary in Japan, and the plan's online sessions (timed, in UTC)."""
    calendar = _calendar("Sakura Exchange")
    for participant in with_schedule(participants):
        plan = participant.plan
        if participant.dispatch is not None:
            calendar.add_component(dispatch_event(participant))
        for session in participant.sessions:
            calendar.add_component(session_event(participant, session.activity))
        if participant.is_dispatched:
            continue  # the itinerary is the programme in Japan
        for item in plan.itinerary.all():
            event = Event()
            event.add("uid", f"item-{item.pk}-p{participant.pk}@sakura-exchange")
            event.add("summary", item.title_en + (f" / {item.title_ja}" if item.title_ja else ""))
            event.add("dtstart", datetime.combine(item.day, item.start_time, tzinfo=JAPAN))
            event.add("dtend", datetime.combine(item.day, item.end_time, tzinfo=JAPAN))
            if item.place:
                event.add("location", item.place)
            event.add("description", f"{plan.reference} — {item.get_kind_display()}")
            event.add("dtstamp", timezone.now())
            calendar.add_component(event)
    calendar.add_missing_timezones()  # a VTIMEZONE for Asia/Tokyo, as RFC 5545 requires
    return calendar.to_ical()


def dispatch_event(participant):
    """The days abroad as an all-day event (the end date is the day after the last, as
    RFC 5545 counts it), located at the destination."""
    activity = participant.dispatch.activity
    event = Event()
    event.add("uid", f"activity-{activity.pk}-p{participant.pk}@sakura-exchange")
    event.add(
        "summary", activity.title_en + (f" / {activity.title_ja}" if activity.title_ja else "")
    )
    event.add("dtstart", activity.starts_on)
    event.add("dtend", activity.ends_on + timedelta(days=1))
    event.add("location", destination(activity))
    event.add("description", f"{participant.plan.reference} — {activity.get_kind_display()}")
    event.add("dtstamp", timezone.now())
    return event


def destination(activity):
    """IIT Example, India: the partner and the country, as far as they are known."""
    country = countries.name(activity.country) if activity.country else ""
    partner = activity.partner.name if activity.partner else ""
    return ", ".join(part for part in (partner, country) if part)


def session_event(participant, activity):
    """An online session at its moments, written in UTC (…T080000Z for 17:00 JST), which
    every calendar app shows in its own zone."""
    event = Event()
    event.add("uid", f"activity-{activity.pk}-p{participant.pk}@sakura-exchange")
    event.add(
        "summary", activity.title_en + (f" / {activity.title_ja}" if activity.title_ja else "")
    )
    event.add("dtstart", activity.starts_at.astimezone(UTC))
    event.add("dtend", (activity.ends_at or activity.starts_at).astimezone(UTC))
    event.add("location", "Online")
    event.add("description", f"{participant.plan.reference} — {activity.get_kind_display()}")
    event.add("dtstamp", timezone.now())
    return event


def deadlines_calendar(plans):
    """Call deadlines of a coordinator's open plans."""
    calendar = _calendar("Sakura Exchange deadlines")
    for plan in plans:
        if plan.state not in PlanState.editable_states():
            continue
        event = Event()
        event.add("uid", f"deadline-{plan.pk}@sakura-exchange")
        event.add("summary", f"Deadline: {plan.reference} {plan.title}")
        event.add("dtstart", plan.call.closes_at.astimezone(JAPAN) - timedelta(minutes=30))
        event.add("dtend", plan.call.closes_at.astimezone(JAPAN))
        event.add("dtstamp", timezone.now())
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_of(user):
    """The user's current feed, made on first use."""
    feed = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    return feed or CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))


def renew_feed(user):
    """Revoke the old address (calendar apps stop getting updates) and make a new one."""
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        return CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))
