from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from applications.models import InvitationPlan, PlannedInvitees
from institutions.models import Institution
from participants.models import Participant
from programs.models import Call
from reviews.models import Decision

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
