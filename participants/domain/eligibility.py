"""Whether a participant may come under the plan's course: every rule at once, with the reason.

Rules (guidelines FY2024; the numbers are the rules in force for the call, `plan_rules`):
category allowed; younger than the age limit on the arrival date (`age_on_arrival`);
nationality among the eligible countries; not more people than approved (`places_left`);
first stay in Japan (where the rules ask for it; not in course D); and a flag for staff when
the same person (name + date of birth + nationality) already took part in the program that
fiscal year.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django_countries import countries

from applications.models import PlanState
from programs.domain.rules import plan_rules
from programs.models import ParticipantCategory

from ..models import Direction, Participant
from .travel import first_day, participant_activity


@dataclass
class Eligibility:
    problems: list = field(default_factory=list)  # block registration
    flags: list = field(default_factory=list)  # shown to staff, do not block

    @property
    def ok(self):
        return not self.problems


def normalized(name):
    return " ".join(name.casefold().split())


def age_on(date_of_birth, day):
    """Whole years completed on `day`: one more on each birthday (a 29 February birthday
    comes on 1 March in other years)."""
    born = date_of_birth
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_on_arrival(date_of_birth, plan):
    """The age the age limit is judged by: on the plan's arrival day ("under 40 when they come
    to Japan", guidelines FY2024). None while either date is unknown."""
    if date_of_birth is None or plan.arrival_on is None:
        return None
    return age_on(date_of_birth, plan.arrival_on)


def check_eligibility(data, plan, *, exclude_pk=None, check_places=False, repeat=None):
    """Problems and flags for one participant's data (a dict or a Participant) in `plan`;
    with `check_places`, also whether a place is left for them (`places_left()`). `repeat`:
    whether they took part elsewhere already, when the caller knows (else one query)."""
    get = (
        data.get
        if isinstance(data, dict)
        else lambda key, default=None: getattr(data, key, default)
    )
    course, rules = plan.course, plan_rules(plan)
    result = Eligibility()
    category = get("category")
    labels = dict(ParticipantCategory.choices)
    if rules.eligible_categories and category not in rules.eligible_categories:
        result.problems.append(
            _("The category “%(category)s” is not eligible for course %(course)s.")
            % {"category": labels.get(category, category), "course": course.code}
        )
    # In a plan made of activities, the age counts on the activity's first day.
    arrival = first_day(data, plan)
    born = get("date_of_birth")
    age = age_on(born, arrival) if born and arrival else None
    # Escorts (supervisors) come with the young people: the age limit is not theirs.
    too_old = rules.age_limit and age is not None and age >= rules.age_limit
    if too_old and category != ParticipantCategory.ESCORT:
        result.problems.append(
            _("Aged %(age)s on arrival (%(arrival)s); the course requires under %(limit)s.")
            % {"age": age, "arrival": arrival, "limit": rules.age_limit}
        )
    nationality = str(get("nationality") or "")
    eligible = set(course.get_eligible_countries())
    # The eligible countries are those of the people invited; a dispatched participant is one
    # of the host's own people going to them.
    dispatched = get("direction") == Direction.DISPATCHED
    if eligible and nationality not in eligible and not dispatched:
        result.problems.append(
            _("Nationality %(country)s is not eligible for course %(course)s.")
            % {"country": countries.name(nationality) or nationality, "course": course.code}
        )
    activity = participant_activity(data)
    if check_places and activity is not None:
        if activity_places_left(activity, exclude_pk=exclude_pk) < 1:
            result.problems.append(
                _("“%(activity)s” is planned for %(count)s people; all places are taken.")
                % {"activity": activity.title, "count": activity.people}
            )
    elif check_places and places_left(plan, exclude_pk=exclude_pk) < 1:
        result.problems.append(
            _("The plan is approved for %(count)s people; all places are taken.")
            % {"count": approved_places(plan)}
        )
    if repeat is None:
        repeat = repeat_participant(get, plan, exclude_pk=exclude_pk)
    result.flags.extend(
        staff_flags(
            plan,
            first_stay=get("first_stay_in_japan"),
            repeat=repeat,
            kind=(nationality, category),
            dispatched=dispatched,
        )
    )
    return result


