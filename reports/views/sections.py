"""The per-activity sections that the final and the interim report pages share (course D)."""

from ..domain.activities import approved_per_activity
from ..domain.reporting import StaleReport
from ..forms import ExpensesForm, activity_part_forms


def expenses_form_of(report, data=None):
    """The expenses form of a report (final or interim), its rows in the activities' order."""
    expenses = report.expenses.select_related("activity").order_by(
        "activity__starts_on", "activity__position", "activity_id", "pk"
    )
    return ExpensesForm(data, expenses=expenses, prefix="actual")


def activity_context(report, data=None, activity_forms=None, expenses_form=None):
    """The context of a report written per activity: one (form, expense rows) per activity,
    the rows of lines tied to no activity, and how the approved money was split."""
    activity_forms = (
        activity_forms if activity_forms is not None else activity_part_forms(report, data)
    )
    expenses_form = expenses_form or expenses_form_of(report, data)
    return {
        "activity_forms": activity_forms,
        "expenses_form": expenses_form,
        "activity_sections": [
            (part_form, expenses_form.rows_of(part_form.part.activity_id))
            for part_form in activity_forms
        ],
        "plan_rows": expenses_form.rows_of(None),
        "split": approved_per_activity(report.plan),
    }


def refuse_stale(form, report):
    """Someone saved the report (final or interim) after `form` was opened: explain, keep the
    input, and give the form the current version so that the next save can pass."""
    form.add_error(None, StaleReport.message)
    form.data = form.data.copy()
    form.data["report_version"] = (
        type(report).objects.values_list("version", flat=True).get(pk=report.pk)
    )
