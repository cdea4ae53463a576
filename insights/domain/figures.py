"""The staff dashboard's figures, each aggregated in the database in one query.

Every function takes the same `Filters` and runs a fixed number of queries however many
plans and participants there are. The dashboard reads the seven participant figures and the
totals by direction in one pass over the participants (`participant_counts()`: GROUP BY
GROUPING SETS, which the ORM cannot write), where one GROUP BY per figure read them seven
times. It shows `dashboard_figures()`: all of them computed at one moment and kept in the
cache for a few minutes, with that moment on the page and a button to recompute.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries
from localflavor.jp.jp_prefectures import JP_PREFECTURE_CODES

from applications.domain.money import committed_by_call
from applications.models import Activity, InvitationPlan, PlanState
from participants.models import Direction, Participant
from programs.labels import program_line
from programs.models import Call, ParticipantCategory

TOP_ROWS = 15


@dataclass(frozen=True)
class Filters:
    """What the dashboard and the exports are narrowed to; None means any."""

    fiscal_year: int | None = None
    program: object = None  # a programs.Program
    course: object = None  # a programs.Course

    def plan_lookups(self, prefix=""):
        """Filter keyword arguments for a queryset reaching the plan through `prefix` (the
        same narrowing as `plan_conditions()`)."""
        lookups = {}
        if self.fiscal_year:
            lookups[f"{prefix}call__fiscal_year"] = self.fiscal_year
        if self.program:
            lookups[f"{prefix}call__program"] = self.program
        if self.course:
            lookups[f"{prefix}course"] = self.course
        return lookups

    def plan_conditions(self):
        """The same narrowing as `plan_lookups()`, as SQL for `participant_counts()`'s one raw
        query (its plans `pl`, their calls `c`): (conditions, parameters). A filter added here
        must be added there too, side by side."""
        conditions, params = ["TRUE"], []
        if self.fiscal_year:
            conditions.append("c.fiscal_year = %s")
            params.append(self.fiscal_year)
        if self.program:
            conditions.append("c.program_id = %s")
            params.append(self.program.pk)
        if self.course:
            conditions.append("pl.course_id = %s")
            params.append(self.course.pk)
        return conditions, params

    def cache_key(self):
        """Figures carry translated labels, so the language is part of the key."""
        program = self.program.pk if self.program else ""
        course = self.course.pk if self.course else ""
        return f"insights:figures:{get_language()}:{self.fiscal_year or ''}:{program}:{course}"

    def describe(self):
        """The filters in words, for the audit log and page headings."""
        parts = []
        if self.fiscal_year:
            parts.append(_("fiscal year %(year)s") % {"year": self.fiscal_year})
        if self.program:
            parts.append(_("program %(code)s") % {"code": self.program.code})
        if self.course:
            parts.append(_("course %(code)s") % {"code": self.course.code})
        return ", ".join(parts) if parts else _("all data")


@dataclass
class Row:
    label: str
    value: int


@dataclass
class Breakdown:
    """Rows of one figure; past the top rows the rest is summed into 'others'."""

    rows: list
    others: int = 0
    others_count: int = 0

    @classmethod
    def of(cls, rows, *, limit=TOP_ROWS, by_value=True):
        rows = list(rows)
        if by_value:
            rows.sort(key=lambda row: (-row.value, row.label))
        shown, rest = rows[:limit], rows[limit:]
        return cls(shown, sum(row.value for row in rest), len(rest))

    @property
    def total(self):
        return sum(row.value for row in self.rows) + self.others

    @property
    def all_rows(self):
        """The rows a chart draws: the top rows and, when there are more, 'others'."""
        if not self.others_count:
            return self.rows
        return [*self.rows, Row(_("Others"), self.others)]


def plans_matching(filters):
    return InvitationPlan.objects.filter(**filters.plan_lookups())


def participants_matching(filters):
    return Participant.objects.filter(**filters.plan_lookups("plan__"))


def invited_matching(filters):
    """The participants invited to Japan: the participant figures count these; course D's
    dispatched participants and online sessions are counted apart (`people_by_direction`)."""
    return participants_matching(filters).filter(direction=Direction.INVITED)


@dataclass(frozen=True)
class PeopleByDirection:
    """How many took part, by the direction of the exchange (course D goes both ways).

    Online sessions count both sides' attendance once it is entered; until then their planned
    people, shown apart (`online_planned`), so a figure never mixes the two.
    """

    invited: int
    dispatched: int
    online_attended: int
    online_planned: int
    sessions_attended: int
    sessions_planned: int

    @property
    def online_total(self):
        return self.online_attended + self.online_planned


ATTENDANCE_IN = Q(attendance_japan__isnull=False, attendance_partner__isnull=False)


def people_by_direction(plans, participants=None):
    """The figures of `plans` (a queryset): two queries whatever their number (one when
    `participants`, {"invited": n, "dispatched": n}, are already counted). Participants
    are counted as registered; online sessions only of plans going ahead (a draft's sessions
    are not an exchange yet)."""
    if participants is None:
        participants = Participant.objects.filter(plan__in=plans).aggregate(
            invited=Count("pk", filter=Q(direction=Direction.INVITED)),
            dispatched=Count("pk", filter=Q(direction=Direction.DISPATCHED)),
        )
    sessions = Activity.objects.filter(
        plan__in=plans.filter(state__in=PlanState.going_ahead()), kind=Activity.Kind.ONLINE
    ).aggregate(
        attended=Coalesce(
            Sum(F("attendance_japan") + F("attendance_partner"), filter=ATTENDANCE_IN), 0
        ),
        planned=Coalesce(Sum("people", filter=~ATTENDANCE_IN), 0),
        sessions_attended=Count("pk", filter=ATTENDANCE_IN),
        sessions_planned=Count("pk", filter=~ATTENDANCE_IN),
    )
    return PeopleByDirection(
        invited=participants["invited"],
        dispatched=participants["dispatched"],
        online_attended=sessions["attended"],
        online_planned=sessions["planned"],
        sessions_attended=sessions["sessions_attended"],
        sessions_planned=sessions["sessions_planned"],
    )


# Each participant figure's grouping keys, as `values()` names them.
FIGURE_KEYS = {
    "fiscal-year": ["plan__call__fiscal_year"],
    "program": [
        "plan__call__program__code",
        "plan__call__program__name_en",
        "plan__call__program__name_ja",
        "plan__call__program__agency_hosted",
    ],
    "country": ["nationality"],
    "course": ["plan__course__code", "plan__course__name_en", "plan__course__name_ja"],
    "category": ["category"],
    "host": ["plan__host_id", "plan__host__name_en", "plan__host__name_ja"],
    "prefecture": ["plan__host__prefecture"],
}
# The columns participants are grouped by in one pass (see participant_counts): the fiscal
# year and program figures are summed from the calls, the prefecture figure from the hosts.
GROUPED_BY = ["pl.call_id", "p.nationality", "pl.course_id", "p.category", "pl.host_id"]


def participant_counts(filters):
    """({figure slug: rows as `_grouped()` gives them}, {"invited": n, "dispatched": n}) for
    the filtered participants, in one query: one pass over the participants and their plans
    with a GROUPING SET per column (and the empty set for the totals), grouped by narrow ids
    so the grouping stays in memory; names, years and prefectures are joined to the few
    groups afterwards, and the calls' and hosts' groups summed up into the years, programs
    and prefectures here. (Grouping by year, program and prefecture in the pass joined two
    more tables to 40,000 rows and hashed them by seven keys: 75 → 50 ms for ten years.)

    SQLite (what `make run` uses) has no GROUPING SETS: there every figure and the totals are
    counted by their own GROUP BY (`{slug: None}, None`: see each figure's `rows=None`)."""
    if connection.vendor != "postgresql":
        return dict.fromkeys(FIGURE_KEYS), None
    from applications.models import InvitationPlan as Plan
    from institutions.models import Institution
    from programs.models import Course, Program

    where, narrowing = filters.plan_conditions()
    params = [Direction.INVITED, Direction.DISPATCHED, *narrowing]
    columns = ", ".join(GROUPED_BY)
    sets = ", ".join(["()", *(f"({column})" for column in GROUPED_BY)])
    sql = f"""
        WITH counts AS (
            SELECT {columns}, GROUPING({columns}) AS grouping,
                COUNT(*) AS everyone,
                COUNT(*) FILTER (WHERE p.direction = %s) AS invited,
                COUNT(*) FILTER (WHERE p.direction = %s) AS dispatched
            FROM {Participant._meta.db_table} p
            JOIN {Plan._meta.db_table} pl ON pl.id = p.plan_id
            JOIN {Call._meta.db_table} c ON c.id = pl.call_id
            WHERE {" AND ".join(where)}
            GROUP BY GROUPING SETS ({sets})
        )
        SELECT counts.grouping, counts.everyone, counts.invited, counts.dispatched,
            counts.nationality, counts.category, call.fiscal_year,
            pr.code, pr.name_en, pr.name_ja, pr.agency_hosted,
            co.code, co.name_en, co.name_ja,
            counts.host_id, host.name_en, host.name_ja, host.prefecture
        FROM counts
        LEFT JOIN {Call._meta.db_table} call ON call.id = counts.call_id
        LEFT JOIN {Program._meta.db_table} pr ON pr.id = call.program_id
        LEFT JOIN {Course._meta.db_table} co ON co.id = counts.course_id
        LEFT JOIN {Institution._meta.db_table} host ON host.id = counts.host_id
    """
    everything = 2 ** len(GROUPED_BY) - 1  # GROUPING() of the empty set: all rolled up
    by_call, by_country, by_course, by_category, by_host = (
        everything ^ (1 << (len(GROUPED_BY) - 1 - position)) for position in range(len(GROUPED_BY))
    )
    sums = {slug: {} for slug in FIGURE_KEYS}  # {slug: {keys: figure}}

    def add(slug, keys, figure):
        if figure:
            sums[slug][keys] = sums[slug].get(keys, 0) + figure

    totals = {"invited": 0, "dispatched": 0}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for record in cursor.fetchall():
            grouping, everyone, invited, dispatched, nationality, category, year = record[:7]
            program, course, host = record[7:11], record[11:14], record[14:17]
            if grouping == everything:
                totals = {"invited": invited, "dispatched": dispatched}
            elif grouping == by_call:
                add("fiscal-year", (year,), invited)
                add("program", program, everyone)  # everyone registered; the rest: invited
            elif grouping == by_country:
                add("country", (nationality,), invited)
            elif grouping == by_course:
                add("course", course, invited)
            elif grouping == by_category:
                add("category", (category,), invited)
            elif grouping == by_host:
                add("host", host, invited)
                add("prefecture", (record[17],), invited)
    rows = {
        slug: [
            {**dict(zip(FIGURE_KEYS[slug], keys, strict=True)), "figure": figure}
            for keys, figure in figures.items()
        ]
        for slug, figures in sums.items()
    }
    return rows, totals


def _grouped(queryset, *keys):
    return queryset.order_by().values(*keys).annotate(figure=Count("pk"))


def participants_by_fiscal_year(filters, rows=None):
    if rows is None:
        rows = _grouped(invited_matching(filters), "plan__call__fiscal_year")
    rows = sorted(rows, key=lambda row: row["plan__call__fiscal_year"])
    return Breakdown.of(
        [Row(str(row["plan__call__fiscal_year"]), row["figure"]) for row in rows],
        by_value=False,
        limit=len(rows),
    )


def participants_by_program(filters, rows=None):
    """Participants per program: the agency's direct invitations are a line of their own."""
    if rows is None:
        rows = _grouped(participants_matching(filters), *FIGURE_KEYS["program"])
    japanese = get_language() == "ja"
    return Breakdown.of(
        Row(
            program_line(
                (japanese and row["plan__call__program__name_ja"])
                or row["plan__call__program__name_en"],
                row["plan__call__program__agency_hosted"],
            ),
            row["figure"],
        )
        for row in rows
    )


def participants_by_country(filters, rows=None):
    if rows is None:
        rows = _grouped(invited_matching(filters), "nationality")
    return Breakdown.of(
        Row(countries.name(row["nationality"]) or row["nationality"], row["figure"]) for row in rows
    )


def participants_by_course(filters, rows=None):
    if rows is None:
        rows = _grouped(invited_matching(filters), *FIGURE_KEYS["course"])
    japanese = get_language() == "ja"
    return Breakdown.of(
        Row(
            _("%(code)s — %(name)s")
            % {
                "code": row["plan__course__code"],
                "name": (japanese and row["plan__course__name_ja"]) or row["plan__course__name_en"],
            },
            row["figure"],
        )
        for row in rows
    )


def participants_by_category(filters, rows=None):
    labels = dict(ParticipantCategory.choices)
    if rows is None:
        rows = _grouped(invited_matching(filters), "category")
    return Breakdown.of(
        Row(str(labels.get(row["category"], row["category"])), row["figure"]) for row in rows
    )


def participants_by_host(filters, rows=None):
    if rows is None:
        rows = _grouped(invited_matching(filters), *FIGURE_KEYS["host"])
    japanese = get_language() == "ja"
    return Breakdown.of(
        Row((japanese and row["plan__host__name_ja"]) or row["plan__host__name_en"], row["figure"])
        for row in rows
    )


def participants_by_prefecture(filters, rows=None):
    labels = dict(JP_PREFECTURE_CODES)
    if rows is None:
        rows = _grouped(invited_matching(filters), "plan__host__prefecture")
    return Breakdown.of(
        Row(
            str(labels.get(row["plan__host__prefecture"], row["plan__host__prefecture"])),
            row["figure"],
        )
        for row in rows
    )


@dataclass
class PlansByYear:
    """Plans per fiscal year and state: `counts[year][state]`, with the states that occur."""

    years: list
    states: list  # [(value, label)] in the workflow's order
    counts: dict = field(default_factory=dict)

    def table(self):
        return [
            (year, [self.counts[year].get(value, 0) for value, _label in self.states])
            for year in self.years
        ]

    def totals(self):
        return Breakdown.of(
            [Row(str(year), sum(self.counts[year].values())) for year in self.years],
            by_value=False,
            limit=len(self.years),
        )


def plans_by_fiscal_year_and_state(filters):
    rows = _grouped(plans_matching(filters), "call__fiscal_year", "state")
    counts = {}
    for row in rows:
        counts.setdefault(row["call__fiscal_year"], {})[row["state"]] = row["figure"]
    present = {state for per_year in counts.values() for state in per_year}
    states = [(value, str(label)) for value, label in PlanState.choices if value in present]
    return PlansByYear(sorted(counts), states, counts)


@dataclass
class ApprovalRate:
    fiscal_year: int
    approved: int
    decided: int

    @property
    def percent(self):
        """Whole percent of decided plans that were approved; None before any decision."""
        if not self.decided:
            return None
        return round(100 * self.approved / self.decided)


def approval_rates(filters, plans=None):
    """Per fiscal year, approved plans of decided plans; from `plans` (a PlansByYear) when
    given, else in one query."""
    if plans is not None:
        ahead = set(PlanState.going_ahead())
        decided = {*ahead, PlanState.REJECTED}
        return [
            ApprovalRate(
                year,
                sum(n for state, n in plans.counts[year].items() if state in ahead),
                sum(n for state, n in plans.counts[year].items() if state in decided),
            )
            for year in plans.years
        ]
    rows = (
        plans_matching(filters)
        .order_by()
        .values("call__fiscal_year")
        .annotate(
            approved=Count("pk", filter=Q(state__in=PlanState.going_ahead())),
            decided=Count("pk", filter=Q(state__in=[*PlanState.going_ahead(), PlanState.REJECTED])),
        )
        .order_by("call__fiscal_year")
    )
    return [ApprovalRate(row["call__fiscal_year"], row["approved"], row["decided"]) for row in rows]


@dataclass
class BudgetUse:
    call: str  # the call's reference prefix, e.g. SSP-2026-1
    fiscal_year: int
    budget: int
    used: int

    @property
    def percent(self):
        return round(100 * self.used / self.budget) if self.budget else None

    @property
    def share_label(self):
        """'12%'; '<1%' for a little used (not '0%'); '–' without a budget."""
        if self.percent is None:
            return "–"
        if self.percent == 0 and self.used > 0:
            return _("<1%")
        return _("%(percent)s%%") % {"percent": self.percent}


def budget_use(filters):
    """Per call: the committed money (applications.domain.money) vs its budget."""
    used = committed_by_call(InvitationPlan.objects.filter(**filters.plan_lookups()))
    calls = Call.objects.select_related("program")
    if filters.fiscal_year:
        calls = calls.filter(fiscal_year=filters.fiscal_year)
    if filters.program:
        calls = calls.filter(program=filters.program)
    if filters.course:
        calls = calls.filter(courses=filters.course)
    calls = calls.order_by("fiscal_year", "program__code", "round")
    return [
        BudgetUse(call.reference_prefix, call.fiscal_year, call.budget_jpy, used.get(call.pk, 0))
        for call in calls
    ]


@dataclass
class DashboardFigures:
    """Every figure of the dashboard for one set of filters, as they were at `computed_at`."""

    computed_at: datetime
    participants: dict  # figure slug -> Breakdown
    directions: PeopleByDirection
    plans: PlansByYear
    rates: list
    budgets: list


PARTICIPANT_FIGURES = {
    "fiscal-year": participants_by_fiscal_year,
    "program": participants_by_program,
    "country": participants_by_country,
    "course": participants_by_course,
    "category": participants_by_category,
    "host": participants_by_host,
    "prefecture": participants_by_prefecture,
}


def compute_figures(filters):
    counts, totals = participant_counts(filters)
    plans = plans_by_fiscal_year_and_state(filters)
    return DashboardFigures(
        computed_at=timezone.now(),
        participants={
            slug: figure(filters, counts[slug]) for slug, figure in PARTICIPANT_FIGURES.items()
        },
        directions=people_by_direction(plans_matching(filters), totals),
        plans=plans,
        rates=approval_rates(filters, plans),
        budgets=budget_use(filters),
    )


def dashboard_figures(filters, *, recompute=False):
    """The figures from the cache when they are recent enough, else computed and kept."""
    key = filters.cache_key()
    figures = None if recompute else cache.get(key)
    if figures is None:
        figures = compute_figures(filters)
        cache.set(key, figures, settings.DASHBOARD_CACHE_SECONDS)
    return figures
