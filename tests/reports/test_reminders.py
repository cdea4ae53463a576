"""The report-due reminder: a week before the program's report_due_days after departure, once."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from applications.models import PlanState
from notifications.models import Notification
from reports.domain.reminders import remind_reports
from reports.domain.reporting import submit_report

from .builders import completed_plan, filled_report

pytestmark = pytest.mark.django_db


def test_report_reminder_a_week_before_it_is_due_once():
    plan = completed_plan(departure_on=date(2027, 1, 16))  # report due 30 days later: 15 Feb

    assert remind_reports(today=date(2027, 2, 7)) == 0  # more than a week before
    assert remind_reports(today=date(2027, 2, 8)) == 1
    assert remind_reports(today=date(2027, 2, 9)) == 0  # only once
    reminder = Notification.objects.get(kind=Notification.Kind.REPORT_DUE)
    assert reminder.recipient == plan.lead and "2027-02-15" in reminder.subject


def test_report_reminder_follows_the_programs_days_as_the_report_page_does(
    client, institution, coordinator
):
    plan = completed_plan(host=institution, lead=coordinator, departure_on=date(2027, 1, 16))
    plan.call.program.report_due_days = 45  # due 2027-01-16 + 45 days: 2 March
    plan.call.program.save()

    assert remind_reports(today=date(2027, 2, 22)) == 0
    assert remind_reports(today=date(2027, 2, 23)) == 1
    reminder = Notification.objects.get(kind=Notification.Kind.REPORT_DUE)
    assert "2027-03-02" in reminder.subject
    client.force_login(coordinator)
    page = client.get(reverse("report_edit", args=[plan.pk])).content.decode()
    assert "Report due on 2027-03-02" in page


def test_report_reminder_left_out_once_the_report_is_submitted(coordinator, institution):
    plan = completed_plan(host=institution, lead=coordinator)
    submit_report(filled_report(plan, by=coordinator), by=coordinator)
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORTED
    assert remind_reports(today=date(2030, 1, 1)) == 0


def test_report_reminder_runs_twice_a_day_from_the_reports_app():
    entry = settings.CELERY_BEAT_SCHEDULE["remind-reports"]
    assert entry["task"] == "reports.tasks.remind_reports"
