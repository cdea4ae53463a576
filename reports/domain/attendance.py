"""Attendance of an online session (course D), entered by the host after the session: how many
took part from Japan and from the partner's side. The dashboards and the reports read it."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Activity, PlanState
from common.dates import jst

from ..models import ReportEvent

# More than any online session holds, far below what the database's small integers hold.
MAX_ATTENDANCE = 10_000


class AttendanceRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def attendance_states():
    """The plan states in which attendance may be entered: going ahead, report not submitted."""
    return [*PlanState.registration_open(), PlanState.COMPLETED]


def session_has_ended(activity, now=None):
    return activity.ends_at is not None and activity.ends_at <= (now or timezone.now())


def enter_attendance(activity, *, by, japan, partner, now=None):
    """Record how many attended an online session from each side.

    Side effects, in one transaction: refuses anyone but the plan's editors and staff
    (PermissionDenied); refuses an activity that is not an online session, one that has not
    ended yet, a plan not going ahead, and numbers outside 0 .. MAX_ATTENDANCE
    (AttendanceRefused); saves both figures on the activity and records an ATTENDANCE event
    with them.
    """
    plan = activity.plan
    if not by.has_perm("reports.enter_attendance", plan):
        raise PermissionDenied
    for figure in (japan, partner):
        if figure is None or not 0 <= figure <= MAX_ATTENDANCE:
            raise AttendanceRefused(
                _("Attendance is a number from 0 to %(max)s.") % {"max": MAX_ATTENDANCE}
            )
    with transaction.atomic():
        locked = Activity.objects.select_for_update().select_related("plan").get(pk=activity.pk)
        if not locked.is_online:
            raise AttendanceRefused(_("Attendance is entered only for online sessions."))
        if locked.plan.state not in attendance_states():
            raise AttendanceRefused(_("Attendance can no longer be entered for this plan."))
        if not session_has_ended(locked, now):
            raise AttendanceRefused(
                _("Attendance can be entered once the session has ended (%(end)s).")
                % {"end": jst(locked.ends_at) if locked.ends_at else "—"}
            )
        locked.attendance_japan = japan
        locked.attendance_partner = partner
        locked.save(update_fields=["attendance_japan", "attendance_partner"])
        ReportEvent.objects.create(
            plan=locked.plan,
            activity=locked,
            kind=ReportEvent.Kind.ATTENDANCE,
            by=by,
            detail=f"japan={japan} partner={partner}",
        )
    activity.refresh_from_db()
    return activity
