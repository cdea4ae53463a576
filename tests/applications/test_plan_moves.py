"""Every state × every target state × every person through `set_plan_state`, and through the
plan page every move × every person plus every other target for the host and staff: only the
moves of DESIGN.md's diagram succeed, only for the person the move belongs to, and only when
what the move needs holds.

The table below is written out from the diagram and the program's rules, not read from the
code: a wrong row added to the code's table turns this suite red.

    draft ──submit──▶ submitted ──start review──▶ under review ──decide──▶ approved ──▶
    in progress ──▶ completed ──report──▶ reported ──▶ closed; under review ──▶ rejected /
    waitlisted; waitlisted ──▶ approved / rejected; submitted / under review ──request
    revision──▶ revision requested ──submit──▶ submitted; draft / submitted / revision
    requested / approved ──withdraw──▶ withdrawn; and the agency's own plans (JST Direct
    Invitation Program, not open for applications): draft ──approve──▶ approved, by staff.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.domain.states import TransitionRefused, set_plan_state
from applications.models import InvitationPlan, PlanState, PlanTransition
from institutions.models import Membership
from reports.models import ImplementationReport
from reviews.models import Decision
from screening.models import EndUserList, ListedEntity, ScreeningMatch
from tests.factories import MembershipFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db
S = PlanState

ROLES = [
    "anonymous",
    "lead",
    "administrator",
    "collaborator",
    "member",
    "other_institution",
    "reviewer",
    "staff",
]
HOST = {"lead", "administrator"}  # who speaks for the host institution
STAFF = {"staff"}  # a program officer

# (from, to) → (who may, what must hold, offered by the plan page's own form)
EXPECTED = {
    (S.DRAFT, S.SUBMITTED): (HOST, "passes its rules", False),
    (S.REVISION_REQUESTED, S.SUBMITTED): (HOST, "passes its rules", False),
    (S.DRAFT, S.WITHDRAWN): (HOST, None, True),
    (S.SUBMITTED, S.WITHDRAWN): (HOST, None, True),
    (S.REVISION_REQUESTED, S.WITHDRAWN): (HOST, None, True),
    (S.APPROVED, S.WITHDRAWN): (HOST, None, True),
    (S.SUBMITTED, S.UNDER_REVIEW): (STAFF, None, True),
    (S.SUBMITTED, S.REVISION_REQUESTED): (STAFF, None, True),
    (S.UNDER_REVIEW, S.REVISION_REQUESTED): (STAFF, None, True),
    (S.UNDER_REVIEW, S.APPROVED): (STAFF, "released decision, screening cleared", False),
    (S.UNDER_REVIEW, S.REJECTED): (STAFF, "released decision", False),
    (S.UNDER_REVIEW, S.WAITLISTED): (STAFF, "released decision", False),
    (S.WAITLISTED, S.APPROVED): (STAFF, "released decision, screening cleared", False),
    (S.WAITLISTED, S.REJECTED): (STAFF, "released decision", False),
    # Direct invitations skip submission and review (issue 15).
    (S.DRAFT, S.APPROVED): (STAFF, "agency-hosted, released decision, screening cleared", False),
    (S.APPROVED, S.IN_PROGRESS): (STAFF, "arrival day come", True),
    (S.IN_PROGRESS, S.COMPLETED): (STAFF, "departure day over", True),
    (S.COMPLETED, S.REPORTED): (HOST, "report submitted", False),
    (S.REPORTED, S.CLOSED): (STAFF, "report accepted", False),
    (S.REPORTED, S.COMPLETED): (STAFF, "report returned", False),
}


class RolledBack(Exception):
    """Raised to undo one cell of the matrix."""


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(institution, coordinator, colleague, other_coordinator, reviewer, staff_user):
    """One person per role; `lead` is filled in per plan."""
    return {
        "administrator": coordinator,
        "collaborator": colleague,
        "member": MembershipFactory(institution=institution, role=Membership.Role.MEMBER).user,
        "other_institution": other_coordinator,
        "reviewer": reviewer,
        "staff": staff_user,
    }


def plan_in(state, institution, collaborator):
    plan = PlanFactory(host=institution, state=state)
    plan.collaborators.add(collaborator)
    return plan


def make_condition_hold(plan, from_state, to_state, staff):
    """Give the plan what the move needs, as the services that own it would."""
    today = timezone.localdate()
    now = timezone.now()
    if (from_state, to_state) == (S.DRAFT, S.APPROVED):  # the agency hosts the plan itself
        type(plan.call.program).objects.filter(pk=plan.call.program_id).update(agency_hosted=True)
    if to_state in (S.APPROVED, S.REJECTED, S.WAITLISTED):
        Decision.objects.update_or_create(
            plan=plan,
            defaults={
                "outcome": to_state,
                "decided_by": staff,
                "decided_at": now,
                "released_at": now,
            },
        )
        if to_state == S.APPROVED:  # staff resolved any End User List match (screening)
            ScreeningMatch.objects.filter(partner__plans=plan, resolved_at__isnull=True).update(
                resolved_at=now, resolved_by=staff, resolution="Not the listed entity."
            )
    elif to_state == S.IN_PROGRESS:
        InvitationPlan.objects.filter(pk=plan.pk).update(
            arrival_on=today, departure_on=today + timedelta(days=5)
        )
    elif to_state == S.COMPLETED and from_state == S.IN_PROGRESS:
        InvitationPlan.objects.filter(pk=plan.pk).update(
            arrival_on=today - timedelta(days=7), departure_on=today - timedelta(days=1)
        )
    elif to_state == S.COMPLETED:  # returned by staff
        ImplementationReport.objects.create(plan=plan, returned_comment="Add the receipts.")
    elif to_state == S.REPORTED:
        ImplementationReport.objects.create(plan=plan, submitted_at=now)
    elif to_state == S.CLOSED:
        ImplementationReport.objects.create(plan=plan, submitted_at=now, accepted_at=now)


def expected_outcome(from_state, to_state, role):
    """'moved', 'refused' (not a move, or its condition fails) or 'forbidden'."""
    row = EXPECTED.get((from_state, to_state))
    if row is None:
        return "refused"
    who, _condition, _on_page = row
    return "moved" if role in who else "forbidden"


def actor(role, plan, people):
    if role == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return plan.lead if role == "lead" else people[role]


@pytest.mark.parametrize("from_state", S.values)
def test_set_plan_state_makes_only_the_diagrams_moves_for_their_people(
    from_state, institution, colleague, people, staff_user
):
    plan = plan_in(from_state, institution, colleague)
    outcomes = {}
    for to_state in S.values:
        for role in ROLES:
            try:
                with transaction.atomic():
                    if (from_state, to_state) in EXPECTED:
                        make_condition_hold(plan, from_state, to_state, staff_user)
                    try:
                        set_plan_state(
                            plan, to_state, by=actor(role, plan, people), reason="Because."
                        )
                        outcomes[(to_state, role)] = "moved"
                        assert InvitationPlan.objects.get(pk=plan.pk).state == to_state
                    except TransitionRefused:
                        outcomes[(to_state, role)] = "refused"
                    except PermissionDenied:
                        outcomes[(to_state, role)] = "forbidden"
                    raise RolledBack
            except RolledBack:
                pass
            plan.refresh_from_db()
            assert plan.state == from_state
    expected = {
        (to_state, role): expected_outcome(from_state, to_state, role)
        for to_state in S.values
        for role in ROLES
    }
    assert outcomes == expected
    assert not PlanTransition.objects.filter(plan=plan).exists()


CONDITIONAL = [move for move, (_who, condition, _page) in EXPECTED.items() if condition]


@pytest.mark.parametrize(("from_state", "to_state"), CONDITIONAL, ids=lambda s: str(s))
def test_move_refused_while_its_condition_does_not_hold(
    from_state, to_state, institution, colleague, staff_user
):
    """The right person, the right state, nothing else: a decision without release, a
    report not submitted, a stay not begun or a plan that breaks the call's rules."""
    plan = plan_in(from_state, institution, colleague)
    who, condition, _page = EXPECTED[(from_state, to_state)]
    by = staff_user if who == STAFF else plan.lead
    if condition == "passes its rules":
        InvitationPlan.objects.filter(pk=plan.pk).update(title_en="")
    if condition.startswith("released decision"):  # decided so, but not released
        Decision.objects.create(
            plan=plan, outcome=to_state, decided_by=staff_user, decided_at=timezone.now()
        )

    with pytest.raises(TransitionRefused):
        set_plan_state(plan, to_state, by=by, reason="Because.")

    assert InvitationPlan.objects.get(pk=plan.pk).state == from_state
    assert not PlanTransition.objects.filter(plan=plan).exists()