def staff_flags(plan, *, first_stay, repeat, kind, dispatched=False):
    """What staff should know about a person, without blocking them. `kind` is the person's
    (nationality, category): flagged when no row of the plan's planned invitees has it (the
    planned invitees are people invited: a dispatched participant is not among them)."""
    flags = []
    if plan.planned_kinds and kind not in plan.planned_kinds and not dispatched:
        nationality, category = kind
        flags.append(
            _("Not among the planned invitees (%(country)s, %(category)s).")
            % {
                "country": countries.name(nationality) or nationality,
                "category": dict(ParticipantCategory.choices).get(category, category),
            }
        )
    if first_stay is False and plan_rules(plan).first_stay_required:
        flags.append(_("Not the first stay in Japan."))
    if repeat:
        flags.append(
            _("Took part in this program already in fiscal year %(year)s.")
            % {"year": plan.call.fiscal_year}
        )
    return flags


def same_person_elsewhere(plan, **identity):
    """Participants with this identity (family and given name, date of birth, nationality;
    values or OuterRefs) in another plan of the program and fiscal year that went ahead."""
    return (
        Participant.objects.filter(
            family_name__iexact=identity["family_name"],
            given_name__iexact=identity["given_name"],
            date_of_birth=identity["date_of_birth"],
            nationality=identity["nationality"],
            plan__call__program_id=plan.call.program_id,
            plan__call__fiscal_year=plan.call.fiscal_year,
        )
        .exclude(plan__state=PlanState.WITHDRAWN)
        .exclude(plan=plan)
    )


def repeat_participant(get, plan, *, exclude_pk=None):
    """The same person already took part in the program that fiscal year."""
    same = same_person_elsewhere(
        plan,
        family_name=get("family_name", "").strip(),
        given_name=get("given_name", "").strip(),
        date_of_birth=get("date_of_birth"),
        nationality=str(get("nationality") or ""),
    )
    if exclude_pk:
        same = same.exclude(pk=exclude_pk)
    return same.exists()


def repeat_key(participant):
    """The identity `same_person_elsewhere()` compares, as Python compares it: names without
    case (PostgreSQL's iexact compares UPPER()), date of birth, nationality."""
    return (
        (participant.family_name or "").strip().upper(),
        (participant.given_name or "").strip().upper(),
        participant.date_of_birth,
        str(participant.nationality or ""),
    )


def repeat_keys(plan, people):
    """The repeat_key of every one of `people` (unsaved Participants of `plan`) who took part
    in another plan of the program that fiscal year: one query for all of them."""
    born = {person.date_of_birth for person in people if person.date_of_birth}
    if not born:
        return frozenset()
    elsewhere = (
        Participant.objects.filter(
            date_of_birth__in=born,
            plan__call__program_id=plan.call.program_id,
            plan__call__fiscal_year=plan.call.fiscal_year,
        )
        .exclude(plan__state=PlanState.WITHDRAWN)
        .exclude(plan=plan)
    )
    return frozenset(map(repeat_key, elsewhere.only(*REPEAT_FIELDS))) & frozenset(
        map(repeat_key, people)
    )


REPEAT_FIELDS = ["family_name", "given_name", "date_of_birth", "nationality"]


def with_repeat_flag(participants, plan):
    """Annotate `repeat_elsewhere` on a list of the plan's participants, in the list query."""
    return participants.annotate(
        repeat_elsewhere=Exists(
            same_person_elsewhere(
                plan,
                family_name=OuterRef("family_name"),
                given_name=OuterRef("given_name"),
                date_of_birth=OuterRef("date_of_birth"),
                nationality=OuterRef("nationality"),
            )
        )
    )


def approved_places(plan):
    """How many people the plan may register: its planned invitees (escorts included); in a
    plan made of activities, the people of its invitations and dispatches."""
    if plan_rules(plan).uses_activities:
        return sum(activity.people for activity in plan.activities.all() if not activity.is_online)
    return plan.planned_people


def activity_places_left(activity, *, exclude_pk=None):
    """Places of one activity (its `people`) not yet taken; the one count per activity."""
    return activity.people - activity.participants.exclude(pk=exclude_pk).count()


def places_left(plan, *, exclude_pk=None):
    """Approved places not yet taken by a registered participant (the one being edited,
    `exclude_pk`, left out). Below zero when the plan's numbers were lowered later.

    The one count of places: the participant form, the import and the list all read it.
    Registrations call it after `registry.lock_places()`, so two cannot take the last place.
    """
    return approved_places(plan) - plan.participants.exclude(pk=exclude_pk).count()
