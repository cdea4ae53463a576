"""Completed plans and filled-in reports for the report tests. Plain functions, so that the
test files read like the rules.

PlanFactory's plan stays from 2027-01-10 to 2027-01-16 and budgets 5 × ¥150,000 for airfare
and 30 × ¥12,000 for accommodation; its program wants the report 30 days after departure.
"""

from datetime import date, timedelta

from django.utils import timezone

from applications.models import InvitationPlan, PlanState
from reports.domain.reporting import report_for, save_report
from tests.factories import CourseDPlanFactory, PlanFactory
from tests.participants.builders import register_many

APPROVED_AIRFARE = 750_000
APPROVED_ACCOMMODATION = 360_000


def completed(plan):
    InvitationPlan.objects.filter(pk=plan.pk).update(state=PlanState.COMPLETED)
    plan.refresh_from_db()
    return plan


def completed_plan(**kwargs):
    return completed(PlanFactory(**kwargs))


def within_budget():
    """Actual yen per category, every one at or under the approved amount."""
    return {
        "airfare": 700_000,
        "accommodation": 360_000,
        "per_diem": 0,
        "domestic_travel": 0,
        "insurance": 0,
        "other": 0,
    }


def filled_report(plan, *, by, actuals=None, follow_up="", participants=3, came=2):
    """A report with dates, `came` of `participants` registered people ticked, and actuals."""
    people = register_many(plan, participants)
    report = report_for(plan)
    return save_report(
        report,
        by=by,
        expected_version=report.version,
        fields={
            "actual_arrival_on": date(2027, 1, 10),
            "actual_departure_on": date(2027, 1, 16),
            "activities": "Lectures, lab work and a site visit.",
            "joint_papers": 1,
            "agreements": 1,
            "later_study_in_japan": 0,
            "follow_up": follow_up,
        },
        attended=people[:came],
        actuals=actuals or within_budget(),
    )


# Course D: CourseDPlanFactory's plan (tests/factories.py) is made of four activities —
# an invitation to Japan 2027-01-12..21 (5 people from India; airfare 120,000 × 5 and
# accommodation 12,000 × 45), a dispatch to India 2027-02-08..17 (3 people; airfare
# 130,000 × 3 and accommodation 8,000 × 27), and online sessions on 2027-01-28 and
# 2027-03-01, 17:00–19:00 Japan time — and its program wants reports 30 days after.
INVITATION_AIRFARE = 600_000  # 120,000 × 5
INVITATION_ACCOMMODATION = 540_000  # 12,000 × 45
DISPATCH_AIRFARE = 390_000  # 130,000 × 3
DISPATCH_ACCOMMODATION = 216_000  # 8,000 × 27


def course_d_in_progress(**kwargs):
    plan = CourseDPlanFactory(**kwargs)
    InvitationPlan.objects.filter(pk=plan.pk).update(state=PlanState.IN_PROGRESS)
    plan.refresh_from_db()
    return plan


def activity_of(plan, kind, number=0):
    return list(plan.activities.filter(kind=kind).order_by("starts_on"))[number]


def shift_activities(plan, days):
    """Move the plan's stay and every activity by `days` (whole days; online sessions keep
    their hour in Japan), so that pages judged by today's date can be tested."""
    delta = timedelta(days=days)
    for activity in plan.activities.all():
        activity.starts_on += delta
        activity.ends_on += delta
        if activity.starts_at:
            activity.starts_at += delta
            activity.ends_at += delta
        activity.save()
    plan.arrival_on += delta
    plan.departure_on += delta
    plan.save(update_fields=["arrival_on", "departure_on"])
    return plan


def course_d_first_session_over(**kwargs):
    """A course-D plan in progress moved in time so that its invitation ended 9 days ago and
    its first online session ended 2 days ago (17:00–19:00 Japan time); the dispatch starts
    in 9 days and the second session is 30 days ahead."""
    plan = course_d_in_progress(**kwargs)
    first_session_day = date(2027, 1, 28)
    return shift_activities(
        plan, (timezone.localdate() - timedelta(days=2) - first_session_day).days
    )
