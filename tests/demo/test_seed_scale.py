from collections import Counter
from statistics import fmean

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Avg, F

from accounts.models import User
from applications.models import InvitationPlan, PlannedInvitees
from institutions.models import Institution
from participants.models import Participant
from programs.models import Call
from reviews.models import Criterion, Decision, Review, ReviewAssignment, Score

TINY = ["--years", "2", "--plans-per-year", "20", "--participants-per-plan", "2"]
LATER_THAN_APPROVED = ["approved", "in_progress", "completed", "reported", "closed"]


def scale_plans():
    return InvitationPlan.objects.filter(call__program__code__in=["scale", "scalenx"])


@pytest.mark.django_db
def test_seed_scale_creates_a_weighted_dataset_in_bounded_queries(
    django_assert_max_num_queries, capsys
):
    with django_assert_max_num_queries(200):
        call_command("seed_scale", *TINY)
    assert "Scale data created in" in capsys.readouterr().out

    assert Call.objects.filter(program__code__in=["scale", "scalenx"]).count() == 12
    assert scale_plans().count() == 40
    participants = Participant.objects.filter(plan__in=scale_plans())
    assert participants.count() == 80
    nationalities = Counter(str(p.nationality) for p in participants)
    assert nationalities.most_common(1)[0][0] in ("CN", "IN")
    # Only plans that were approved (or went further) have participants.
    assert not participants.exclude(plan__state__in=LATER_THAN_APPROVED).exists()
    assert set(participants.values_list("plan__state", flat=True)) <= set(LATER_THAN_APPROVED)
    # Every decided plan has its decision; every plan its invitees.
    decided = scale_plans().filter(state__in=[*LATER_THAN_APPROVED, "rejected"])
    assert Decision.objects.filter(plan__in=scale_plans()).count() == decided.count()
    assert (
        PlannedInvitees.objects.filter(plan__in=scale_plans()).values("plan").distinct().count()
        == 40
    )
    assert Institution.objects.filter(name_en__startswith="Scale University ").count() == 300
    # Every plan names partners of its own host, as the partners page lets it.
    for plan in scale_plans().prefetch_related("partners"):
        assert plan.partners.all(), plan
        assert {partner.host_id for partner in plan.partners.all()} == {plan.host_id}

    with pytest.raises(CommandError):
        call_command("seed_scale", *TINY)

    call_command("seed_scale", *TINY, "--reset")
    assert scale_plans().count() == 40

    call_command("seed_scale", "--reset-only")
    assert not scale_plans().exists()
    assert not Participant.objects.exists()
    assert not Call.objects.filter(program__code__in=["scale", "scalenx"]).exists()
    assert not Institution.objects.filter(name_en__startswith="Scale University ").exists()


@pytest.mark.django_db
def test_seed_scale_is_deterministic():
    call_command("seed_scale", *TINY, "--seed", "7")
    first = list(scale_plans().order_by("reference").values_list("reference", "state"))
    call_command("seed_scale", *TINY, "--seed", "7", "--reset")
    assert list(scale_plans().order_by("reference").values_list("reference", "state")) == first


@pytest.mark.django_db
def test_seed_scale_reviews_every_decided_plan_three_times_by_reviewers_of_different_harshness(
    django_assert_max_num_queries,
):
    # Enough plans for each of the 60 reviewers to review several.
    with django_assert_max_num_queries(200):
        call_command("seed_scale", "--years", "2", "--plans-per-year", "80")
    decided = scale_plans().filter(state__in=[*LATER_THAN_APPROVED, "rejected"])
    assert decided.exists()
    for plan in decided.prefetch_related("assignments__review__scores"):
        assignments = list(plan.assignments.all())
        assert len(assignments) == 3
        assert len({a.reviewer_id for a in assignments}) == 3
        assert all(a.state == "submitted" for a in assignments)
        assert all(a.review.submitted_at is not None for a in assignments)
        # One score per criterion of the call (the demo's three), within its 1–5 scale.
        assert all(len(a.review.scores.all()) == 3 for a in assignments)
        assert all(1 <= s.value <= 5 for a in assignments for s in a.review.scores.all())
    assert Criterion.objects.filter(call__program__code="scale").values("call").distinct().count()
    # Plans that never reached review have no reviewers.
    assert not ReviewAssignment.objects.filter(
        plan__in=scale_plans(), plan__state__in=["draft", "submitted", "withdrawn"]
    ).exists()
    # Nobody reviews a plan of an institution they belong to.
    assert not ReviewAssignment.objects.filter(plan__host__memberships__user=F("reviewer")).exists()

    # Reviewer 001 takes a point off a fair score, reviewer 060 adds one: two points apart
    # before noise and the scale's ends.
    def mean_score(email):
        return Score.objects.filter(review__assignment__reviewer__email=email).aggregate(
            mean=Avg("value")
        )["mean"]

    harsh, lenient = (
        mean_score("reviewer-001@scale.invalid"),
        mean_score("reviewer-060@scale.invalid"),
    )
    assert lenient - harsh > 1

    # Approved plans were the better ones: decisions agree with the scores.
    def plan_means(states):
        rows = (
            Score.objects.filter(review__assignment__plan__in=decided.filter(state__in=states))
            .values("review__assignment__plan")
            .annotate(mean=Avg("value"))
        )
        return fmean(row["mean"] for row in rows)

    assert plan_means(LATER_THAN_APPROVED) > plan_means(["rejected"]) + 0.5

    call_command("seed_scale", "--reset-only")
    assert not Review.objects.exists()
    assert not ReviewAssignment.objects.exists()
    assert not User.objects.filter(email__endswith="@scale.invalid").exists()
