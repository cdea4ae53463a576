"""Ten years of plans and participants in one go (`seed_scale`), and deleting exactly what it
made. Deterministic for a given random generator; the number of queries does not grow with
the number of rows."""

from collections import Counter
from datetime import timedelta

from django.db import transaction

from accounts.models import User
from applications.models import (
    BudgetLine,
    InvitationPlan,
    ItineraryItem,
    PlannedInvitees,
    PlanState,
)
from institutions.models import Institution
from participants.models import Participant
from programs.models import Call, Course, FieldOfScience, Program
from reviews.models import Decision, Review, ReviewAssignment, Score

from . import rows
from .reviews import create_reviews
from .setup import create_calls, create_institutions, create_partners, create_programs
from .tables import (
    BATCH,
    COUNTRY_WEIGHTS,
    COURSE_WEIGHTS,
    CURRENT_STATES,
    D_COUNTRY_WEIGHTS,
    EMAIL_DOMAIN,
    INSTITUTION_PREFIX,
    NEXUS_COUNTRY_WEIGHTS,
    PAST_STATES,
    PROGRAM_CODES,
    PROGRAM_WEIGHTS,
    TOPICS,
    WITH_PARTICIPANTS,
    Deck,
    weighted,
)


@transaction.atomic
def delete_scale_data():
    """Delete everything an earlier run made, and nothing else (see the module docstring)."""
    plans = InvitationPlan.objects.filter(call__program__code__in=PROGRAM_CODES)
    # Reviews first, from the bottom up: each delete is then one query, not a cascade that
    # loads tens of thousands of rows to find their dependants.
    Score.objects.filter(review__assignment__plan__in=plans).delete()
    Review.objects.filter(assignment__plan__in=plans).delete()
    ReviewAssignment.objects.filter(plan__in=plans).delete()
    Participant.objects.filter(plan__in=plans).delete()
    plans.delete()
    Call.objects.filter(program__code__in=PROGRAM_CODES).delete()
    Course.objects.filter(program__code__in=PROGRAM_CODES).delete()
    Program.objects.filter(code__in=PROGRAM_CODES).delete()
    Institution.objects.filter(name_en__startswith=f"{INSTITUTION_PREFIX} ").delete()
    User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()


def generate(rng, years, plans_per_year, participants_per_plan):
    """Write the whole dataset with bulk_create; return how many rows of each kind."""
    courses = create_programs()
    calls = create_calls(years)
    institutions, coordinators, officer = create_institutions(rng)
    partners = create_partners(rng, institutions)
    plans, plan_rows, countries = create_plans(
        rng, calls, courses, institutions, coordinators, plans_per_year
    )
    # Participants: about plans × participants-per-plan in all, spread over the plans
    # that were approved (or got further); one at least each, the course maximum at most.
    eligible = [i for i, row in enumerate(plan_rows) if row["state"] in WITH_PARTICIPANTS]
    wanted = round(len(plans) * participants_per_plan)
    sizes = dict.fromkeys(eligible, 0)
    if eligible and wanted:
        for index in eligible[:wanted]:
            sizes[index] = 1
        open_ = [i for i in eligible if sizes[i] < plan_rows[i]["course"].max_invitees]
        remaining = wanted - sum(sizes.values())
        while remaining > 0 and open_:
            pick = rng.randrange(len(open_))
            index = open_[pick]
            sizes[index] += 1
            remaining -= 1
            if sizes[index] >= plan_rows[index]["course"].max_invitees:
                open_[pick] = open_[-1]
                open_.pop()
    assign_countries(rng, plan_rows, [i for i in eligible if sizes[i]], sizes)
    invitees, participants, itinerary, budget, decisions = [], [], [], [], []
    plan_partners = []
    for index, (plan, row) in enumerate(zip(plans, plan_rows, strict=True)):
        course = row["course"]
        size = sizes.get(index) or rng.randint(1, min(5, course.max_invitees))
        people = [rows.person(rng, countries, row) for _ in range(size)]
        plan_partners.extend(
            InvitationPlan.partners.through(invitationplan_id=plan.pk, partnerinstitution_id=pk)
            for pk in partners_of_plan(rng, partners.get(plan.host_id, {}), people)
        )
        for (country, category), count in sorted(
            Counter((p["country"], p["category"]) for p in people).items()
        ):
            invitees.append(
                PlannedInvitees(plan=plan, country=country, category=category, count=count)
            )
        if index in sizes:
            host_partners = partners.get(plan.host_id, {})
            for number, person in enumerate(people):
                home = host_partners.get(person["country"])
                participants.append(rows.participant(rng, plan, row, person, number, home))
        itinerary.extend(rows.itinerary(rng, plan))
        budget.extend(rows.budget(rng, plan, size))
        decision = rows.decision(plan, row, size, officer)
        if decision:
            decisions.append(decision)
    PlannedInvitees.objects.bulk_create(invitees, batch_size=BATCH)
    InvitationPlan.partners.through.objects.bulk_create(plan_partners, batch_size=BATCH)
    ItineraryItem.objects.bulk_create(itinerary, batch_size=BATCH)
    BudgetLine.objects.bulk_create(budget, batch_size=BATCH)
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    Participant.objects.bulk_create(participants, batch_size=BATCH)
    reviewed = create_reviews(rng, calls, plans, plan_rows, institutions, officer)
    return {
        "programs": len(PROGRAM_CODES),
        "courses": len(courses),
        "calls": len(calls),
        "institutions": len(institutions),
        "coordinators": len(coordinators),
        "partner institutions": sum(len(p) for p in partners.values()),
        "plans": len(plans),
        "plan partners": len(plan_partners),
        "planned invitee rows": len(invitees),
        "itinerary items": len(itinerary),
        "budget lines": len(budget),
        "decisions": len(decisions),
        "participants": len(participants),
        **reviewed,
    }


