"""The program's rules as data: the one place every check, page, letter and export reads them.

A course's rules for a call come from the course's rule set for the call's fiscal year; a
fiscal year without one keeps the last earlier rule set (the guidelines stay in force until
staff change them), and a course without any rule set keeps the values on its Course row.
The same holds for a country's rules (`country_rules_for`). Saving a rule goes through
`save_rule_set()` / `save_country_rule()`, which raise its version and record who changed what.

Rules change a few times a year and every page of a plan reads them, so each process keeps
the rule sets and country rules it read (`kept_rules`), for as long as the shared cache's rules
generation is the one they were read under; a saved rule sets a new generation when its
transaction commits (`rules_changed`). Inside a transaction the rules are always read from
the database: a move that locks a plan (a submission, say) is checked against the rows
committed at that moment, and a transaction that changes a rule reads its own change.
"""

import threading
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from ..models import CountryRule, RuleChange, RuleSet

# The fields of a course's rules, in the order staff see them.
RULE_FIELDS = [
    "max_days",
    "min_invitees",
    "max_invitees",
    "max_invitees_per_institution",
    "escorts_counted",
    "eligible_categories",
    "age_limit",
    "first_stay_required",
    "company_airfare_only",
    "required_attachments",
    "line_caps_jpy",
    "per_person_cap_jpy",
    "per_plan_cap_jpy",
    "declarations",
    "uses_activities",
    "activity_limits",
    "source_ja",
    "source_en",
]
# The kinds of activity a plan made of activities has (course D; applications.Activity.Kind
# names the same codes) and the limits a rule set may set for each.
ACTIVITY_KINDS = ("invitation", "dispatch", "online")
ACTIVITY_LIMIT_NAMES = ("max_people", "max_days", "max_jpy")
# Rules a Course row does not hold: a course without a rule set has none of them.
RULE_DEFAULTS = {"declarations": [], "uses_activities": False, "activity_limits": {}}
COUNTRY_RULE_FIELDS = [
    "airfare_cap_jpy",
    "registration_receipt_required",
    "source_ja",
    "source_en",
]


@dataclass(frozen=True)
class Rules:
    """A course's rules in force for one fiscal year, and where they come from."""

    course_code: str
    fiscal_year: int
    max_days: int
    min_invitees: int
    max_invitees: int
    max_invitees_per_institution: int | None
    escorts_counted: bool
    eligible_categories: list
    age_limit: int | None
    first_stay_required: bool
    company_airfare_only: bool
    required_attachments: list
    line_caps_jpy: dict
    per_person_cap_jpy: int | None
    per_plan_cap_jpy: int | None
    declarations: list
    uses_activities: bool = False
    activity_limits: dict = field(default_factory=dict)
    source_ja: str = ""
    source_en: str = ""
    rule_set_id: int | None = None
    rule_set_fiscal_year: int | None = None
    version: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def source(self):
        """The guideline these rules come from, in the reader's language ("" if none)."""
        if get_language() == "ja" and self.source_ja:
            return self.source_ja
        return self.source_en

    def as_record(self):
        """What a frozen version keeps of the rules it was checked against."""
        return {
            "course": self.course_code,
            "rule_set": self.rule_set_id,
            "fiscal_year": self.rule_set_fiscal_year,
            "version": self.version,
            "source_ja": self.source_ja,
            "source_en": self.source_en,
        }


def _rules_from(row, course_code, fiscal_year, *, rule_set=None):
    values = {name: getattr(row, name, RULE_DEFAULTS.get(name, "")) for name in RULE_FIELDS}
    values["declarations"] = [dict(item) for item in values["declarations"] or []]
    values["eligible_categories"] = list(values["eligible_categories"] or [])
    values["required_attachments"] = list(values["required_attachments"] or [])
    values["line_caps_jpy"] = dict(values["line_caps_jpy"] or {})
    values["activity_limits"] = {
        kind: dict(limits) for kind, limits in (values["activity_limits"] or {}).items()
    }
    return Rules(
        course_code=course_code,
        fiscal_year=fiscal_year,
        rule_set_id=rule_set.pk if rule_set else None,
        rule_set_fiscal_year=rule_set.fiscal_year if rule_set else None,
        version=rule_set.version if rule_set else None,
        **values,
    )


