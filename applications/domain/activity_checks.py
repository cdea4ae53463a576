"""The rules of a plan made of activities (course D), the "activities" section of
`check_plan`: every figure comes from the course's rule set (`activity_limits`) or the call.

Each problem names the activity's field it concerns, "activity-<id>-<field>" (the fields of
the editor's activity form: starts_on, ends_on, people, partner, country, start_time,
end_time; "budget" for the activity's budget lines), so the editor shows it there.
"""

from django.utils.translation import gettext as _
from django_countries import countries

from programs.domain.rules import plan_rules

from ..models import Activity
from .activities import fiscal_year_span

SECTION = "activities"


def activity_field(activity, name):
    return f"activity-{activity.pk}-{name}"


def check_activities(plan, problems, *, with_source):
    """Add the problems of `plan`'s activities (none unless its rules use activities)."""
    rules = plan_rules(plan)
    if not rules.uses_activities:
        return
    activities = list(plan.activities.prefetch_related("budget"))
    if not activities:
        problems.add(
            SECTION,
            "activities",
            _("Add the activities: invitations to Japan, dispatches abroad, online sessions."),
        )
        return
    eligible = set(plan.course.get_eligible_countries())
    for activity in activities:
        _check_dates(plan, activity, problems)
        _check_limits(plan, activity, rules, problems, with_source)
        _check_kind(activity, problems)
        if eligible and activity.country and activity.country.code not in eligible:
            problems.add(
                SECTION,
                activity_field(activity, "country"),
                _("%(country)s is not eligible for course %(course)s.")
                % {"country": countries.name(activity.country.code), "course": plan.course.code},
            )


def _check_dates(plan, activity, problems):
    """Inside the call's fiscal year (1 April to 31 March) and exchange window; the last day
    not before the first."""
    call, title = plan.call, activity.title_en
    first, last = fiscal_year_span(call.fiscal_year)
    starts, ends = activity.starts_on, activity.ends_on
    year = {"title": title, "year": call.fiscal_year, "first": first, "last": last}
    if starts < first:
        problems.add(
            SECTION,
            activity_field(activity, "starts_on"),
            _(
                "“%(title)s” starts before fiscal year %(year)s (%(first)s to %(last)s): every "
                "activity must fall within it."
            )
            % year,
        )
    elif starts < call.exchange_starts_on:
        problems.add(
            SECTION,
            activity_field(activity, "starts_on"),
            _("“%(title)s” must start on or after %(start)s, when the call's exchanges begin.")
            % {"title": title, "start": call.exchange_starts_on},
        )
    if ends < starts:
        problems.add(
            SECTION,
            activity_field(activity, "ends_on"),
            _("“%(title)s”: the last day must not be before the first.") % {"title": title},
        )
    elif ends > last:
        problems.add(
            SECTION,
            activity_field(activity, "ends_on"),
            _(
                "“%(title)s” ends after fiscal year %(year)s (%(first)s to %(last)s): every "
                "activity must fall within it."
            )
            % year,
        )
    elif ends > call.exchange_ends_on:
        problems.add(
            SECTION,
            activity_field(activity, "ends_on"),
            _("“%(title)s” must end on or before %(end)s, when the call's exchanges end.")
            % {"title": title, "end": call.exchange_ends_on},
        )


def _check_limits(plan, activity, rules, problems, with_source):
    """The rule set's limits for the activity's kind; exactly at a limit is allowed."""
    limits = rules.activity_limits.get(activity.kind, {})
    numbers = {
        "title": activity.title_en,
        "kind": activity.get_kind_display(),
        "course": plan.course.code,
    }
    max_people = limits.get("max_people")
    if max_people is not None and activity.people > max_people:
        problems.add(
            SECTION,
            activity_field(activity, "people"),
            with_source(
                _(
                    "“%(title)s” has %(people)s people; course %(course)s allows at most %(max)s "
                    "per activity of this kind (%(kind)s)."
                )
                % {**numbers, "people": activity.people, "max": max_people},
                rules,
            ),
        )
    max_days = limits.get("max_days")
    if max_days is not None and activity.days > max_days:
        problems.add(
            SECTION,
            activity_field(activity, "ends_on"),
            with_source(
                _(
                    "“%(title)s” lasts %(days)s days; course %(course)s allows at most %(max)s "
                    "per activity of this kind (%(kind)s)."
                )
                % {**numbers, "days": activity.days, "max": max_days},
                rules,
            ),
        )
    max_jpy = limits.get("max_jpy")
    budget = sum(line.amount_jpy for line in activity.budget.all())
    if max_jpy is not None and budget > max_jpy:
        problems.add(
            SECTION,
            activity_field(activity, "budget"),
            with_source(
                _(
                    "The budget of “%(title)s” comes to ¥%(amount)s; course %(course)s allows at "
                    "most ¥%(max)s per activity of this kind (%(kind)s)."
                )
                % {**numbers, "amount": f"{budget:,}", "max": f"{max_jpy:,}"},
                rules,
            ),
        )


def _check_kind(activity, problems):
    """An online session needs its start and end (the end after the start); a dispatch needs
    the partner institution that receives the host's young people."""
    title = {"title": activity.title_en}
    if activity.kind == Activity.Kind.ONLINE:
        if not activity.starts_at:
            problems.add(
                SECTION,
                activity_field(activity, "start_time"),
                _("“%(title)s”: give the time the session starts (Japan time).") % title,
            )
        if not activity.ends_at:
            problems.add(
                SECTION,
                activity_field(activity, "end_time"),
                _("“%(title)s”: give the time the session ends (Japan time).") % title,
            )
        elif activity.starts_at and activity.ends_at <= activity.starts_at:
            problems.add(
                SECTION,
                activity_field(activity, "end_time"),
                _("“%(title)s”: the session must end after it starts.") % title,
            )
    if activity.kind == Activity.Kind.DISPATCH and not activity.partner_id:
        problems.add(
            SECTION,
            activity_field(activity, "partner"),
            _("“%(title)s”: name the partner institution that receives the dispatch.") % title,
        )


def check_budget_activities(plan, lines, problems):
    """In a plan made of activities, every budget line names one of the plan's activities."""
    activities = set(plan.activities.values_list("pk", flat=True))
    for line in lines:
        if line.activity_id not in activities:
            problems.add(
                "budget",
                f"line-{line.pk}",
                _("%(category)s: say which of the plan's activities this line pays for.")
                % {"category": line.get_category_display()},
            )
