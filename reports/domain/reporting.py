"""The implementation report: when it is due, its checks, and its moves through the plan states.

Submitting, accepting and returning a report are plan transitions: each goes through
`applications.domain.states.set_plan_state()`, which checks who may make the move, writes
the history row and queues the notifications.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.domain.states import set_plan_state
from applications.models import PlanState
from programs.models import BudgetCategory

from ..models import ImplementationReport, ReportExpense
from .activities import activity_problems, add_activity_rows, save_activity_parts, uses_activities


class StaleReport(Exception):
    """Someone else saved the report after this form was opened."""

    message = gettext_lazy(
        "Someone else saved this report after you opened the form. Your input is kept below: "
        "check the current report and save again."
    )


class ReportRefused(Exception):
    """A report that cannot be submitted, accepted or returned now; `problems` says why."""

    def __init__(self, message, problems=None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def due_date(plan):
    """The day the report is due: the departure plus the program's report_due_days.

    The one due date of the portal: the report pages, the overdue flag and the reminder
    (reports.domain.reminders) all read it here.
    """
    if plan.departure_on is None:
        return None
    try:
        return plan.departure_on + timedelta(days=plan.call.program.report_due_days)
    except OverflowError:  # a departure stored before dates were kept to sane years
        return date.max


def is_overdue(plan, today=None):
    """Due and not yet submitted, judged by the date in Japan."""
    due = due_date(plan)
    if due is None or plan.state not in PlanState.reporting():
        return False
    return (today or timezone.localdate()) > due


def is_open_for_editing(plan, today=None):
    """The host writes the report once the plan is completed, or in progress after departure."""
    if plan.state == PlanState.COMPLETED:
        return True
    today = today or timezone.localdate()
    return (
        plan.state == PlanState.IN_PROGRESS
        and plan.departure_on is not None
        and plan.departure_on < today
    )


def approved_per_category(plan):
    """The approved yen per budget category: the sum of the plan's budget lines."""
    totals = dict.fromkeys(BudgetCategory.values, 0)
    for line in plan.budget.all():
        totals[line.category] += line.amount_jpy
    return totals


def report_for(plan):
    """The plan's report, created on first use with one expense row per budget category.

    Side effects: on creation, copies the approved amounts from the plan's budget lines; in a
    plan made of activities, one row per activity and expense rows per activity and category
    (`activities.add_activity_rows`).
    """
    report = ImplementationReport.objects.filter(plan=plan).first()
    if report is not None:
        return report
    with transaction.atomic():
        report, created = ImplementationReport.objects.get_or_create(plan=plan)
        if created and uses_activities(plan):
            add_activity_rows({"report": report}, plan, list(plan.activities.all()))
        elif created:
            ReportExpense.objects.bulk_create(
                ReportExpense(report=report, category=category, approved_jpy=approved)
                for category, approved in approved_per_category(plan).items()
            )
    return report


def validate_report(report):
    """Every problem that stops submission, all at once, as sentences. A plan made of
    activities is reported per activity (`activities.activity_problems`)."""
    if uses_activities(report.plan):
        return activity_problems(report)
    problems = []
    arrival, departure = report.actual_arrival_on, report.actual_departure_on
    if arrival is None:
        problems.append(_("Give the actual date of arrival."))
    if departure is None:
        problems.append(_("Give the actual date of departure."))
    if arrival and departure and departure < arrival:
        problems.append(_("The actual departure cannot be before the actual arrival."))
    if report.plan.participants.exists() and not report.attended.exists():
        problems.append(_("Tick at least one participant who came."))
    over = []
    for expense in report.expenses.all():
        label = expense.get_category_display()
        if expense.actual_jpy is None:
            problems.append(
                _("Give the actual expense for “%(category)s” (0 if none).") % {"category": label}
            )
        elif expense.actual_jpy < 0:
            problems.append(
                _("The actual expense for “%(category)s” cannot be negative.") % {"category": label}
            )
        elif expense.is_over:
            over.append(label)
    if over and not report.follow_up.strip():
        problems.append(
            _(
                "The actual expense exceeds the approved amount for %(categories)s: explain why "
                "under “Follow-up and explanations”."
            )
            % {"categories": ", ".join(f"“{label}”" for label in over)}
        )
    return problems


