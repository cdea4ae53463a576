"""A plan made of activities (course D): saving and removing its activities, the stay they
span, and an online session's time in Japan and where the partner is."""

import zoneinfo
from datetime import date, datetime
from functools import cache
from importlib import resources

from django.db.models import Max, Min
from django.utils.translation import gettext as _

from common.countries import country_name
from common.dates import JAPAN

from ..models import Activity, InvitationPlan
from .editing import editing


def fiscal_year_span(fiscal_year):
    """The fiscal year's first and last day: 1 April to 31 March of the next year."""
    return date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31)


def save_activity(plan, activity, *, by, expected_version):
    """Save `activity` (new or changed) as one edit of `plan`.

    Side effects: the activity's country follows its partner institution; the plan's
    arrival and departure become the span of its activities (`keep_stay_span`); the plan's
    version goes up (`editing`). Raises what `editing` raises.
    """
    with editing(plan, by=by, expected_version=expected_version) as locked:
        activity.plan = locked
        if activity.partner_id:
            activity.country = activity.partner.country
        if activity.pk is None:
            activity.position = (locked.activities.aggregate(last=Max("position"))["last"] or 0) + 1
        activity.save()
        keep_stay_span(locked)
    plan.arrival_on, plan.departure_on = locked.arrival_on, locked.departure_on
    return activity


def remove_activity(activity, *, by, expected_version):
    """Remove `activity` and its budget lines; the plan's stay becomes the span of the rest."""
    plan = activity.plan
    with editing(plan, by=by, expected_version=expected_version) as locked:
        activity.delete()
        keep_stay_span(locked)
    plan.arrival_on, plan.departure_on = locked.arrival_on, locked.departure_on


def keep_stay_span(plan):
    """Set the plan's arrival and departure to the first and last day of its activities
    (none: no dates), so that stay rules, reminders and reports read the year as one span."""
    span = plan.activities.aggregate(first=Min("starts_on"), last=Max("ends_on"))
    plan.arrival_on, plan.departure_on = span["first"], span["last"]
    InvitationPlan.objects.filter(pk=plan.pk).update(
        arrival_on=plan.arrival_on, departure_on=plan.departure_on
    )


def zone_name(moment):
    """The zone's own abbreviation at that moment (IST, EET, EEST), or its UTC offset where
    the zone has none (tzdata writes those as "+03")."""
    name = moment.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def session_times(starts_at, ends_at, time_zone=""):
    """An online session as "17:00–19:00 JST (13:30–15:30 IST)": Japan time, then the
    partner's (with the partner's date where it is another day than in Japan)."""
    if not (starts_at and ends_at):
        return ""
    start, end = starts_at.astimezone(JAPAN), ends_at.astimezone(JAPAN)
    text = f"{start:%H:%M}–{end:%H:%M} JST"
    zone = zone_or_none(time_zone)
    if zone is None:
        return text
    there_start, there_end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    day = f"{there_start:%Y-%m-%d} " if there_start.date() != start.date() else ""
    return f"{text} ({day}{there_start:%H:%M}–{there_end:%H:%M} {zone_name(there_start)})"


def activity_when(activity):
    """An activity's dates as shown on pages: days for a visit, day and both times for an
    online session."""
    if activity.is_online and activity.starts_at and activity.ends_at:
        day = activity.starts_at.astimezone(JAPAN).date()
        times = session_times(activity.starts_at, activity.ends_at, activity.time_zone)
        return f"{day:%Y-%m-%d} {times}"
    if activity.starts_on == activity.ends_on:
        return f"{activity.starts_on:%Y-%m-%d}"
    return f"{activity.starts_on:%Y-%m-%d} – {activity.ends_on:%Y-%m-%d}"


def zone_or_none(name):
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


@cache
def zones_by_country():
    """{country code: [IANA zone]}, from the tz database's own table (zone.tab in tzdata)."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text()
    zones = {}
    for line in table.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _coordinates, name, *_comment = line.split("\t")
        zones.setdefault(code, []).append(name)
    return zones


def country_zone(code):
    """The time zone of a country that has only one (IN → Asia/Kolkata), else ""."""
    zones = zones_by_country().get(code or "", [])
    return zones[0] if len(zones) == 1 else ""


@cache
def time_zone_names():
    return sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})


def activities_with_budget(plan):
    """The plan's activities with their partner and budget lines (two queries), each with
    `budget_jpy`, the sum of its lines, and `when`, its dates as shown."""
    activities = list(plan.activities.select_related("partner").prefetch_related("budget"))
    for activity in activities:
        activity.budget_jpy = sum(line.amount_jpy for line in activity.budget.all())
        activity.when = activity_when(activity)
    return activities


def activities_as_data(plan):
    """The plan's activities as JSON-able data for a frozen version (kinds and countries as
    codes; moments in ISO form with their zone), each with the sum of its budget lines."""
    return [
        {
            "kind": activity.kind,
            "title_en": activity.title_en,
            "title_ja": activity.title_ja,
            "starts_on": activity.starts_on.isoformat(),
            "ends_on": activity.ends_on.isoformat(),
            "starts_at": activity.starts_at.isoformat() if activity.starts_at else "",
            "ends_at": activity.ends_at.isoformat() if activity.ends_at else "",
            "time_zone": activity.time_zone,
            "country": activity.country.code if activity.country else "",
            "partner": activity.partner.name if activity.partner else "",
            "people": activity.people,
            "budget_jpy": activity.budget_jpy,
        }
        for activity in activities_with_budget(plan)
    ]


def activities_as_rows(data):
    """Frozen activities as lines in the reader's language ({} for a plan without any), so
    that a version's page lists them and "What changed" names an activity added, removed or
    changed."""
    if not data:
        return {}
    kinds = dict(Activity.Kind.choices)
    lines = []
    for item in data:
        if item["starts_at"] and item["ends_at"]:
            starts_at = datetime.fromisoformat(item["starts_at"])
            times = session_times(
                starts_at, datetime.fromisoformat(item["ends_at"]), item["time_zone"]
            )
            when = f"{starts_at.astimezone(JAPAN):%Y-%m-%d} {times}"
        elif item["starts_on"] == item["ends_on"]:
            when = item["starts_on"]
        else:
            when = f"{item['starts_on']} – {item['ends_on']}"
        title = item["title_en"] + (f" / {item['title_ja']}" if item["title_ja"] else "")
        where = item["partner"] or ""
        if item["country"]:
            where = (
                f"{where} ({country_name(item['country'])})"
                if where
                else country_name(item["country"])
            )
        lines.append(
            _("[%(kind)s] %(title)s: %(when)s; %(people)s people; %(where)s; ¥%(budget)s")
            % {
                "kind": kinds.get(item["kind"], item["kind"]),
                "title": title,
                "when": when,
                "people": item["people"],
                "where": where or "—",
                "budget": f"{item['budget_jpy']:,}",
            }
        )
    return {_("Activities"): lines}