def declaration_text(declaration):
    """A required declaration's text in the reader's language."""
    if get_language() == "ja" and declaration.get("text_ja"):
        return declaration["text_ja"]
    return declaration.get("text_en") or declaration.get("text_ja", "")


# The generation of the rules each process's kept rows belong to, in the shared cache.
RULES_GENERATION_KEY = "rules-generation"


class KeptRules:
    """Rule rows this process read, by key, valid while the shared generation is unchanged.

    A request compares the generation once, at its first read; outside a request (a Celery
    task, a command) every read compares it. Outside a transaction only (see the module's
    docstring). Without a reachable cache, or with a cache of this process only (`make run`'s:
    a command run beside the server could not tell it of a change), every read goes to the
    database."""

    def __init__(self):
        self.generation = None
        self.rows = {}
        self.request = threading.local()  # .compared: this request compared the generation

    def read(self, key, read, *, fresh=None):
        """The rows `read()` gives, kept under `key`; inside a transaction `fresh()` (default:
        `read()`), never kept."""
        if transaction.get_connection().in_atomic_block:
            return (fresh or read)()
        if isinstance(caches["default"], LocMemCache | DummyCache):
            return read()
        if not getattr(self.request, "compared", False):
            generation = cache.get(RULES_GENERATION_KEY)
            if generation is None:  # never set, evicted, or the cache is down
                cache.add(RULES_GENERATION_KEY, uuid.uuid4().hex, timeout=None)
                generation = cache.get(RULES_GENERATION_KEY)
                if generation is None:
                    return read()
            if generation != self.generation:
                self.generation, self.rows = generation, {}
            self.request.compared = getattr(self.request, "in_request", False)
        if key not in self.rows:
            self.rows[key] = read()
        return self.rows[key]

    def forget(self):
        self.generation, self.rows = None, {}

    def request_started(self, **kwargs):
        self.request.compared, self.request.in_request = False, True

    def request_finished(self, **kwargs):
        self.request.compared, self.request.in_request = False, False


kept_rules = KeptRules()


def rules_changed():
    """Every process forgets the rules it kept once this transaction commits (this one at
    once too). Called by the saves below; for rows written any other way, call it."""
    kept_rules.forget()
    transaction.on_commit(lambda: cache.set(RULES_GENERATION_KEY, uuid.uuid4().hex, None))


def rule_set_in_force(course, fiscal_year):
    """The course's RuleSet for `fiscal_year`, else its last earlier one, else None (1 query)."""
    return (
        RuleSet.objects.filter(course=course, fiscal_year__lte=fiscal_year)
        .order_by("-fiscal_year")
        .first()
    )


def rules_for(call, course):
    """The course's rules in force for `call`'s fiscal year (see the module's docstring)."""
    rule_set = kept_rules.read(
        ("rule set", course.pk, call.fiscal_year),
        lambda: rule_set_in_force(course, call.fiscal_year),
    )
    return _rules_from(rule_set or course, course.code, call.fiscal_year, rule_set=rule_set)


def plan_rules(plan, *, refresh=False):
    """`rules_for(plan.call, plan.course)`, kept on the plan object so that the checks of one
    plan (or of every row of an import) read them once; `refresh` reads them again."""
    cached = getattr(plan, "_rules_in_force", None)
    if cached is None or refresh:
        cached = plan._rules_in_force = rules_for(plan.call, plan.course)
    return cached


def country_rules_for(fiscal_year, country_codes):
    """{country code: CountryRule in force for `fiscal_year`} for the given countries (at most
    1 query: every country's rules for the year are kept together, see `KeptRules`).

    A country without a rule for that year keeps its last earlier one; a country with none is
    left out (no cap, nothing extra required).
    """
    codes = {str(code) for code in country_codes if code}
    in_force = kept_rules.read(
        ("country rules", fiscal_year),
        lambda: _country_rules_in_force(fiscal_year),
        fresh=lambda: _country_rules_in_force(fiscal_year, codes),
    )
    return {code: in_force[code] for code in codes if code in in_force}