@pytest.mark.parametrize("from_state", [S.UNDER_REVIEW, S.WAITLISTED])
def test_approval_refused_while_a_screening_match_is_unresolved(
    from_state, institution, colleague, staff_user
):
    """A released approval, but a partner close to an entity on the End User List and no
    resolution by staff: the plan stays where it is."""
    plan = plan_in(from_state, institution, colleague)
    now = timezone.now()
    Decision.objects.create(
        plan=plan, outcome=S.APPROVED, decided_by=staff_user, decided_at=now, released_at=now
    )
    end_user_list = EndUserList.objects.create(version="1", published_on=now.date())
    entity = ListedEntity.objects.create(
        source_list=end_user_list, row=2, name="Listed Institute", country="X"
    )
    ScreeningMatch.objects.create(
        partner=plan.partners.first(), entity=entity, score=95, matched_name=entity.name
    )

    with pytest.raises(TransitionRefused):
        set_plan_state(plan, S.APPROVED, by=staff_user)
    assert InvitationPlan.objects.get(pk=plan.pk).state == from_state


def test_released_decision_of_another_outcome_does_not_approve(institution, colleague, staff_user):
    plan = plan_in(S.UNDER_REVIEW, institution, colleague)
    now = timezone.now()
    Decision.objects.create(
        plan=plan, outcome=S.REJECTED, decided_by=staff_user, decided_at=now, released_at=now
    )
    with pytest.raises(TransitionRefused):
        set_plan_state(plan, S.APPROVED, by=staff_user)
    assert InvitationPlan.objects.get(pk=plan.pk).state == S.UNDER_REVIEW


