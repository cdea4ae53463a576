"""A plan with an unresolved End User List match cannot be approved, by any path: the release
of the call's decisions, a promotion from the waitlist, or `set_plan_state` itself. Once staff
record a resolution (who, when, why), approval proceeds."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.domain.states import TransitionRefused, set_plan_state, start_review, submit_plan
from applications.models import BudgetLine, PlanState
from institutions.domain.partners import save_partner
from institutions.models import PartnerInstitution
from participants.models import Participant
from reviews.domain.decisions import decide, promote_from_waitlist, release_decisions
from reviews.models import Decision
from screening.domain.precheck import resolve_match
from screening.models import ScreeningMatch
from tests.conftest import with_two_factor
from tests.factories import CallFactory, PlanFactory, UserFactory
from tests.reviews.factories import closed

pytestmark = pytest.mark.django_db
S = PlanState
Outcome = Decision.Outcome


@pytest.fixture
def staff(db):
    return with_two_factor(UserFactory(is_staff=True, full_name="Program Officer"))


@pytest.fixture
def call(db):
    return CallFactory()


def submitted_plan(call, amount=500_000):
    plan = PlanFactory(call=call)
    BudgetLine.objects.filter(plan=plan).delete()
    BudgetLine.objects.create(plan=plan, category="airfare", unit_cost_jpy=amount, quantity=1)
    submit_plan(plan, by=plan.lead)
    return plan


def listed_partner_on(plan):
    """A partner of the plan named like a listed entity: an unresolved match."""
    partner = save_partner(
        PartnerInstitution(
            host=plan.host, name="Borealis Nuclear Materials Academie", country="IN", kind="other"
        )
    )
    plan.partners.add(partner)
    return ScreeningMatch.objects.get(partner=partner)


def released_approval(plan, staff):
    now = timezone.now()
    Decision.objects.create(
        plan=plan, outcome=Outcome.APPROVED, decided_by=staff, decided_at=now, released_at=now
    )


def test_set_plan_state_refuses_approval_with_an_unresolved_match(call, staff, end_user_list):
    plan = submitted_plan(call)
    start_review(plan, by=staff)
    listed_partner_on(plan)
    released_approval(plan, staff)

    with pytest.raises(TransitionRefused) as refused:
        set_plan_state(plan, S.APPROVED, by=staff)

    assert "Borealis Nuclear Materials Academie" in refused.value.message
    plan.refresh_from_db()
    assert plan.state == S.UNDER_REVIEW


def test_set_plan_state_approves_once_the_match_is_resolved(call, staff, end_user_list):
    plan = submitted_plan(call)
    start_review(plan, by=staff)
    match = listed_partner_on(plan)
    released_approval(plan, staff)

    resolve_match(match, by=staff, reason="A different institute of the same name (checked).")
    set_plan_state(plan, S.APPROVED, by=staff)

    plan.refresh_from_db()
    match.refresh_from_db()
    assert plan.state == S.APPROVED
    assert match.resolved_by == staff
    assert match.resolved_at is not None
    assert match.resolution == "A different institute of the same name (checked)."


def test_unresolved_match_of_a_participants_home_institution_blocks_approval(
    call, staff, end_user_list
):
    plan = submitted_plan(call)
    start_review(plan, by=staff)
    home = save_partner(
        PartnerInstitution(host=plan.host, name="ZIAP", country="IN", kind="research_institute")
    )
    Participant.objects.create(
        plan=plan,
        family_name="DOE",
        given_name="Jane",
        date_of_birth="2000-01-01",
        gender="female",
        nationality="IN",
        home_institution=home,
        category="graduate",
        email="jane@example.org",
    )
    released_approval(plan, staff)

    with pytest.raises(TransitionRefused):
        set_plan_state(plan, S.APPROVED, by=staff)


def test_release_refuses_and_lists_the_plans_with_unresolved_matches(call, staff, end_user_list):
    clean = submitted_plan(call)
    held = submitted_plan(call)
    listed_partner_on(held)
    decide(clean, Outcome.APPROVED, by=staff)
    decide(held, Outcome.APPROVED, by=staff)

    with pytest.raises(ValidationError) as refused:
        release_decisions(closed(call), by=staff)

    assert held.reference in refused.value.messages[0]
    assert clean.reference not in refused.value.messages[0]
    for plan in (clean, held):
        plan.refresh_from_db()
        assert plan.state == S.SUBMITTED
    assert not Decision.objects.filter(released_at__isnull=False).exists()


def test_release_proceeds_once_the_match_is_resolved(call, staff, end_user_list):
    plan = submitted_plan(call)
    match = listed_partner_on(plan)
    decide(plan, Outcome.APPROVED, by=staff)
    resolve_match(match, by=staff, reason="Cleared with the host's export-control office.")

    assert release_decisions(closed(call), by=staff) == 1

    plan.refresh_from_db()
    assert plan.state == S.APPROVED


def test_release_of_a_rejection_is_not_held_by_a_match(call, staff, end_user_list):
    plan = submitted_plan(call)
    listed_partner_on(plan)
    decide(plan, Outcome.REJECTED, conditions="Out of scope.", by=staff)

    assert release_decisions(closed(call), by=staff) == 1
    plan.refresh_from_db()
    assert plan.state == S.REJECTED


def test_waitlist_promotion_refused_with_an_unresolved_match(call, staff, end_user_list):
    plan = submitted_plan(call)
    decide(plan, Outcome.WAITLISTED, by=staff)
    release_decisions(closed(call), by=staff)
    match = listed_partner_on(plan)

    with pytest.raises(TransitionRefused):
        promote_from_waitlist(plan, by=staff, amount=500_000)
    plan.refresh_from_db()
    assert plan.state == S.WAITLISTED

    resolve_match(match, by=staff, reason="Not the listed entity.")
    promote_from_waitlist(plan, by=staff, amount=500_000)
    plan.refresh_from_db()
    assert plan.state == S.APPROVED


def test_release_on_the_ranking_page_names_the_plan_held(client, call, staff, end_user_list):
    plan = submitted_plan(call)
    listed_partner_on(plan)
    decide(plan, Outcome.APPROVED, by=staff)
    closed(call)
    client.force_login(staff)

    response = client.post(
        reverse("review_ranking", args=[call.pk]),
        {"action": "release", "confirm": "on"},
        follow=True,
    )

    page = response.content.decode()
    assert f"Nothing was released: {plan.reference} would be approved" in page
    plan.refresh_from_db()
    assert plan.state == S.SUBMITTED
