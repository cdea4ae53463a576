"""Reports of a plan made of activities (course D): the approved yen per activity and
category, the rows a report keeps per activity, what those rows must say, and how an edit of
them is saved. The interim report and the final report share all of it.

The approved amount of an activity's category is the sum of its budget lines, which are
frozen from submission on (a plan is editable only as a draft or when sent back for revision,
so the lines are those of the approved submitted version). When the decision approved less
than the plan asked for, every amount is cut in the same proportion (`split_proportionally`).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.domain.money import approved_amount
from programs.domain.rules import plan_rules
from programs.models import BudgetCategory

from ..models import ActivityReport, ReportExpense

# An activity's report always has a row for costs nobody planned, so they can be reported
# (and explained) rather than hidden in a planned category.
UNPLANNED = BudgetCategory.OTHER


def uses_activities(plan):
    """The plan is made of activities (course D): its reports are written per activity."""
    return plan_rules(plan).uses_activities


def split_proportionally(amounts, target):
    """`amounts` ({key: yen}) scaled to sum to `target` yen, in whole yen.

    Each key gets its share rounded down; the yen still missing go one each to the keys with
    the largest remainders (the earlier key first on a tie), so the parts add up to `target`.
    """
    total = sum(amounts.values())
    if total == 0:
        return dict.fromkeys(amounts, 0)
    shares = {key: divmod(amount * target, total) for key, amount in amounts.items()}
    result = {key: whole for key, (whole, _rest) in shares.items()}
    missing = target - sum(result.values())
    by_remainder = sorted(shares, key=lambda key: -shares[key][1])
    for key in by_remainder[:missing]:
        result[key] += 1
    return result


@dataclass(frozen=True)
class ApprovedSplit:
    """The approved yen per (activity id or None, category), and the totals they come from."""

    amounts: dict
    requested: int
    approved: int

    @property
    def is_cut(self):
        """The decision approved less than the plan asked for."""
        return self.approved < self.requested

    @property
    def percent(self):
        """The approved share of what was asked, in whole percent (rounded)."""
        return round(100 * self.approved / self.requested) if self.requested else 100

    def of(self, activity_id, category):
        return self.amounts.get((activity_id, category), 0)


def approved_per_activity(plan):
    """The approved yen per activity and category (see the module's docstring)."""
    requested = {}
    for line in plan.budget.all():
        key = (line.activity_id, line.category)
        requested[key] = requested.get(key, 0) + line.amount_jpy
    total = sum(requested.values())
    approved = approved_amount(plan)
    if approved is None or approved >= total:
        return ApprovedSplit(requested, total, total)
    return ApprovedSplit(split_proportionally(requested, approved), total, approved)


def activities_over(plan, today=None):
    """The plan's activities whose last day is over (in Japan), in order."""
    today = today or timezone.localdate()
    return [activity for activity in plan.activities.all() if activity.ends_on < today]


def _categories_of(activity_id, split):
    """The categories an activity's report lists: those it has approved lines in, in the
    budget's order, and the row for unplanned costs."""
    planned = {category for key, category in split.amounts if key == activity_id}
    return [
        category
        for category in BudgetCategory.values
        if category in planned or (activity_id is not None and category == UNPLANNED)
    ]


def add_activity_rows(owner, plan, activities):
    """Give a report (`owner`: {"report": …} or {"interim": …}) one ActivityReport row and its
    expense rows for each of `activities` it does not have yet; approved amounts from
    `approved_per_activity`. Lines tied to no activity get rows of their own (activity None).

    Side effects: creates the missing rows; rows already there (and their actuals) are kept.
    Safe when two requests do it at once (conflicts are ignored).
    """
    split = approved_per_activity(plan)
    ActivityReport.objects.bulk_create(
        [ActivityReport(activity=activity, **owner) for activity in activities],
        ignore_conflicts=True,
    )
    ids = [activity.pk for activity in activities]
    if "report" in owner:
        ids.append(None)  # the final report also carries the lines tied to no activity
    ReportExpense.objects.bulk_create(
        [
            ReportExpense(
                activity_id=activity_id,
                category=category,
                approved_jpy=split.of(activity_id, category),
                **owner,
            )
            for activity_id in ids
            for category in _categories_of(activity_id, split)
        ],
        ignore_conflicts=True,
    )


def activity_problems(owner_report):
    """Every problem of the per-activity part of a report (interim or final), all at once."""
    problems = []
    parts = list(
        owner_report.activity_reports.select_related("activity").prefetch_related("attended")
    )
    # The activities that have registered participants: one of them must be ticked.
    registered = set(
        owner_report.plan.participants.filter(
            activity_id__in=[part.activity_id for part in parts]
        ).values_list("activity_id", flat=True)
    )
    for part in parts:
        activity = part.activity
        title = activity.title
        if not part.done.strip():
            problems.append(_("Say what was done in “%(activity)s”.") % {"activity": title})
        if activity.is_online:
            if activity.attendance_japan is None or activity.attendance_partner is None:
                problems.append(
                    _("Enter the attendance of the online session “%(activity)s”.")
                    % {"activity": title}
                )
        elif activity.pk in registered and not part.attended.all():
            problems.append(
                _("Tick at least one participant who took part in “%(activity)s”.")
                % {"activity": title}
            )
    problems.extend(expense_problems(owner_report))
    return problems


def expense_label(expense):
    """“Airfare” or, in a plan made of activities, “Airfare of Water lab training in Japan”."""
    category = expense.get_category_display()
    if expense.activity_id is None:
        return category
    return _("%(category)s of “%(activity)s”") % {
        "category": category,
        "activity": expense.activity.title,
    }


def expense_problems(owner_report):
    """Missing or negative actual amounts, and amounts over the approved ones with no
    explanation under “Follow-up and explanations”."""
    problems, over = [], []
    for expense in owner_report.expenses.select_related("activity"):
        label = expense_label(expense)
        if expense.actual_jpy is None:
            problems.append(
                _("Give the actual expense for “%(category)s” (0 if none).") % {"category": label}
            )
        elif expense.is_over:
            over.append(label)
    if over and not owner_report.follow_up.strip():
        problems.append(
            _(
                "The actual expense exceeds the approved amount for %(categories)s: explain why "
                "under “Follow-up and explanations”."
            )
            % {"categories": ", ".join(f"“{label}”" for label in over)}
        )
    return problems


def save_activity_parts(owner_report, parts, actuals):
    """Save what the form says per activity and the actual expenses, inside the caller's
    transaction. `parts`: {activity id: {"done": text, "attended": [participants]}}; a
    participant not of the activity is left out. `actuals`: {expense field name: yen or None}.
    """
    assert transaction.get_connection().in_atomic_block
    for part in owner_report.activity_reports.select_related("activity"):
        given = parts.get(part.activity_id)
        if given is None:
            continue
        part.done = given["done"]
        part.save(update_fields=["done"])
        if not part.activity.is_online:
            part.attended.set(
                [person for person in given["attended"] if person.activity_id == part.activity_id]
            )
    for expense in owner_report.expenses.filter(activity__isnull=False):
        if expense.field_name in actuals:
            expense.actual_jpy = actuals[expense.field_name]
            expense.save(update_fields=["actual_jpy"])
