"""The demo's course-D reports: attendance of the sessions over and the interim report started,
once, on a course-D plan in progress."""

import pytest

from applications.models import Activity
from demo.course_d_reports import seed_course_d_reports
from reports.models import InterimReport
from tests.reports.builders import activity_of, course_d_first_session_over

pytestmark = pytest.mark.django_db


def test_demo_enters_attendance_of_sessions_over_and_starts_the_interim_report_once():
    plan = course_d_first_session_over()
    seed_course_d_reports()
    seed_course_d_reports()
    over, ahead = (
        activity_of(plan, Activity.Kind.ONLINE),
        activity_of(plan, Activity.Kind.ONLINE, 1),
    )
    # 30 planned: 14 from Japan (half, less one) and 13 from the partner (the rest, less two).
    assert (over.attendance_japan, over.attendance_partner) == (14, 13)
    assert ahead.attendance_japan is None
    assert plan.report_events.count() == 1
    report = InterimReport.objects.get(plan=plan)
    assert report.activity_reports.count() == 2  # the invitation and the first session
