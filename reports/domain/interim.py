"""The interim report of a plan made of activities (course D): when it falls due, and its
moves. It does not move the plan's state: submitting, accepting and sending it back stamp the
report and write a ReportEvent (the plan's report history).

Course D's guidelines ask for an interim report after the first activity and the final report
after the last; the final report is the plan's ImplementationReport (reports.domain.reporting).
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import PlanState
from notifications.models import Notification
from notifications.services import queue_notification

from ..models import InterimReport, ReportEvent
from .activities import (
    activities_over,
    activity_problems,
    add_activity_rows,
    save_activity_parts,
    uses_activities,
)
from .reporting import ReportRefused, StaleReport


def first_activity_end(plan):
    """The last day of the activity that ends first (None without activities)."""
    return plan.activities.aggregate(first_end=Min("ends_on"))["first_end"]


def interim_due_from(first_end, report_due_days):
    """The day the interim report is due: the first activity's last day plus the program's
    report_due_days (the final report's rule, counted from the first activity)."""
    if first_end is None:
        return None
    try:
        return first_end + timedelta(days=report_due_days)
    except OverflowError:  # a date stored before dates were kept to sane years
        return date.max


def interim_due_date(plan):
    """The one due date of the interim report: pages and the reminder read it here."""
    return interim_due_from(first_activity_end(plan), plan.call.program.report_due_days)


def interim_is_open(plan, today=None):
    """The host writes the interim report once the first activity is over (in Japan), while
    the plan is in progress or completed."""
    if plan.state not in PlanState.reporting() or not uses_activities(plan):
        return False
    first_end = first_activity_end(plan)
    return first_end is not None and first_end < (today or timezone.localdate())


def interim_is_editable(plan, report, today=None):
    """Open, and not submitted (or sent back) and not accepted."""
    if report is not None and (report.submitted_at or report.accepted_at):
        return False
    return interim_is_open(plan, today)


def interim_is_overdue(plan, report, today=None):
    """Due, open and not yet submitted, judged by the date in Japan."""
    if report is not None and (report.submitted_at or report.accepted_at):
        return False
    due = interim_due_date(plan)
    if due is None or plan.state not in PlanState.reporting():
        return False
    return (today or timezone.localdate()) > due


def interim_report_for(plan, today=None):
    """The plan's interim report, created on first use; while it is being written, it gains a
    row for each activity that is over (and its expense rows) the first time it is opened
    after that activity's last day.

    Side effects: creates the report and the missing rows (activities.add_activity_rows).
    """
    with transaction.atomic():
        report, _created = InterimReport.objects.get_or_create(plan=plan)
        if report.submitted_at is None and report.accepted_at is None:
            add_activity_rows({"interim": report}, plan, activities_over(plan, today))
    return report


def _record(plan, kind, *, by, detail=""):
    ReportEvent.objects.create(plan=plan, kind=kind, by=by, detail=detail)


def save_interim(report, *, by, expected_version, follow_up, parts, actuals, today=None):
    """Save an edit of the interim report made on a form opened at `expected_version`.

    Side effects, in one transaction: locks the report; refuses anyone but the plan's editors
    (PermissionDenied), a report no longer editable (ReportRefused) or a stale form
    (StaleReport); saves the explanations, what was done and who took part per activity and
    the actual expenses; raises the version. `today`: the date in Japan (tests).
    """
    plan = report.plan
    if not by.has_perm("reports.edit_report", plan):
        raise PermissionDenied
    with transaction.atomic():
        locked = InterimReport.objects.select_for_update().get(pk=report.pk)
        if not interim_is_editable(plan, locked, today):
            raise ReportRefused(_("This report can no longer be changed."))
        if locked.version != expected_version:
            raise StaleReport
        locked.follow_up = follow_up
        locked.version = F("version") + 1
        locked.save(update_fields=["follow_up", "version", "updated_at"])
        save_activity_parts(locked, parts, actuals)
    report.refresh_from_db()
    return report


def submit_interim(report, *, by, today=None):
    """Submit the interim report (the plan's state does not change).

    Side effects, in one transaction: refuses anyone but the lead or an institution
    administrator (PermissionDenied), a report no longer editable and a report with problems
    (ReportRefused with all of them); stamps submitted_at, clears an earlier return comment and
    records an INTERIM_SUBMITTED event.
    """
    plan = report.plan
    if not by.has_perm("applications.act_for_host", plan):
        raise PermissionDenied(_("Only the lead coordinator or an administrator may submit."))
    with transaction.atomic():
        locked = InterimReport.objects.select_for_update().get(pk=report.pk)
        if not interim_is_editable(plan, locked, today):
            raise ReportRefused(_("This report can no longer be changed."))
        problems = activity_problems(locked)
        if problems:
            raise ReportRefused(
                _("The report cannot be submitted yet: please correct the problems shown."),
                problems=problems,
            )
        locked.submitted_at = timezone.now()
        locked.returned_comment = ""
        locked.save(update_fields=["submitted_at", "returned_comment", "updated_at"])
        _record(plan, ReportEvent.Kind.INTERIM_SUBMITTED, by=by)
    report.refresh_from_db()
    return report


def _submitted_for_review(report, by):
    if not by.has_perm("reports.review_report", report.plan):
        raise PermissionDenied
    locked = InterimReport.objects.select_for_update().get(pk=report.pk)
    if locked.submitted_at is None or locked.accepted_at is not None:
        raise ReportRefused(_("Only a submitted interim report can be accepted or sent back."))
    return locked


def accept_interim(report, *, by):
    """Staff accept the interim report. Side effects: stamps accepted_at; records an
    INTERIM_ACCEPTED event. Refuses a report not submitted, or accepted already."""
    with transaction.atomic():
        locked = _submitted_for_review(report, by)
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at", "updated_at"])
        _record(report.plan, ReportEvent.Kind.INTERIM_ACCEPTED, by=by)
    report.refresh_from_db()
    return report


def return_interim(report, *, by, comment):
    """Staff send the interim report back with a comment.

    Side effects: the comment is kept on the report (shown to the host) and in the
    INTERIM_RETURNED event; submitted_at is cleared so the host edits and submits again; the
    plan's lead is told (an INTERIM_REPORT_RETURNED notification with the comment).
    """
    if not comment.strip():
        raise ReportRefused(_("Please say what must be corrected."))
    with transaction.atomic():
        locked = _submitted_for_review(report, by)
        locked.submitted_at = None
        locked.returned_comment = comment
        locked.save(update_fields=["submitted_at", "returned_comment", "updated_at"])
        _record(report.plan, ReportEvent.Kind.INTERIM_RETURNED, by=by, detail=comment)
        queue_notification(
            report.plan.lead,
            Notification.Kind.INTERIM_REPORT_RETURNED,
            plan=report.plan,
            context={"comment": comment},
        )
    report.refresh_from_db()
    return report
