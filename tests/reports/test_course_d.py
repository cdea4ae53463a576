"""Course D's reports, written per activity: the interim report once the first activity is
over, the final report after the last; actual expenses per activity against the approved
amounts; attendance of online sessions entered after them."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from applications.models import Activity, PlanState
from notifications.models import Notification
from reports.domain.activities import approved_per_activity, split_proportionally
from reports.domain.attendance import AttendanceRefused, enter_attendance
from reports.domain.interim import (
    accept_interim,
    interim_due_date,
    interim_is_open,
    interim_report_for,
    return_interim,
    save_interim,
    submit_interim,
)
from reports.domain.reminders import remind_interim_reports
from reports.domain.reporting import ReportRefused, report_for, save_report, validate_report
from reports.models import ReportEvent
from reviews.models import Decision
from tests.factories import japan_moment

from .builders import (
    DISPATCH_ACCOMMODATION,
    DISPATCH_AIRFARE,
    INVITATION_ACCOMMODATION,
    INVITATION_AIRFARE,
    activity_of,
    completed,
    completed_plan,
    course_d_in_progress,
)

pytestmark = pytest.mark.django_db

JAN_29 = date(2027, 1, 29)  # the invitation and the first online session are over

INVITATION, DISPATCH, ONLINE = (
    Activity.Kind.INVITATION,
    Activity.Kind.DISPATCH,
    Activity.Kind.ONLINE,
)


@pytest.fixture
def plan(institution, coordinator):
    return course_d_in_progress(host=institution, lead=coordinator)


def approved_by_activity(report):
    return {
        (expense.activity.kind, expense.category): expense.approved_jpy
        for expense in report.expenses.select_related("activity")
        if expense.approved_jpy
    }


def test_interim_report_opens_the_day_after_the_first_activity_ends(plan):
    # The invitation, the first activity, ends on 2027-01-21.
    assert not interim_is_open(plan, today=date(2027, 1, 21))
    assert interim_is_open(plan, today=date(2027, 1, 22))
    assert interim_due_date(plan) == date(2027, 2, 20)  # 2027-01-21 + 30 days


def test_interim_report_is_not_asked_of_a_plan_not_made_of_activities(institution, coordinator):
    course_a = completed_plan(host=institution, lead=coordinator)
    assert not interim_is_open(course_a, today=date(2030, 1, 1))


def test_interim_report_covers_the_activities_over_when_it_is_written(plan):
    report = interim_report_for(plan, today=date(2027, 1, 29))
    covered = {part.activity.kind for part in report.activity_reports.select_related("activity")}
    assert covered == {INVITATION, ONLINE}  # the dispatch (February) is still to come
    assert approved_by_activity(report) == {
        (INVITATION, "airfare"): INVITATION_AIRFARE,
        (INVITATION, "accommodation"): INVITATION_ACCOMMODATION,
    }
    later = interim_report_for(plan, today=date(2027, 2, 18))
    assert later.pk == report.pk
    assert later.activity_reports.count() == 3  # the dispatch joined once it was over


def test_final_report_has_approved_amounts_per_activity_and_category(plan):
    report = report_for(plan)
    assert approved_by_activity(report) == {
        (INVITATION, "airfare"): INVITATION_AIRFARE,
        (INVITATION, "accommodation"): INVITATION_ACCOMMODATION,
        (DISPATCH, "airfare"): DISPATCH_AIRFARE,
        (DISPATCH, "accommodation"): DISPATCH_ACCOMMODATION,
    }
    assert report.activity_reports.count() == 4
    # Every activity has a row for unplanned costs, approved at 0.
    assert report.expenses.filter(category="other").count() == 4


def test_a_decision_that_cuts_the_total_cuts_every_activity_in_proportion(plan, staff_user):
    # Asked: 600,000 + 540,000 + 390,000 + 216,000 = 1,746,000; approved: half of it.
    Decision.objects.create(
        plan=plan,
        outcome=Decision.Outcome.APPROVED,
        approved_amount_jpy=873_000,
        decided_by=staff_user,
    )
    plan.refresh_from_db()
    split = approved_per_activity(plan)
    assert (split.requested, split.approved, split.percent) == (1_746_000, 873_000, 50)
    report = report_for(plan)
    assert approved_by_activity(report) == {
        (INVITATION, "airfare"): 300_000,
        (INVITATION, "accommodation"): 270_000,
        (DISPATCH, "airfare"): 195_000,
        (DISPATCH, "accommodation"): 108_000,
    }


def test_split_in_proportion_adds_up_to_the_approved_yen():
    assert split_proportionally({"a": 1, "b": 1, "c": 1}, 2) == {"a": 1, "b": 1, "c": 0}
    assert sum(split_proportionally({"a": 333, "b": 333, "c": 334}, 500).values()) == 500


def fill(report, plan, *, dispatch_airfare=DISPATCH_AIRFARE, follow_up=""):
    """Every activity told, the online sessions' attendance in, every actual at budget."""
    actuals = {
        expense.field_name: (
            dispatch_airfare
            if (expense.activity and expense.activity.kind, expense.category)
            == (DISPATCH, "airfare")
            else expense.approved_jpy
        )
        for expense in report.expenses.select_related("activity")
    }
    parts = {
        part.activity_id: {"done": "Done as planned.", "attended": []}
        for part in report.activity_reports.all()
    }
    return actuals, parts, follow_up