def partners_of_plan(rng, host_partners, people):
    """The ids of the host's partners a plan names: those in its invitees' countries, else
    one of the host's partners (a plan always names at least one)."""
    named = sorted(
        {host_partners[p["country"]].pk for p in people if p["country"] in host_partners}
    )
    if not named and host_partners:
        named = [rng.choice(sorted(partner.pk for partner in host_partners.values()))]
    return named


def assign_countries(rng, plan_rows, indexes, sizes):
    """Give the plans with participants the countries that keep nationalities on target.

    Largest plans first, each goes to the allowed country furthest below its share of
    the participants so far: the weighting holds even for a few dozen plans, and a
    plan's invitees still come mostly from one country.
    """
    total = sum(COUNTRY_WEIGHTS.values())
    share = {country: weight / total for country, weight in COUNTRY_WEIGHTS.items()}
    placed, seen = Counter(), 0
    order = sorted(indexes, key=lambda i: (-sizes[i], rng.random()))
    for index in order:
        code = plan_rows[index]["course"].code
        allowed = {"D": D_COUNTRY_WEIGHTS, "N": NEXUS_COUNTRY_WEIGHTS}.get(code, COUNTRY_WEIGHTS)
        seen += sizes[index]
        country = max(allowed, key=lambda c: share.get(c, 0.005) * seen - placed[c])
        placed[country] += sizes[index]
        plan_rows[index]["country"] = country


def create_plans(rng, calls, courses, institutions, coordinators, plans_per_year):
    by_year = {}
    for call in calls:
        by_year.setdefault(call.fiscal_year, []).append(call)
    plans, plan_rows = [], []
    countries = Deck(rng, COUNTRY_WEIGHTS)
    for year_calls in by_year.values():
        call_weights = [PROGRAM_WEIGHTS[call.program.code] for call in year_calls]
        numbers = Counter()
        for _ in range(plans_per_year):
            call = rng.choices(year_calls, weights=call_weights)[0]
            numbers[call.pk] += 1
            number = numbers[call.pk]
            course = rng.choices(
                call.course_list, weights=[COURSE_WEIGHTS[c.code] for c in call.course_list]
            )[0]
            host_index = rng.randrange(len(institutions))
            if call.is_current:
                state = weighted(rng, CURRENT_STATES[call.round])
            else:
                state = weighted(rng, PAST_STATES)
            if course.code == "D":
                country = weighted(rng, D_COUNTRY_WEIGHTS)
            elif course.code == "N":
                country = weighted(rng, NEXUS_COUNTRY_WEIGHTS)
            else:
                country = countries.draw()
            arrival = call.exchange_starts_on + timedelta(days=rng.randint(0, 150))
            days = rng.randint(max(3, course.max_days - 6), course.max_days)
            created = call.opens_at + timedelta(days=rng.randint(0, 40))
            topic = rng.choice(TOPICS)
            plans.append(
                InvitationPlan(
                    call=call,
                    course=course,
                    host=institutions[host_index],
                    number=number,
                    reference=f"{call.reference_prefix}-{number:04d}",
                    lead=coordinators[host_index],
                    title_en=f"Young researchers on {topic}",
                    title_ja=f"{topic}の若手研究者交流",
                    field_of_science=rng.choice(FieldOfScience.values),
                    objectives="Joint research and exchange.",
                    expected_outcomes="Future study in Japan.",
                    arrival_on=arrival,
                    departure_on=arrival + timedelta(days=days - 1),
                    contact_name=f"Coordinator {host_index + 1:03d}",
                    contact_email=coordinators[host_index].email,
                    state=state,
                    created_at=created,
                    submitted_at=None if state == PlanState.DRAFT else call.closes_at,
                )
            )
            plan_rows.append({"course": course, "country": country, "state": state})
    plans = InvitationPlan.objects.bulk_create(plans, batch_size=BATCH)
    return plans, plan_rows, countries
