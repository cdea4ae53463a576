"""One plan's rows in the scale data: its people, participants, itinerary, budget and
decision, made in memory for bulk_create."""

from datetime import time, timedelta

from applications.models import BudgetLine, ItineraryItem, PlanState
from participants.models import Participant
from programs.models import BudgetCategory
from reviews.models import Decision

from .tables import (
    ACTIVITIES,
    AGE_RANGES,
    CATEGORY_WEIGHTS,
    EMAIL_DOMAIN,
    FALLBACK_NAMES,
    NAMES,
    WITH_PARTICIPANTS,
    weighted,
)


def person(rng, countries, row):
    """Mostly the plan's country; now and then someone from elsewhere."""
    country = row["country"]
    if rng.random() < 0.15 and row["course"].code not in ("D", "N"):
        country = countries.draw()
    categories = row["course"].eligible_categories
    category = weighted(rng, {c: w for c, w in CATEGORY_WEIGHTS.items() if c in categories})
    return {"country": country, "category": category}


def participant(rng, plan, row, person, number, home):
    family, given, native = rng.choice(NAMES.get(person["country"], FALLBACK_NAMES))
    low, high = AGE_RANGES[person["category"]]
    born = plan.arrival_on - timedelta(days=rng.randint(low * 365 + 1, high * 365 + 300))
    return Participant(
        plan=plan,
        family_name=family,
        given_name=given,
        native_name=native,
        date_of_birth=born,
        gender=rng.choice(Participant.Gender.values[:2]),
        nationality=person["country"],
        home_institution=home,
        category=person["category"],
        email=f"p{plan.pk}-{number}@{EMAIL_DOMAIN}",
        passport_number_encrypted="",
        first_stay_in_japan=rng.random() < 0.9,
    )


def itinerary(rng, plan):
    items = []
    for offset in range(1, min(4, (plan.departure_on - plan.arrival_on).days) + 1):
        kind, title_en, title_ja = rng.choice(ACTIVITIES)
        items.append(
            ItineraryItem(
                plan=plan,
                day=plan.arrival_on + timedelta(days=offset),
                start_time=time(9 + rng.randint(0, 4)),
                end_time=time(15 + rng.randint(0, 2)),
                kind=kind,
                title_en=title_en,
                title_ja=title_ja,
                place="Campus",
            )
        )
    return items


def budget(rng, plan, size):
    nights = (plan.departure_on - plan.arrival_on).days
    return [
        BudgetLine(
            plan=plan,
            category=BudgetCategory.AIRFARE,
            unit_cost_jpy=rng.randrange(60_000, 200_000, 1_000),
            quantity=size,
        ),
        BudgetLine(
            plan=plan,
            category=BudgetCategory.ACCOMMODATION,
            unit_cost_jpy=rng.randrange(6_000, 15_000, 500),
            quantity=size * nights,
        ),
        BudgetLine(
            plan=plan,
            category=BudgetCategory.PER_DIEM,
            unit_cost_jpy=5_000,
            quantity=size * (nights + 1),
        ),
    ]


def decision(plan, row, size, officer):
    if row["state"] in WITH_PARTICIPANTS:
        outcome = Decision.Outcome.APPROVED
    elif row["state"] == PlanState.REJECTED:
        outcome = Decision.Outcome.REJECTED
    else:
        return None
    decided = plan.call.closes_at + timedelta(days=40)
    return Decision(
        plan=plan,
        outcome=outcome,
        approved_amount_jpy=(
            min(size * 400_000, row["course"].per_plan_cap_jpy or size * 400_000)
            if outcome == Decision.Outcome.APPROVED
            else None
        ),
        decided_by=officer,
        decided_at=decided,
        released_at=decided + timedelta(days=3),
    )