def test_an_activity_over_its_approved_amount_needs_an_explanation(plan, coordinator):
    completed(plan)
    for session in plan.activities.filter(kind=ONLINE):
        Activity.objects.filter(pk=session.pk).update(attendance_japan=10, attendance_partner=20)
    report = report_for(plan)
    actuals, parts, _ = fill(report, plan, dispatch_airfare=DISPATCH_AIRFARE + 1)
    save_report(
        report,
        by=coordinator,
        expected_version=report.version,
        fields={"follow_up": ""},
        attended=[],
        actuals=actuals,
        parts=parts,
    )
    problems = validate_report(report)
    assert len(problems) == 1
    assert "International airfare of “Field study at IIT Example”" in problems[0]
    report.follow_up = "The fares to India rose in February."
    report.save()
    assert validate_report(report) == []


def test_interim_report_asks_for_attendance_of_an_online_session_over(plan, coordinator):
    report = interim_report_for(plan, today=date(2027, 1, 29))
    actuals, parts, _ = fill(report, plan)
    save_interim(
        report,
        by=coordinator,
        expected_version=1,
        follow_up="",
        parts=parts,
        actuals=actuals,
        today=JAN_29,
    )
    with pytest.raises(ReportRefused) as refused:
        submit_interim(report, by=coordinator, today=JAN_29)
    assert refused.value.problems == [
        "Enter the attendance of the online session “Online seminar 1”."
    ]


def test_interim_report_submitted_accepted_and_returned_without_moving_the_plan(
    plan, coordinator, staff_user
):
    session = activity_of(plan, ONLINE)
    enter_attendance(
        session, by=coordinator, japan=12, partner=18, now=japan_moment(date(2027, 1, 28), 19)
    )
    report = interim_report_for(plan, today=date(2027, 1, 29))
    actuals, parts, _ = fill(report, plan)
    save_interim(
        report,
        by=coordinator,
        expected_version=1,
        follow_up="",
        parts=parts,
        actuals=actuals,
        today=JAN_29,
    )
    submit_interim(report, by=coordinator, today=JAN_29)
    assert report.submitted_at is not None
    with pytest.raises(PermissionDenied):
        accept_interim(report, by=coordinator)
    return_interim(report, by=staff_user, comment="Say more about the lab work.")
    assert report.submitted_at is None and report.returned_comment
    notice = Notification.objects.get(kind=Notification.Kind.INTERIM_REPORT_RETURNED)
    assert notice.recipient == coordinator and "Say more about the lab work." in notice.body
    submit_interim(report, by=coordinator, today=JAN_29)
    accept_interim(report, by=staff_user)
    plan.refresh_from_db()
    assert plan.state == PlanState.IN_PROGRESS
    assert list(plan.report_events.values_list("kind", flat=True)) == [
        ReportEvent.Kind.ATTENDANCE,
        ReportEvent.Kind.INTERIM_SUBMITTED,
        ReportEvent.Kind.INTERIM_RETURNED,
        ReportEvent.Kind.INTERIM_SUBMITTED,
        ReportEvent.Kind.INTERIM_ACCEPTED,
    ]


