"""seed_demo: idempotent, every role, and its approved plan made through the real functions."""

import pytest
from django.core.management import call_command

from accounts.models import User
from applications.models import BudgetLine, InvitationPlan, PlanState, PlanTransition, PlanVersion
from institutions.models import Institution, Membership, PartnerInstitution
from letters.models import Letter
from programs.models import Call, Course
from programs.queries import open_calls
from reviews.models import Decision

SEEDED = (
    User,
    Institution,
    Membership,
    PartnerInstitution,
    Course,
    Call,
    InvitationPlan,
    BudgetLine,
    PlanVersion,
    PlanTransition,
    Decision,
    Letter,
)


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_gives_every_role(capsys):
    call_command("seed_demo")
    counts = [m.objects.count() for m in SEEDED]
    call_command("seed_demo")
    assert [m.objects.count() for m in SEEDED] == counts
    # Three host institutions, and the agency itself as host of its direct invitations.
    assert Institution.objects.exclude(kind=Institution.Kind.AGENCY).count() == 3
    assert Institution.objects.filter(kind=Institution.Kind.AGENCY).count() == 1
    assert open_calls().exists()
    assert Call.objects.filter(status=Call.Status.DECIDED).exists()
    assert User.objects.filter(is_staff=True).exists()
    assert User.objects.filter(is_reviewer=True).exists()
    assert "sakura-demo-2026" in capsys.readouterr().out


@pytest.mark.django_db
def test_seed_demo_approved_plan_went_the_real_way():
    """Submitted (a frozen version), reviewed, decided with an amount and released: the
    lists, exports, dashboard and letters have the figures a real approved plan has."""
    call_command("seed_demo")
    call_command("seed_demo")
    plan = InvitationPlan.objects.get(
        call__status=Call.Status.DECIDED, host__name_en="Sakura University of Science"
    )

    assert plan.state == PlanState.APPROVED
    requested = sum(line.amount_jpy for line in plan.budget.all())
    assert requested == 1_065_000
    assert plan.decision.outcome == Decision.Outcome.APPROVED
    assert plan.decision.approved_amount_jpy == 1_050_000
    assert plan.decision.released_at is not None
    [version] = plan.versions.all()
    assert version.data["budget_total_jpy"] == requested
    assert [(step.from_state, step.to_state) for step in plan.history.all()] == [
        (PlanState.DRAFT, PlanState.SUBMITTED),
        (PlanState.SUBMITTED, PlanState.UNDER_REVIEW),
        (PlanState.UNDER_REVIEW, PlanState.APPROVED),
    ]
    # Dated as it would have happened: submitted before the call closed, decided after.
    assert plan.submitted_at < plan.call.closes_at < plan.decision.released_at
    assert plan.call.status == Call.Status.DECIDED
    for letter in Letter.objects.filter(participant__plan=plan):
        assert [cost["category"] for cost in letter.data["costs"]] == [
            "airfare",
            "accommodation",
            "per_diem",
        ]
