"""The demo's course-D reports: on every course-D plan in progress (the plan part of the demo
makes one), the online sessions already over get their attendance, entered by the plan's lead
through the real service, and the interim report is started once the first activity is over.
Idempotent: attendance already entered and reports already started are left as they are."""

from django.utils import timezone

from applications.models import Activity, InvitationPlan, PlanState
from reports.domain.attendance import enter_attendance, session_has_ended
from reports.domain.interim import interim_is_open, interim_report_for


def seed_course_d_reports():
    plans = (
        InvitationPlan.objects.filter(state=PlanState.IN_PROGRESS, activities__isnull=False)
        .distinct()
        .select_related("lead", "call__program", "course")
    )
    for plan in plans:
        sessions = plan.activities.filter(kind=Activity.Kind.ONLINE, attendance_japan__isnull=True)
        for session in sessions:
            if session_has_ended(session, timezone.now()):
                # Most of the planned people came: a few short on each side.
                enter_attendance(
                    session,
                    by=plan.lead,
                    japan=max(session.people // 2 - 1, 0),
                    partner=max(session.people - session.people // 2 - 2, 0),
                )
        if interim_is_open(plan):
            interim_report_for(plan)
