"""Template filters of the report pages: an online session's times in both zones."""

from django import template
from django.utils.translation import gettext as _

from common.dates import jst

register = template.Library()


@register.filter
def in_both_zones(moment, activity):
    """'2027-01-28 17:00 JST (13:30 IST where the partner is, Asia/Kolkata)' for a moment of
    an online session; Japan time alone when the partner's zone is unknown."""
    if moment is None:
        return "—"
    local = activity.in_partner_zone(moment)
    if local is None:
        return jst(moment)
    return _("%(japan)s (%(partner)s where the partner is, %(zone)s)") % {
        "japan": jst(moment),
        "partner": local.strftime("%Y-%m-%d %H:%M %Z"),
        "zone": activity.time_zone,
    }
