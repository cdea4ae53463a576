"""Calendar files (iCalendar): a participant's itinerary, a coordinator's deadlines."""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from applications.models import PlanState
from common.dates import JAPAN

from ..models import CalendarFeed


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", "-//Sakura Exchange Portal//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    return calendar


def itinerary_calendar(participants):
    """Every itinerary item of the participants' plans, in Japan time."""
    calendar = _calendar("Sakura Exchange")
    for participant in participants:
        plan = participant.plan
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
