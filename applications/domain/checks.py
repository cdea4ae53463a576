"""Every rule a plan must meet to be submitted, from its call and course (DESIGN.md).

`check_plan()` never stops at the first failure: it returns every problem, keyed by the
section of the editor and the field it concerns, so the coordinator sees all of them at once.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.db.models import Exists, F, OuterRef, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from common.prepared import PreparedQuery, keep_as_prefetched
from institutions.models import PartnerInstitution
from programs.domain.rules import country_rules_for, plan_rules
from programs.models import AttachmentKind, BudgetCategory, Call, ParticipantCategory

from ..models import Attachment, BudgetLine, ItineraryItem, PlannedInvitees, PlanState
from .activity_checks import check_activities, check_budget_activities
from .money import requested_total

# Editor sections, in the order the coordinator works through them.
SECTIONS = ["basics", "partners", "activities", "itinerary", "budget", "attachments"]


@dataclass(frozen=True)
class SectionCheck:
    """A section of the plan that a higher app owns (e.g. export-control screening): its name,
    label and page (a URL name taking the plan's pk), and `check(plan, problems)`, which adds
    its problems under that section."""

    name: str
    label: str
    url_name: str
    check: object


# Filled by the higher apps' AppConfig.ready (`register_section_check`), so that this module
# imports none of them; `check_plan` runs them after its own sections.
SECTION_CHECKS = []


def register_section_check(name, label, url_name, check):
    """Add a section owned by a higher app to the editor and to every submission check."""
    if all(existing.name != name for existing in SECTION_CHECKS):
        SECTION_CHECKS.append(SectionCheck(name, label, url_name, check))


def all_sections():
    return [*SECTIONS, *(extra.name for extra in SECTION_CHECKS)]


@dataclass
class Problems:
    """Problems by section and field: {"budget": {"line-3": ["…"]}}."""

    by_section: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))

    def add(self, section, field_name, message):
        self.by_section[section][field_name].append(message)

    def __bool__(self):
        return any(self.by_section.values())

    def __len__(self):
        return sum(len(m) for fields in self.by_section.values() for m in fields.values())

    def section(self, name):
        return {key: list(messages) for key, messages in self.by_section.get(name, {}).items()}

    def as_list(self):
        """[(section, field, message)] in editor order, for the review-and-submit page."""
        return [
            (section, field_name, message)
            for section in ["call", *all_sections()]
            for field_name, messages in self.by_section.get(section, {}).items()
            for message in messages
        ]


# The rows of a plan the checks read, by the plan's id, in their models' order (as
# `plan.<relation>.all()`): each query compiled once per process.
PLAN_ROWS = {
    "invitees": PreparedQuery(
        lambda plan: PlannedInvitees.objects.select_related("sending_institution").filter(plan=plan)
    ),
    "partners": PreparedQuery(lambda plan: PartnerInstitution.objects.filter(plans=plan)),
    "budget": PreparedQuery(lambda plan: BudgetLine.objects.filter(plan=plan)),
    "itinerary": PreparedQuery(lambda plan: ItineraryItem.objects.filter(plan=plan)),
    "attachments": PreparedQuery(lambda plan: Attachment.objects.filter(plan=plan)),
}


def read_plan_rows(plan):
    """Read `plan`'s invitees (with their sending institutions), partners, budget lines,
    itinerary and attachments once and keep them on the object (Django's prefetch cache:
    `plan.budget.all()` reads nothing more), for the checks and the page of one request, and
    for a submission, which checks and then freezes them. Only for a plan object read in this
    request: an edit made through other objects does not refresh them."""
    kept = kept_rows(plan)
    for relation, rows in PLAN_ROWS.items():
        if relation not in kept:
            keep_as_prefetched(plan, relation, rows.all(plan=plan.pk))


def kept_rows(plan):
    """{relation: rows} that `read_plan_rows` kept on `plan` (Django's prefetch cache)."""
    return getattr(plan, "_prefetched_objects_cache", {})


def plan_rows(plan):
    """(invitees, partners, budget lines) of `plan`: those `read_plan_rows` kept on it, else
    read now and not kept (a later check of the same object reads them again)."""
    kept = kept_rows(plan)
    if all(name in kept for name in ("invitees", "partners", "budget")):
        return list(kept["invitees"]), list(kept["partners"]), list(kept["budget"])
    return (
        list(plan.invitees.select_related("sending_institution")),
        list(plan.partners.all()),
        list(plan.budget.all()),
    )


def check_plan(plan, *, at=None, rules_read=False):
    """All problems that stop `plan` from being submitted at moment `at` (default: now).

    The course's rules are those in force for the call's fiscal year
    (`programs.domain.rules.rules_for`); each problem that comes from a rule names its source.
    They are read again, unless `rules_read`: the caller read this plan object in this
    request, so the rules `plan_rules` keeps on it are those in force.

    A revision the agency asked for may be submitted after the call closed: the deadline
    binds the first submission only; every other rule still applies.
    Reads the plan's invitees, itinerary, budget and attachments (a handful of queries; the
    rows `read_plan_rows` kept are not read again).
    """
    at = at or timezone.now()
    if not rules_read:
        plan_rules(plan, refresh=True)  # the rules in force now, for every check below
    problems = Problems()
    invitees, partners, lines = plan_rows(plan)  # read once for the checks that need them
    _check_call(plan, at, problems, revision=not deadline_binds(plan))
    _check_basics(plan, problems)
    total_people = _check_partners_and_invitees(plan, invitees, partners, problems)
    check_activities(plan, problems, with_source=with_source)
    _check_itinerary(plan, problems)
    _check_budget(plan, lines, total_people, problems)
    _check_attachments(plan, problems)
    check_country_rules(plan, invitees, partners, lines, problems)
    for extra in SECTION_CHECKS:
        extra.check(plan, problems)
    return problems


def with_source(message, rules):
    """The problem and the guideline it comes from, when the rule names one (`rules`: a
    course's Rules, a CountryRule, or the source text itself)."""
    source = rules if isinstance(rules, str) else rules.source
    if not source:
        return message
    return _("%(problem)s (Source: %(source)s)") % {"problem": message, "source": source}


def deadline_binds(plan):
    """Whether the call's dates bind `plan`'s submission now: they bind the first submission
    only; a revision the agency asked for may be sent after the call closed."""
    return plan.state != PlanState.REVISION_REQUESTED


def with_check_facts(plans):
    """`plans`, each read with three facts the checks would otherwise ask for one query at a
    time: whether its course is part of its call (`course_offered`, for the call and course
    it was read with: `facts_call_id`, `facts_course_id`), the course's security form
    requirement and the plan's screening answers; `check_facts` marks a plan so read.
    For a view that checks the plan it shows (the editor), in the request that read it: the
    checks ask the database themselves for a plan not so marked."""
    return plans.select_related("course__security_form_requirement", "screening").annotate(
        **_check_facts()
    )


@cache
def _check_facts():
    """The facts' expressions, made once (each query resolves its own copy)."""
    offered = Call.courses.through.objects.filter(
        call_id=OuterRef("call_id"), course_id=OuterRef("course_id")
    )
    return {
        "course_offered": Exists(offered),
        "check_facts": Value(True),
        "facts_call_id": F("call_id"),
        "facts_course_id": F("course_id"),
    }


def submission_window_shut(plan, at=None):
    """True when `plan` cannot be submitted at `at` (default: now) whatever its contents: its
    call is not open and the deadline binds it (`deadline_binds`)."""
    return deadline_binds(plan) and not plan.call.is_open(at or timezone.now())


def _check_call(plan, at, problems, *, revision):
    call, course = plan.call, plan.course
    if not revision and not call.is_open(at):
        if at >= call.closes_at:
            problems.add(
                "call",
                "call",
                _("The call closed at %(deadline)s Japan time.")
                % {"deadline": timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")},
            )
        else:
            problems.add("call", "call", _("The call is not open for submissions."))
    if getattr(plan, "check_facts", False) and (plan.facts_call_id, plan.facts_course_id) == (
        plan.call_id,
        plan.course_id,
    ):
        offered = plan.course_offered
    else:  # not read with the plan, or a form has changed its call or course since
        offered = call.courses.filter(pk=course.pk).exists()
    if not offered:
        problems.add("call", "course", _("The course is not part of this call."))


def _check_basics(plan, problems):
    required = {
        "title_ja": _("Give the title in Japanese."),
        "title_en": _("Give the title in English."),
        "field_of_science": _("Choose the field of science."),
        "objectives": _("Describe the objectives."),
        "expected_outcomes": _("Describe the expected outcomes."),
        "contact_name": _("Name the contact person during the stay."),
        "contact_email": _("Give the contact person's email address."),
    }
    for name, message in required.items():
        if not getattr(plan, name):
            problems.add("basics", name, message)

    arrival, departure, call, course = plan.arrival_on, plan.departure_on, plan.call, plan.course
    rules = plan_rules(plan)
    if rules.uses_activities:
        # The stay is the span of the activities (kept by the service that saves them): the
        # dates, the window and the days are checked per activity, not for the year as one.
        return
    if not arrival:
        problems.add("basics", "arrival_on", _("Give the arrival date."))
    if not departure:
        problems.add("basics", "departure_on", _("Give the departure date."))
    if not (arrival and departure):
        return
    if departure < arrival:
        problems.add("basics", "departure_on", _("Departure must not be before arrival."))
        return
    window = {"start": call.exchange_starts_on, "end": call.exchange_ends_on}
    if arrival < call.exchange_starts_on:
        problems.add(
            "basics",
            "arrival_on",
            _("Arrival must be on or after %(start)s, when the call's exchanges begin.") % window,
        )
    if departure > call.exchange_ends_on:
        problems.add(
            "basics",
            "departure_on",
            _("Departure must be on or before %(end)s, when the call's exchanges end.") % window,
        )
    if plan.stay_days > rules.max_days:
        problems.add(
            "basics",
            "departure_on",
            with_source(
                _("The stay is %(days)s days; course %(course)s allows at most %(max)s.")
                % {"days": plan.stay_days, "course": course.code, "max": rules.max_days},
                rules,
            ),
        )


def _check_partners_and_invitees(plan, invitees, partners, problems):
    course, rules = plan.course, plan_rules(plan)
    if not partners:
        problems.add("partners", "partners", _("Name at least one partner institution abroad."))
    total = sum(counted_people(row, rules) for row in invitees)
    if total < rules.min_invitees or total > rules.max_invitees:
        numbers = {
            "total": total,
            "course": course.code,
            "min": rules.min_invitees,
            "max": rules.max_invitees,
        }
        if rules.escorts_counted:
            message = _(
                "The plan invites %(total)s people; course %(course)s allows %(min)s to "
                "%(max)s (escorts included)."
            )
        else:
            message = _(
                "The plan invites %(total)s people besides its escorts; course %(course)s "
                "allows %(min)s to %(max)s (escorts not counted)."
            )
        problems.add("partners", "invitees", with_source(message % numbers, rules))
    _check_sending_institutions(plan, invitees, rules, problems)
    eligible_countries = set(course.get_eligible_countries())
    categories = dict(ParticipantCategory.choices)
    for row in invitees:
        if eligible_countries and row.country.code not in eligible_countries:
            problems.add(
                "partners",
                invitee_field(row, "country", rules),
                _("%(country)s is not eligible for course %(course)s.")
                % {"country": countries.name(row.country.code), "course": course.code},
            )
        if rules.eligible_categories and row.category not in rules.eligible_categories:
            problems.add(
                "partners",
                invitee_field(row, "category", rules),
                with_source(
                    _("The category “%(category)s” is not eligible for course %(course)s.")
                    % {"category": categories[row.category], "course": course.code},
                    rules,
                ),
            )
    return sum(row.count for row in invitees)  # the plan's planned people


def invitee_field(row, name, rules):
    """Where a planned-invitees row's problem is shown: at the row's own field in a plan made
    of activities (course D), "invitee-<id>-<field>"; under the invitees for other courses."""
    return f"invitee-{row.pk}-{name}" if rules.uses_activities else "invitees"


def counted_people(row, rules):
    """The people of a planned-invitees row that count towards the course's invitee limits:
    all of them, but escorts (supervisors) only where the rule set counts them."""
    if row.category == ParticipantCategory.ESCORT and not rules.escorts_counted:
        return 0
    return row.count


def _check_sending_institutions(plan, invitees, rules, problems):
    """Where the rule set limits the invitees per sending institution, every row must say
    which partner institution sends its people, and no institution may send more."""
    limit = rules.max_invitees_per_institution
    if limit is None:
        return
    per_institution = {}
    for row in invitees:
        if row.sending_institution_id is None:
            if counted_people(row, rules):
                problems.add(
                    "partners",
                    "invitees",
                    with_source(
                        _(
                            "Say which partner institution sends the invitees from "
                            "%(country)s; course %(course)s allows at most %(max)s per "
                            "sending institution."
                        )
                        % {
                            "country": countries.name(row.country.code),
                            "course": plan.course.code,
                            "max": limit,
                        },
                        rules,
                    ),
                )
            continue
        institution = row.sending_institution
        count = per_institution.get(institution, 0)
        per_institution[institution] = count + counted_people(row, rules)
    for institution, count in per_institution.items():
        if count > limit:
            problems.add(
                "partners",
                "invitees",
                with_source(
                    _(
                        "%(count)s people come from %(institution)s; course %(course)s allows "
                        "at most %(max)s per sending institution."
                    )
                    % {
                        "count": count,
                        "institution": institution.name,
                        "course": plan.course.code,
                        "max": limit,
                    },
                    rules,
                ),
            )


def _check_itinerary(plan, problems):
    items = list(plan.itinerary.all())
    if not items:
        problems.add("itinerary", "itinerary", _("Add the itinerary, day by day."))
        return
    for item in items:
        if (
            plan.arrival_on
            and plan.departure_on
            and not (plan.arrival_on <= item.day <= plan.departure_on)
        ):
            problems.add(
                "itinerary",
                f"item-{item.pk}",
                _("%(day)s “%(title)s” is outside the stay (%(arrival)s to %(departure)s).")
                % {
                    "day": item.day,
                    "title": item.title_en,
                    "arrival": plan.arrival_on,
                    "departure": plan.departure_on,
                },
            )
        if item.end_time <= item.start_time:
            problems.add(
                "itinerary",
                f"item-{item.pk}",
                _("%(day)s “%(title)s” ends before it starts.")
                % {"day": item.day, "title": item.title_en},
            )


def _check_budget(plan, lines, total_people, problems):
    rules = plan_rules(plan)
    if not lines:
        problems.add("budget", "budget", _("Add the budget lines."))
        return
    if rules.uses_activities:
        check_budget_activities(plan, lines, problems)
    labels = dict(BudgetCategory.choices)
    caps = rules.line_caps_jpy
    company_pays_the_rest = company_pays_all_but_airfare(plan)
    for line in lines:
        cap = caps.get(line.category)
        if cap is not None and line.unit_cost_jpy > cap:
            problems.add(
                "budget",
                f"line-{line.pk}",
                with_source(
                    _("%(category)s: ¥%(cost)s per unit is over the cap of ¥%(cap)s.")
                    % {
                        "category": labels[line.category],
                        "cost": f"{line.unit_cost_jpy:,}",
                        "cap": f"{cap:,}",
                    },
                    rules,
                ),
            )
        if company_pays_the_rest and line.category != BudgetCategory.AIRFARE:
            problems.add(
                "budget",
                f"line-{line.pk}",
                with_source(
                    _(
                        "%(category)s: when a company hosts, the agency pays only international "
                        "airfare; the host bears other costs."
                    )
                    % {"category": labels[line.category]},
                    rules,
                ),
            )
    total = requested_total(plan, lines)
    if rules.per_plan_cap_jpy is not None and total > rules.per_plan_cap_jpy:
        problems.add(
            "budget",
            "total",
            with_source(
                _("The total of ¥%(total)s is over the course's cap of ¥%(cap)s per plan.")
                % {"total": f"{total:,}", "cap": f"{rules.per_plan_cap_jpy:,}"},
                rules,
            ),
        )
    if rules.per_person_cap_jpy is not None and total_people:
        per_person = -(-total // total_people)  # rounded up: never let a yen slip under
        if total > rules.per_person_cap_jpy * total_people:
            problems.add(
                "budget",
                "total",
                with_source(
                    _("¥%(amount)s per person is over the course's cap of ¥%(cap)s per person.")
                    % {"amount": f"{per_person:,}", "cap": f"{rules.per_person_cap_jpy:,}"},
                    rules,
                ),
            )


def _check_attachments(plan, problems):
    kept = kept_rows(plan)
    if "attachments" in kept:  # read for a submission (read_plan_rows), which freezes them
        present = {attachment.kind for attachment in kept["attachments"]}
    else:
        present = set(plan.attachments.values_list("kind", flat=True))
    labels = dict(AttachmentKind.choices)
    rules = plan_rules(plan)
    for kind in rules.required_attachments:
        if kind not in present:
            problems.add(
                "attachments",
                kind,
                with_source(_("Attach: %(kind)s (PDF).") % {"kind": labels.get(kind, kind)}, rules),
            )


def company_pays_all_but_airfare(plan):
    """Whether the agency funds only international airfare because a company hosts the plan
    (the rule set's `company_airfare_only`; the budget check and the letter ask this)."""
    return plan.host.is_company and plan_rules(plan).company_airfare_only


def check_country_rules(plan, invitees, partners, lines, problems):
    """The rules of the invitees' and partners' countries for the call's fiscal year
    (`programs.domain.rules.country_rules_for`).

    Airfare cap by departure country: the plan's international airfare (all its airfare lines
    together) may not exceed the sum, over its planned invitees (escorts included), of their
    country's cap × the people from that country; exactly at it is allowed. The cap is checked
    when every country the plan invites from has one for the year (a country without a cap
    is not limited, so no sum can be drawn). The problem is shown at the first airfare line.
    In a plan made of activities (course D) only the invitations' airfare counts.

    Registration receipt: a partner institution from a country whose rule asks for it (China)
    needs this round's receipt number, entered on the partners page.
    """
    country_rules = country_rules_for(
        plan.call.fiscal_year,
        [row.country.code for row in invitees] + [partner.country.code for partner in partners],
    )
    people = Counter()
    for row in invitees:
        people[row.country.code] += row.count
    capped = [
        code
        for code in people
        if code in country_rules and country_rules[code].airfare_cap_jpy is not None
    ]
    airfare_lines = [line for line in lines if line.category == BudgetCategory.AIRFARE]
    if plan_rules(plan).uses_activities:
        # Course D: only the invitations' airfare is the invitees'; a dispatch flies the
        # host's own young people out, whom no departure-country cap concerns.
        invitations = set(plan.activities.filter(kind="invitation").values_list("pk", flat=True))
        airfare_lines = [line for line in airfare_lines if line.activity_id in invitations]
    if people and airfare_lines and len(capped) == len(people):
        allowed = sum(country_rules[code].airfare_cap_jpy * people[code] for code in capped)
        airfare = sum(line.amount_jpy for line in airfare_lines)
        if airfare > allowed:
            detail = "; ".join(
                _("%(country)s: %(count)s × ¥%(cap)s")
                % {
                    "country": countries.name(code),
                    "count": people[code],
                    "cap": f"{country_rules[code].airfare_cap_jpy:,}",
                }
                for code in sorted(capped)
            )
            sources = "; ".join(
                dict.fromkeys(
                    country_rules[code].source
                    for code in sorted(capped)
                    if country_rules[code].source
                )
            )
            problems.add(
                "budget",
                f"line-{airfare_lines[0].pk}",
                with_source(
                    _(
                        "International airfare of ¥%(amount)s is over the cap of ¥%(cap)s for "
                        "these invitees (%(detail)s)."
                    )
                    % {"amount": f"{airfare:,}", "cap": f"{allowed:,}", "detail": detail},
                    sources,
                ),
            )
    asked = [
        (partner, rule)
        for partner in partners
        if (rule := country_rules.get(partner.country.code)) and rule.registration_receipt_required
    ]
    # Read only when a partner's country asks for a receipt (China, in the demo).
    receipts = dict(plan.registration_receipts.values_list("partner_id", "number")) if asked else {}
    for partner, rule in asked:
        if not receipts.get(partner.pk, "").strip():
            problems.add(
                "partners",
                f"receipt_{partner.pk}",
                with_source(
                    _(
                        "Give the receipt number of %(partner)s's registration of this round "
                        "with the authorities of %(country)s."
                    )
                    % {"partner": partner.name, "country": countries.name(partner.country.code)},
                    rule,
                ),
            )
