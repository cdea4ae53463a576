"""Japan time: the one zone deadlines and dates are shown in, whatever zone a value was made in."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

JAPAN = ZoneInfo("Asia/Tokyo")


def jst(value, with_time=True):
    """2026-02-22 17:00 JST, whatever zone the value was made in."""
    if not value:
        return ""
    local = timezone.localtime(value, JAPAN)
    if with_time is False or with_time == "date":
        return local.strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%d %H:%M JST")


def time_left(deadline, now=None):
    """'3 days 4 hours left', '25 minutes left' or 'closed', for a deadline."""
    now = now or timezone.now()
    seconds = int((deadline - now).total_seconds())
    if seconds <= 0:
        return _("closed")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return ngettext("%(days)s day %(hours)s h left", "%(days)s days %(hours)s h left", days) % {
            "days": days,
            "hours": hours,
        }
    if hours:
        return _("%(hours)s h %(minutes)s min left") % {"hours": hours, "minutes": minutes}
    return ngettext("%(minutes)s minute left", "%(minutes)s minutes left", minutes) % {
        "minutes": minutes
    }


def iso(value):
    """Machine-readable timestamp for <time datetime> and the countdown script."""
    return value.isoformat() if value else ""


def in_zone(value, zone):
    """2027-01-28 13:30 IST: a moment as the clock shows it in `zone` (a ZoneInfo), with the
    zone's abbreviation for that day (Cairo's EET in winter, EEST in summer)."""
    if not value or zone is None:
        return ""
    local = value.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def utc_offset(zone, day):
    """UTC+05:30: the zone's offset from UTC at noon on `day`."""
    offset = datetime.combine(day, time(12), tzinfo=zone).utcoffset()
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