def test_staff_cannot_approve_by_one_click_while_the_call_is_open(
    client, institution, colleague, staff_user
):
    """The defect: "Move to Approved" on the plan page approved with no decision and mailed
    the host 採択."""
    plan = plan_in(S.UNDER_REVIEW, institution, colleague)
    client.force_login(staff_user)

    client.post(reverse("plan_transition", args=[plan.pk]), {"to": S.APPROVED, "reason": ""})

    assert InvitationPlan.objects.get(pk=plan.pk).state == S.UNDER_REVIEW
    assert not plan.notifications.exists()
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Move to" not in page
    assert f'value="{S.APPROVED}"' not in page


def test_lead_cannot_report_without_a_report_nor_staff_close_without_acceptance(
    client, institution, colleague, staff_user
):
    plan = plan_in(S.COMPLETED, institution, colleague)
    client.force_login(plan.lead)
    client.post(reverse("plan_transition", args=[plan.pk]), {"to": S.REPORTED, "reason": ""})
    assert InvitationPlan.objects.get(pk=plan.pk).state == S.COMPLETED

    reported = plan_in(S.REPORTED, institution, colleague)
    ImplementationReport.objects.create(plan=reported, submitted_at=timezone.now())
    client.force_login(staff_user)
    client.post(reverse("plan_transition", args=[reported.pk]), {"to": S.CLOSED, "reason": ""})
    assert InvitationPlan.objects.get(pk=reported.pk).state == S.REPORTED
    assert ImplementationReport.objects.get(plan=reported).accepted_at is None


PAGE_ANSWER = {  # the plan page answers strangers as if the plan did not exist
    "anonymous": 302,
    "other_institution": 404,
    "reviewer": 404,
}


# Who asks the plan page for a state that is no move of the diagram from where the plan is:
# the two people who may make moves. set_plan_state refuses such a target to everyone
# (the test above), so the page's part is only not to go around it.
ASK_FOR_NO_MOVE = ("lead", "staff")


def page_requests(from_state):
    """(role, target) to post: every role for each move out of `from_state`, and the host
    and staff for every other state."""
    return [
        (role, to_state)
        for role in ROLES
        for to_state in S.values
        if (from_state, to_state) in EXPECTED or role in ASK_FOR_NO_MOVE
    ]


@pytest.mark.parametrize("from_state", S.values)
def test_plan_page_post_makes_only_its_own_moves(
    from_state, client, institution, colleague, people, staff_user
):
    """Withdraw, start review, request a revision, and mark the stay: nothing else, even
    when what another move needs holds."""
    plan = plan_in(from_state, institution, colleague)
    url = reverse("plan_transition", args=[plan.pk])
    requests = page_requests(from_state)
    outcomes = {}
    for role in ROLES:
        if role == "anonymous":
            client.logout()
        else:
            client.force_login(actor(role, plan, people))
        for to_state in [target for asker, target in requests if asker == role]:
            try:
                with transaction.atomic():
                    if (from_state, to_state) in EXPECTED:
                        make_condition_hold(plan, from_state, to_state, staff_user)
                    response = client.post(
                        url, {"to": to_state, "reason": "Because.", "confirm": "yes"}
                    )
                    assert response.status_code == PAGE_ANSWER.get(role, 302), (role, to_state)
                    state = InvitationPlan.objects.get(pk=plan.pk).state
                    moved = state == to_state and PlanTransition.objects.filter(plan=plan).exists()
                    outcomes[(to_state, role)] = "moved" if moved else "stayed"
                    raise RolledBack
            except RolledBack:
                pass
    expected = {}
    for role, to_state in requests:
        row = EXPECTED.get((from_state, to_state))
        moves = row is not None and row[2] and role in row[0]
        expected[(to_state, role)] = "moved" if moves else "stayed"
    assert outcomes == expected


def test_plan_page_offers_only_moves_whose_conditions_hold(
    client, institution, colleague, staff_user
):
    plan = plan_in(S.APPROVED, institution, colleague)  # arrives 2027-01-10: not yet
    client.force_login(staff_user)
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert f'value="{S.IN_PROGRESS}"' not in page
    assert "Not yet “In progress”: The stay begins on 2027-01-10, the arrival day." in page

    make_condition_hold(plan, S.APPROVED, S.IN_PROGRESS, staff_user)
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert f'value="{S.IN_PROGRESS}"' in page
    assert "Mark the stay as begun" in page


def test_staff_rights_come_from_the_program_officer_rule_not_the_flag_alone(institution, colleague):
    """A deactivated officer keeps is_staff but may not move plans."""
    plan = plan_in(S.SUBMITTED, institution, colleague)
    officer = UserFactory(is_staff=True, is_active=False)
    with pytest.raises(PermissionDenied):
        set_plan_state(plan, S.UNDER_REVIEW, by=officer)
    assert User.objects.get(pk=officer.pk).is_staff
    assert InvitationPlan.objects.get(pk=plan.pk).state == S.SUBMITTED
