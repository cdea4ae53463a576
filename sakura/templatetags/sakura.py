"""Template filters used everywhere: Japan time with its zone named, yen, deadlines, and the
labels of codes stored in frozen plan versions."""

from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

JAPAN = ZoneInfo("Asia/Tokyo")


@register.filter
def jst(value, with_time=True):
    """2026-02-22 17:00 JST, whatever zone the value was made in."""
    if not value:
        return ""
    local = timezone.localtime(value, JAPAN)
    if with_time is False or with_time == "date":
        return local.strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%d %H:%M JST")


@register.filter
def yen(value):
    """¥1,234,000 — amounts are whole yen, never floats."""
    if value is None or value == "":
        return ""
    return "¥" + number_format(int(value), force_grouping=True)


@register.filter
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


@register.filter
def iso(value):
    """Machine-readable timestamp for <time datetime> and the countdown script."""
    return value.isoformat() if value else ""


@register.filter
def submission_problems(bound_field):
    """What still stops submission at this field (set by the plan editor on its forms)."""
    problems = getattr(bound_field.form, "submission_problems", None) or {}
    return problems.get(bound_field.name, [])


@register.filter
def field_label(key):
    """The translated label of a field stored in a frozen plan version."""
    from applications.domain.snapshots import FIELD_LABELS

    return FIELD_LABELS.get(key, key)


@register.filter
def category_label(value):
    from programs.models import ParticipantCategory

    return dict(ParticipantCategory.choices).get(value, value)


@register.filter
def budget_label(value):
    from programs.models import BudgetCategory

    return dict(BudgetCategory.choices).get(value, value)


@register.filter
def country_name(code):
    from django_countries import countries

    return countries.name(code) or code


@register.filter
def itinerary_kind_label(value):
    """The activity of an itinerary item ("lab_work" → "Lab work"), as stored in a version."""
    from applications.models import ItineraryItem

    return dict(ItineraryItem.Kind.choices).get(value, value)


@register.filter
def attachment_kind_label(value):
    """The kind of an attachment ("partner_consent" → its label), as stored in a version."""
    from programs.models import AttachmentKind

    return dict(AttachmentKind.choices).get(value, value)


@register.filter
def partner_label(value):
    """A partner institution stored in a plan version, with its country named."""
    from applications.domain import snapshots

    return snapshots.partner_label(value)
