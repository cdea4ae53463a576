"""The rules of the implementation report: when it is due, what it must say, who moves it."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from applications.domain.states import TransitionRefused
from applications.models import PlanState, PlanTransition
from reports.domain.reporting import (
    ReportRefused,
    StaleReport,
    accept_report,
    due_date,
    is_overdue,
    report_for,
    return_report,
    save_report,
    submit_report,
    validate_report,
)
from tests.participants.builders import register_many

from .builders import (
    APPROVED_ACCOMMODATION,
    APPROVED_AIRFARE,
    completed_plan,
    filled_report,
    within_budget,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(institution, coordinator):
    return completed_plan(host=institution, lead=coordinator)


def test_due_date_is_departure_plus_the_programs_days(plan):
    assert due_date(plan) == date(2027, 2, 15)  # 2027-01-16 + 30 days
    plan.call.program.report_due_days = 45
    plan.call.program.save()
    assert due_date(plan) == date(2027, 3, 2)


def test_due_date_of_a_departure_at_the_end_of_the_calendar_is_its_last_day(plan):
    """Stored before the forms kept years sane: the lists that show it must not break."""
    plan.departure_on = date(9999, 12, 31)
    assert due_date(plan) == date(9999, 12, 31)
    assert not is_overdue(plan)


def test_due_date_unknown_without_departure(plan):
    plan.departure_on = None
    assert due_date(plan) is None
    assert not is_overdue(plan, today=date(2030, 1, 1))


def test_overdue_only_after_the_due_day(plan):
    assert not is_overdue(plan, today=date(2027, 2, 15))
    assert is_overdue(plan, today=date(2027, 2, 16))


def test_submitted_report_is_not_overdue(plan, coordinator):
    submit_report(filled_report(plan, by=coordinator), by=coordinator)
    plan.refresh_from_db()
    assert not is_overdue(plan, today=date(2027, 6, 1))


def test_report_copies_the_approved_amount_per_category_from_the_budget(plan):
    report = report_for(plan)
    approved = {e.category: e.approved_jpy for e in report.expenses.all()}
    assert approved == {
        "airfare": APPROVED_AIRFARE,
        "accommodation": APPROVED_ACCOMMODATION,
        "per_diem": 0,
        "domestic_travel": 0,
        "insurance": 0,
        "other": 0,
    }


def test_report_for_returns_the_same_report_twice(plan):
    assert report_for(plan).pk == report_for(plan).pk
    assert report_for(plan).expenses.count() == 6


def test_empty_report_lists_every_problem_at_once(plan):
    register_many(plan, 2)
    problems = validate_report(report_for(plan))
    assert "Give the actual date of arrival." in problems
    assert "Give the actual date of departure." in problems
    assert "Tick at least one participant who came." in problems
    assert sum("Give the actual expense" in problem for problem in problems) == 6


def test_departure_before_arrival_is_a_problem(plan, coordinator):
    report = filled_report(plan, by=coordinator)
    report.actual_departure_on = date(2027, 1, 9)
    assert validate_report(report) == ["The actual departure cannot be before the actual arrival."]


def test_no_participant_needed_when_none_registered(plan, coordinator):
    report = filled_report(plan, by=coordinator, participants=0, came=0)
    assert validate_report(report) == []


def test_no_shows_are_the_registered_participants_not_ticked(plan, coordinator):
    report = filled_report(plan, by=coordinator, participants=3, came=2)
    no_shows = plan.participants.exclude(pk__in=report.attended.all())
    assert no_shows.count() == 1


def test_spending_over_the_approved_amount_needs_an_explanation(plan, coordinator):
    over = {**within_budget(), "airfare": APPROVED_AIRFARE + 1}
    report = filled_report(plan, by=coordinator, actuals=over)
    (problem,) = validate_report(report)
    assert "International airfare" in problem
    with pytest.raises(ReportRefused):
        submit_report(report, by=coordinator)
    plan.refresh_from_db()
    assert plan.state == PlanState.COMPLETED


def test_spending_over_the_approved_amount_with_an_explanation_is_accepted(plan, coordinator):
    over = {**within_budget(), "airfare": APPROVED_AIRFARE + 20_000}
    report = filled_report(
        plan, by=coordinator, actuals=over, follow_up="Fares rose after the approval."
    )
    assert validate_report(report) == []
    submit_report(report, by=coordinator)
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORTED


def test_submit_moves_the_plan_from_completed_to_reported_with_a_history_row(plan, coordinator):
    report = submit_report(filled_report(plan, by=coordinator), by=coordinator)
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORTED
    assert report.submitted_at is not None
    step = PlanTransition.objects.get(plan=plan, to_state=PlanState.REPORTED)
    assert (step.from_state, step.by) == (PlanState.COMPLETED, coordinator)


def test_incomplete_report_is_refused_with_its_problems(plan, coordinator):
    register_many(plan, 1)
    with pytest.raises(ReportRefused) as refused:
        submit_report(report_for(plan), by=coordinator)
    assert len(refused.value.problems) == 9
    plan.refresh_from_db()
    assert plan.state == PlanState.COMPLETED


def test_collaborator_may_write_but_not_submit(plan, colleague, coordinator):
    plan.collaborators.add(colleague)
    report = filled_report(plan, by=colleague)
    with pytest.raises(PermissionDenied):
        submit_report(report, by=colleague)
    plan.refresh_from_db()
    assert plan.state == PlanState.COMPLETED


def test_other_institution_cannot_write_or_submit(plan, coordinator, other_coordinator):
    report = filled_report(plan, by=coordinator)
    with pytest.raises(PermissionDenied):
        save_report(
            report,
            by=other_coordinator,
            expected_version=report.version,
            fields={},
            attended=[],
            actuals={},
        )
    with pytest.raises(PermissionDenied):
        submit_report(report, by=other_coordinator)


def test_report_of_a_plan_not_completed_cannot_be_submitted(institution, coordinator):
    plan = completed_plan(host=institution, lead=coordinator)
    report = filled_report(plan, by=coordinator)
    plan.state = PlanState.APPROVED
    plan.save(update_fields=["state"])
    with pytest.raises(ReportRefused):
        submit_report(report, by=coordinator)


def test_staff_accept_closes_the_plan(plan, coordinator, staff_user):
    report = submit_report(filled_report(plan, by=coordinator), by=coordinator)
    report = accept_report(report, by=staff_user)
    plan.refresh_from_db()
    assert plan.state == PlanState.CLOSED
    assert report.accepted_at is not None


def test_coordinator_cannot_accept_their_own_report(plan, coordinator):
    report = submit_report(filled_report(plan, by=coordinator), by=coordinator)
    with pytest.raises(PermissionDenied):
        accept_report(report, by=coordinator)


def test_returned_report_goes_back_to_completed_and_can_be_resubmitted(
    plan, coordinator, staff_user
):
    report = submit_report(filled_report(plan, by=coordinator), by=coordinator)
    report = return_report(report, by=staff_user, comment="Please attach the boarding passes.")
    plan.refresh_from_db()
    assert plan.state == PlanState.COMPLETED
    assert report.returned_comment == "Please attach the boarding passes."
    assert report.submitted_at is None
    step = PlanTransition.objects.filter(plan=plan).latest("pk")
    assert (step.to_state, step.reason) == (PlanState.COMPLETED, report.returned_comment)

    report = save_report(
        report,
        by=coordinator,
        expected_version=report.version,
        fields={"follow_up": "Boarding passes attached."},
        attended=list(report.attended.all()),
        actuals=within_budget(),
    )
    report = submit_report(report, by=coordinator)
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORTED
    assert report.returned_comment == ""


def test_return_needs_a_comment(plan, coordinator, staff_user):
    report = submit_report(filled_report(plan, by=coordinator), by=coordinator)
    with pytest.raises(ReportRefused):
        return_report(report, by=staff_user, comment="  ")
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORTED


def test_accept_twice_is_refused(plan, coordinator, staff_user):
    report = submit_report(filled_report(plan, by=coordinator), by=coordinator)
    accept_report(report, by=staff_user)
    with pytest.raises(TransitionRefused):
        accept_report(report, by=staff_user)


def test_stale_edit_is_refused_and_changes_nothing(plan, coordinator, colleague):
    plan.collaborators.add(colleague)
    report = report_for(plan)
    opened_at = report.version
    save_report(
        report,
        by=coordinator,
        expected_version=opened_at,
        fields={"activities": "First"},
        attended=[],
        actuals={},
    )
    with pytest.raises(StaleReport):
        save_report(
            report,
            by=colleague,
            expected_version=opened_at,
            fields={"activities": "Second"},
            attended=[],
            actuals={},
        )
    report.refresh_from_db()
    assert report.activities == "First"
    assert report.version == opened_at + 1