def _country_rules_in_force(fiscal_year, codes=None):
    """{country code: CountryRule in force for `fiscal_year`} of `codes` (default: all)."""
    found = {}
    rows = CountryRule.objects.filter(fiscal_year__lte=fiscal_year)
    if codes is not None:
        rows = rows.filter(country__in=codes)
    for row in rows.order_by("country", "-fiscal_year"):
        found.setdefault(str(row.country), row)
    return found


def _diff(old, new, names):
    return {name: [old.get(name), new[name]] for name in names if old.get(name) != new[name]}


def _values(row, names):
    values = {}
    for name in names:
        value = getattr(row, name)
        values[name] = str(value) if name == "country" else value
    return values


@transaction.atomic
def save_rule_set(rule_set, *, by):
    """Save `rule_set` (new or changed) and record the change.

    Side effects: raises `version` when an existing rule set changes; writes one RuleChange
    with every changed field (old and new value), none when nothing changed.
    """
    return _save_with_history(rule_set, RULE_FIELDS, by=by, history={"rule_set": rule_set})


@transaction.atomic
def save_country_rule(country_rule, *, by):
    """Save `country_rule` and record the change (as `save_rule_set`)."""
    return _save_with_history(
        country_rule, COUNTRY_RULE_FIELDS, by=by, history={"country_rule": country_rule}
    )


def _save_with_history(row, fields, *, by, history):
    """Save a rule row (locked first), raise its version and write its RuleChange."""
    old = {}
    if row.pk:
        stored = type(row).objects.select_for_update().get(pk=row.pk)
        old = _values(stored, fields)
        row.version = stored.version
    changes = _diff(old, _values(row, fields), fields)
    if not changes:
        return row
    if old:
        row.version += 1
    row.save()
    rules_changed()
    RuleChange.objects.create(
        **history,
        version=row.version,
        changed_by=by,
        changed_at=timezone.now(),
        changes=changes,
    )
    return row


def start_fiscal_year(course, fiscal_year, *, by):
    """The course's rule set for `fiscal_year`, created as a copy of the rules in force
    before it (the last rule set, else the course's values) when it does not exist yet.

    Side effects: as `save_rule_set` for a new rule set.
    """
    existing = RuleSet.objects.filter(course=course, fiscal_year=fiscal_year).first()
    if existing:
        return existing
    previous = rule_set_in_force(course, fiscal_year - 1) or course
    rule_set = RuleSet(course=course, fiscal_year=fiscal_year)
    for name in RULE_FIELDS:
        setattr(rule_set, name, getattr(previous, name, RULE_DEFAULTS.get(name, "")))
    return save_rule_set(rule_set, by=by)


def with_rules(calls):
    """`calls` as a list, each with `course_rules`: [(course, Rules)] for its courses, read
    with one query for all of them (the calls' courses prefetched)."""
    calls = list(calls)
    courses = {course.pk: course for call in calls for course in call.courses.all()}
    latest_year = max((call.fiscal_year for call in calls), default=0)
    rule_sets = {}
    rows = RuleSet.objects.filter(course__in=courses, fiscal_year__lte=latest_year).order_by(
        "-fiscal_year"
    )
    for row in rows:
        rule_sets.setdefault(row.course_id, []).append(row)
    for call in calls:
        call.course_rules = []
        for course in call.courses.all():
            rule_set = next(
                (
                    row
                    for row in rule_sets.get(course.pk, [])
                    if row.fiscal_year <= call.fiscal_year
                ),
                None,
            )
            call.course_rules.append(
                (
                    course,
                    _rules_from(
                        rule_set or course, course.code, call.fiscal_year, rule_set=rule_set
                    ),
                )
            )
    return calls
