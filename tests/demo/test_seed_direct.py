"""seed_demo's direct invitation: an agency-hosted plan approved without submission, a body
abroad with its contact's account and three nominations, one selected with letters."""

import pytest
from django.core.management import call_command

from accounts.models import User
from applications.models import InvitationPlan, PlanState
from letters.models import Letter
from nominations.models import Nomination, Nominator
from programs.queries import open_calls

pytestmark = pytest.mark.django_db


def test_seed_demo_has_a_direct_invitation_with_nominations():
    call_command("seed_demo")
    call_command("seed_demo")
    plan = InvitationPlan.objects.get(call__program__code="direct")
    assert plan.state == PlanState.APPROVED
    assert plan.submitted_at is None
    assert plan.host.kind == "agency"
    assert plan.decision.released_at is not None
    assert not open_calls().filter(program__code="direct").exists()

    statuses = sorted(plan.nominations.values_list("status", flat=True))
    assert statuses == ["nominated", "nominated", "selected"]
    selected = Nomination.objects.get(plan=plan, status=Nomination.Status.SELECTED)
    assert plan.participants.get() == selected.participant
    assert Letter.objects.filter(participant=selected.participant, kind="acceptance").count() == 1

    nominator = User.objects.get(email="nominator@example.org")
    assert nominator.check_password("sakura-demo-2026")
    assert Nominator.objects.filter(user=nominator, plan=plan).count() == 1