def save_report(report, *, by, expected_version, fields, attended, actuals, parts=None):
    """Save an edit of the report made on a form opened at `expected_version`.

    Side effects, in one transaction: locks the report; refuses a plan no longer open for
    editing (ReportRefused) or a stale form (StaleReport); saves the fields, the attended
    participants and the actual expenses ({expense field name: yen or None}; the field name
    is the category, per activity in a plan made of activities); raises the version. `parts`:
    what was done and who took part per activity (`activities.save_activity_parts`).
    """
    if not by.has_perm("reports.edit_report", report.plan):
        raise PermissionDenied
    with transaction.atomic():
        locked = ImplementationReport.objects.select_for_update().get(pk=report.pk)
        if not is_open_for_editing(locked.plan):
            raise ReportRefused(_("This report can no longer be changed."))
        if locked.version != expected_version:
            raise StaleReport
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.version = F("version") + 1
        locked.save()
        locked.attended.set(
            [participant for participant in attended if participant.plan_id == locked.plan_id]
        )
        if parts is not None:
            save_activity_parts(locked, parts, actuals)
        for expense in locked.expenses.filter(activity__isnull=True):
            if expense.field_name in actuals:
                expense.actual_jpy = actuals[expense.field_name]
                expense.save(update_fields=["actual_jpy"])
    report.refresh_from_db()
    return report


def add_photo(report, *, by, uploaded, caption="", content_type):
    """Attach a checked image (the form checks its content and size) to the report."""
    if not by.has_perm("reports.edit_report", report.plan):
        raise PermissionDenied
    if not is_open_for_editing(report.plan):
        raise ReportRefused(_("This report can no longer be changed."))
    return report.photos.create(
        image=uploaded,
        content_type=content_type,
        caption=caption,
        original_name=uploaded.name[:200],
        size=uploaded.size,
        uploaded_by=by,
    )


def submit_report(report, *, by):
    """Submit the report: the plan moves completed → reported.

    Side effects, in one transaction: refuses anyone but the lead or an institution
    administrator (PermissionDenied) and a report with problems (ReportRefused with all of
    them); stamps submitted_at and clears an earlier return comment; set_plan_state writes the
    history row and queues the notifications.
    """
    plan = report.plan
    if not by.has_perm("applications.act_for_host", plan):
        raise PermissionDenied(_("Only the lead coordinator or an administrator may submit."))
    with transaction.atomic():
        locked = ImplementationReport.objects.select_for_update().get(pk=report.pk)
        plan.refresh_from_db(fields=["state"])
        if plan.state != PlanState.COMPLETED:
            raise ReportRefused(_("Only the report of a completed plan can be submitted."))
        problems = validate_report(locked)
        if problems:
            raise ReportRefused(
                _("The report cannot be submitted yet: please correct the problems shown."),
                problems=problems,
            )
        locked.submitted_at = timezone.now()
        locked.returned_comment = ""
        locked.save(update_fields=["submitted_at", "returned_comment", "updated_at"])
        set_plan_state(plan, PlanState.REPORTED, by=by)
    report.refresh_from_db()
    return report


def accept_report(report, *, by):
    """Staff accept the report: the plan moves reported → closed. Stamps accepted_at."""
    with transaction.atomic():
        ImplementationReport.objects.filter(pk=report.pk).update(accepted_at=timezone.now())
        set_plan_state(report.plan, PlanState.CLOSED, by=by)
    report.refresh_from_db()
    return report


def return_report(report, *, by, comment):
    """Staff send the report back with a comment: the plan moves reported → completed.

    Side effects: the comment is kept on the report (shown to the host) and in the plan's
    history; submitted_at is cleared so the coordinator edits and submits again.
    """
    if not comment.strip():
        raise ReportRefused(_("Please say what must be corrected."))
    with transaction.atomic():
        ImplementationReport.objects.filter(pk=report.pk).update(
            returned_comment=comment, submitted_at=None
        )
        set_plan_state(report.plan, PlanState.COMPLETED, by=by, reason=comment)
    report.refresh_from_db()
    return report