def test_attendance_refused_before_the_session_ends_and_accepted_after(plan, coordinator):
    session = activity_of(plan, ONLINE)  # 2027-01-28, 17:00–19:00 Japan time
    with pytest.raises(AttendanceRefused):
        enter_attendance(
            session,
            by=coordinator,
            japan=12,
            partner=18,
            now=japan_moment(date(2027, 1, 28), 18, 59),
        )
    session.refresh_from_db()
    assert session.attendance_japan is None
    enter_attendance(
        session, by=coordinator, japan=12, partner=18, now=japan_moment(date(2027, 1, 28), 19)
    )
    session.refresh_from_db()
    assert (session.attendance_japan, session.attendance_partner) == (12, 18)
    event = plan.report_events.get()
    assert (event.kind, event.activity, event.by) == (
        ReportEvent.Kind.ATTENDANCE,
        session,
        coordinator,
    )


def test_attendance_refused_for_a_dispatch_and_for_others(plan, coordinator, other_coordinator):
    with pytest.raises(AttendanceRefused):
        enter_attendance(activity_of(plan, DISPATCH), by=coordinator, japan=1, partner=1)
    with pytest.raises(PermissionDenied):
        enter_attendance(activity_of(plan, ONLINE), by=other_coordinator, japan=1, partner=1)


def test_interim_reminder_once_within_a_week_of_the_due_date(plan):
    # Due 2027-02-20 (the invitation's last day, 2027-01-21, + 30 days).
    assert remind_interim_reports(today=date(2027, 2, 12)) == 0
    assert remind_interim_reports(today=date(2027, 2, 13)) == 1
    assert remind_interim_reports(today=date(2027, 2, 14)) == 0
    reminder = Notification.objects.get(kind=Notification.Kind.INTERIM_REPORT_DUE)
    assert reminder.recipient == plan.lead and "2027-02-20" in reminder.subject


def test_interim_reminder_not_before_the_first_activity_is_over(plan):
    plan.call.program.report_due_days = 3  # due 2027-01-24: within a week from the 17th on
    plan.call.program.save()
    assert remind_interim_reports(today=date(2027, 1, 21)) == 0  # its last day: not over
    assert remind_interim_reports(today=date(2027, 1, 22)) == 1


def test_interim_reminder_leaves_out_a_submitted_interim_report(plan, coordinator):
    for session in plan.activities.filter(kind=ONLINE):
        Activity.objects.filter(pk=session.pk).update(attendance_japan=10, attendance_partner=20)
    report = interim_report_for(plan, today=date(2027, 1, 29))
    actuals, parts, _ = fill(report, plan)
    save_interim(
        report,
        by=coordinator,
        expected_version=1,
        follow_up="",
        parts=parts,
        actuals=actuals,
        today=JAN_29,
    )
    submit_interim(report, by=coordinator, today=JAN_29)
    assert remind_interim_reports(today=date(2027, 2, 19)) == 0


def test_a_registered_participant_of_the_activity_must_be_ticked(plan, coordinator):
    from tests.participants.builders import registered

    invitation = activity_of(plan, INVITATION)
    person = registered(plan, family_name="SHARMA", nationality="IN", activity=invitation)
    report = interim_report_for(plan, today=JAN_29)
    Activity.objects.filter(plan=plan, kind=ONLINE).update(
        attendance_japan=10, attendance_partner=20
    )
    actuals, parts, _ = fill(report, plan)
    save_interim(
        report,
        by=coordinator,
        expected_version=1,
        follow_up="",
        parts=parts,
        actuals=actuals,
        today=JAN_29,
    )
    with pytest.raises(ReportRefused) as refused:
        submit_interim(report, by=coordinator, today=JAN_29)
    assert refused.value.problems == [
        "Tick at least one participant who took part in “Water lab training in Japan”."
    ]
    parts[invitation.pk]["attended"] = [person]
    save_interim(
        report,
        by=coordinator,
        expected_version=2,
        follow_up="",
        parts=parts,
        actuals=actuals,
        today=JAN_29,
    )
    submit_interim(report, by=coordinator, today=JAN_29)
    assert list(report.activity_reports.get(activity=invitation).attended.all()) == [person]
