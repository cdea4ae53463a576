"""What a participant of a plan made of activities (course D) sees of it: their own activity
(a dispatch abroad with its destination and the local time zone, or an invitation to Japan)
and the plan's online sessions, each in the partner's time and in Japan time."""

from dataclasses import dataclass

from applications.models import Activity
from common.dates import JAPAN, in_zone, utc_offset


@dataclass(frozen=True)
class Session:
    """An online session's start and end as clocks show them in the partner's zone and in
    Japan (e.g. 13:30 IST and 17:00 JST)."""

    activity: Activity
    partner_start: str
    partner_end: str
    japan_start: str
    japan_end: str

    @property
    def zone_name(self):
        return self.activity.time_zone


def session_of(activity):
    return Session(
        activity=activity,
        partner_start=in_zone(activity.starts_at, activity.zone),
        partner_end=in_zone(activity.ends_at, activity.zone),
        japan_start=in_zone(activity.starts_at, JAPAN),
        japan_end=in_zone(activity.ends_at, JAPAN),
    )


@dataclass(frozen=True)
class Dispatch:
    """A dispatch abroad as its participant sees it: the destination and the days, with the
    local zone's and Japan's offsets from UTC on the first day."""

    activity: Activity
    local_offset: str
    japan_offset: str


def dispatch_of(activity):
    zone = activity.zone
    return Dispatch(
        activity=activity,
        local_offset=utc_offset(zone, activity.starts_on) if zone else "",
        japan_offset=utc_offset(JAPAN, activity.starts_on),
    )


def activities_by_plan(participants):
    """{plan id: [activity, …]} of the plans of `participants` that are made of activities
    (those with a participant on an activity): one query, none when there are none."""
    plan_ids = {participant.plan_id for participant in participants if participant.activity_id}
    found = {}
    if not plan_ids:
        return found
    for activity in Activity.objects.filter(plan_id__in=plan_ids).select_related("partner"):
        found.setdefault(activity.plan_id, []).append(activity)
    return found


def with_schedule(participants):
    """The participants (a list), each with `sessions` (the plan's online sessions, in order)
    and `dispatch` (their dispatch abroad, or None); one query for all of them."""
    participants = list(participants)
    activities = activities_by_plan(participants)
    for participant in participants:
        plan_activities = activities.get(participant.plan_id, [])
        online = [a for a in plan_activities if a.is_online and a.starts_at]
        participant.sessions = [
            session_of(activity) for activity in sorted(online, key=lambda a: (a.starts_at, a.pk))
        ]
        own = next((a for a in plan_activities if a.pk == participant.activity_id), None)
        participant.own_activity = own
        participant.dispatch = dispatch_of(own) if own is not None and own.is_dispatch else None
    return participants
