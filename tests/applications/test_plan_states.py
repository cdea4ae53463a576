"""The life of a plan: who may move it where, and what every move leaves behind.

HOST moves are made by the plan's lead or an administrator of the host institution; STAFF
moves by a program officer. Every move writes one PlanTransition and queues one notification
per coordinator of the plan (lead, collaborators, the institution's administrators).
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from applications.domain.editing import editing
from applications.domain.snapshots import plan_as_data
from applications.domain.states import (
    TransitionRefused,
    allowed_moves,
    request_revision,
    set_plan_state,
    start_review,
    submit_plan,
    withdraw_plan,
)
from applications.models import InvitationPlan, PlanState, PlanTransition, PlanVersion
from institutions.models import Membership
from notifications.models import Notification
from programs.models import Call
from tests.factories import MembershipFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db
S = PlanState

EXPECTED_KIND = {
    S.SUBMITTED: Notification.Kind.PLAN_SUBMITTED,
    S.WITHDRAWN: Notification.Kind.PLAN_WITHDRAWN,
    S.REVISION_REQUESTED: Notification.Kind.REVISION_REQUESTED,
    # Decisions reach coordinators only through release, as "decision released".
    S.APPROVED: Notification.Kind.DECISION_RELEASED,
    S.REJECTED: Notification.Kind.DECISION_RELEASED,
    S.WAITLISTED: Notification.Kind.DECISION_RELEASED,
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in here: spare the many users PlanFactory makes the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Moves without a condition of their own (test_plan_moves.py covers the others).
HOST_MOVES = [
    (S.DRAFT, S.WITHDRAWN),
    (S.SUBMITTED, S.WITHDRAWN),
    (S.REVISION_REQUESTED, S.WITHDRAWN),
    (S.APPROVED, S.WITHDRAWN),
]
STAFF_MOVES = [
    (S.SUBMITTED, S.UNDER_REVIEW),
    (S.SUBMITTED, S.REVISION_REQUESTED),
    (S.UNDER_REVIEW, S.REVISION_REQUESTED),
]
REASON_MOVES = [
    (S.SUBMITTED, S.REVISION_REQUESTED),
    (S.UNDER_REVIEW, S.REVISION_REQUESTED),
]


def _ids(moves):
    return [f"{old}->{new}" for old, new in moves]


def _plan_in(state, institution, collaborator):
    plan = PlanFactory(host=institution, state=state)
    plan.collaborators.add(collaborator)
    return plan


@pytest.fixture
def plan(institution, coordinator, colleague):
    """A complete draft of `institution` led by a member; `colleague` collaborates on it.

    `coordinator` is the institution's administrator.
    """
    return _plan_in(S.DRAFT, institution, colleague)


def assert_unchanged(plan, state):
    stored = InvitationPlan.objects.get(pk=plan.pk)
    assert stored.state == state
    assert stored.submitted_at is None
    assert not PlanTransition.objects.filter(plan=plan).exists()
    assert not PlanVersion.objects.filter(plan=plan).exists()
    assert not Notification.objects.filter(plan=plan).exists()


def assert_moved(plan, from_state, to_state, *, by, reason, recipients):
    plan.refresh_from_db()
    assert plan.state == to_state
    [transition] = PlanTransition.objects.filter(plan=plan)
    assert (transition.from_state, transition.to_state, transition.by, transition.reason) == (
        from_state,
        to_state,
        by,
        reason,
    )
    notifications = Notification.objects.filter(plan=plan)
    assert sorted(n.recipient_id for n in notifications) == sorted(u.pk for u in recipients)
    expected_kind = EXPECTED_KIND.get(to_state, Notification.Kind.PLAN_STATE_CHANGED)
    assert {n.kind for n in notifications} == {expected_kind}
    assert {n.state for n in notifications} == {Notification.State.QUEUED}
    assert all(plan.reference in n.subject for n in notifications)


# Every allowed move, by the right person.


@pytest.mark.parametrize("actor", ["lead", "administrator"])
@pytest.mark.parametrize(("from_state", "to_state"), HOST_MOVES, ids=_ids(HOST_MOVES))
def test_host_move_succeeds_for_lead_or_administrator(
    institution, coordinator, colleague, actor, from_state, to_state
):
    plan = _plan_in(from_state, institution, colleague)
    by = plan.lead if actor == "lead" else coordinator
    reason = "The partner university cancelled." if to_state == S.WITHDRAWN else ""

    result = set_plan_state(plan, to_state, by=by, reason=reason)

    assert result.state == to_state
    assert_moved(
        plan,
        from_state,
        to_state,
        by=by,
        reason=reason,
        recipients=[plan.lead, coordinator, colleague],
    )


@pytest.mark.parametrize(("from_state", "to_state"), STAFF_MOVES, ids=_ids(STAFF_MOVES))
def test_staff_move_succeeds_for_program_officer(
    institution, coordinator, colleague, staff_user, from_state, to_state
):
    plan = _plan_in(from_state, institution, colleague)
    reason = "Please reduce the airfare." if (from_state, to_state) in REASON_MOVES else ""

    set_plan_state(plan, to_state, by=staff_user, reason=reason)

    assert_moved(
        plan,
        from_state,
        to_state,
        by=staff_user,
        reason=reason,
        recipients=[plan.lead, coordinator, colleague],
    )


# Moves that are not in the table.


@pytest.fixture
def officer_and_administrator(institution):
    """Someone who may make every move in the table: staff and an administrator of the host."""
    user = UserFactory(is_staff=True)
    MembershipFactory(user=user, institution=institution, role=Membership.Role.ADMINISTRATOR)
    return user


def test_officer_and_administrator_can_make_a_move_of_each_kind(
    institution, colleague, officer_and_administrator
):
    """The person refused above is refused for the table's sake, not for who they are."""
    plan = _plan_in(S.DRAFT, institution, colleague)
    submit_plan(plan, by=officer_and_administrator)
    start_review(plan, by=officer_and_administrator)
    assert plan.state == S.UNDER_REVIEW


# The wrong person.


@pytest.mark.parametrize("action", ["submit", "withdraw"])
@pytest.mark.parametrize(
    "person", ["collaborator", "plain_member", "other_coordinator", "staff_user"]
)
def test_host_move_refused_to_anyone_but_lead_and_administrator(
    request, plan, colleague, institution, action, person
):
    if person == "collaborator":
        by = colleague
    elif person == "plain_member":
        by = MembershipFactory(institution=institution).user
    else:
        by = request.getfixturevalue(person)
    assert plan.collaborators.filter(pk=colleague.pk).exists()

    with pytest.raises(PermissionDenied):
        if action == "submit":
            submit_plan(plan, by=by)
        else:
            withdraw_plan(plan, by=by, reason="No longer needed.")

    assert_unchanged(plan, S.DRAFT)


@pytest.mark.parametrize("person", ["lead", "administrator"])
def test_coordinator_cannot_start_review(institution, coordinator, colleague, person):
    plan = _plan_in(S.SUBMITTED, institution, colleague)
    by = plan.lead if person == "lead" else coordinator

    with pytest.raises(PermissionDenied):
        start_review(plan, by=by)

    assert InvitationPlan.objects.get(pk=plan.pk).state == S.SUBMITTED
    assert not PlanTransition.objects.filter(plan=plan).exists()
    assert not Notification.objects.filter(plan=plan).exists()


def test_coordinator_cannot_approve_own_plan(institution, coordinator, colleague):
    plan = _plan_in(S.UNDER_REVIEW, institution, colleague)
    with pytest.raises(PermissionDenied):
        set_plan_state(plan, S.APPROVED, by=coordinator)
    assert InvitationPlan.objects.get(pk=plan.pk).state == S.UNDER_REVIEW


def test_allowed_moves_offer_each_person_their_own_buttons(
    plan, coordinator, colleague, staff_user, other_coordinator
):
    assert allowed_moves(plan, plan.lead) == [S.WITHDRAWN]
    assert allowed_moves(plan, coordinator) == [S.WITHDRAWN]
    assert allowed_moves(plan, colleague) == []
    assert allowed_moves(plan, other_coordinator) == []
    assert allowed_moves(plan, staff_user) == []
    plan.state = S.SUBMITTED
    assert allowed_moves(plan, staff_user) == [S.UNDER_REVIEW, S.REVISION_REQUESTED]
    assert allowed_moves(plan, plan.lead) == [S.WITHDRAWN]


# Moves that must say why.


@pytest.mark.parametrize("reason", ["", "   \n"], ids=["empty", "blank"])
@pytest.mark.parametrize(("from_state", "to_state"), REASON_MOVES, ids=_ids(REASON_MOVES))
def test_move_that_needs_a_reason_is_refused_without_one(
    institution, colleague, staff_user, from_state, to_state, reason
):
    plan = _plan_in(from_state, institution, colleague)

    with pytest.raises(TransitionRefused) as refused:
        set_plan_state(plan, to_state, by=staff_user, reason=reason)

    assert refused.value.message == "Please give a reason."
    assert_unchanged(plan, from_state)


# Submission.


def test_submit_incomplete_plan_is_refused_with_every_problem(plan):
    plan.title_en = ""
    plan.save()
    plan.budget.all().delete()

    with pytest.raises(TransitionRefused) as refused:
        submit_plan(plan, by=plan.lead)

    problems = refused.value.problems
    assert [(section, key) for section, key, _m in problems.as_list()] == [
        ("basics", "title_en"),
        ("budget", "budget"),
    ]
    assert_unchanged(plan, S.DRAFT)
    assert plan.state == S.DRAFT


def test_submit_refused_after_deadline(plan):
    plan.call.closes_at = timezone.now() - timedelta(seconds=1)
    plan.call.save()

    with pytest.raises(TransitionRefused) as refused:
        submit_plan(plan, by=plan.lead)

    assert list(refused.value.problems.section("call")) == ["call"]
    assert_unchanged(plan, S.DRAFT)


def test_submit_sets_submitted_at_and_freezes_version_one(plan):
    before = timezone.now()
    submit_plan(plan, by=plan.lead)
    after = timezone.now()

    assert plan.state == S.SUBMITTED
    assert before <= plan.submitted_at <= after
    [version] = PlanVersion.objects.filter(plan=plan)
    assert version.number == 1
    assert version.created_by == plan.lead
    # The plan as it was, and the rules it was checked against (the course's standing values:
    # no rule set in this test; tests/programs/test_rules.py covers a rule set).
    assert version.data == {
        **plan_as_data(plan),
        "rules": {
            "course": plan.course.code,
            "rule_set": None,
            "fiscal_year": None,
            "version": None,
            "source_ja": "",
            "source_en": "",
            "countries": {},
        },
        "declarations": [],  # the standing rules ask for none
    }


def test_resubmission_after_revision_request_freezes_version_two(plan, coordinator, staff_user):
    submit_plan(plan, by=plan.lead)
    first_submitted_at = plan.submitted_at
    request_revision(plan, by=staff_user, reason="Shorten the stay to 5 days.")
    assert plan.state == S.REVISION_REQUESTED
    assert plan.is_editable

    submit_plan(plan, by=coordinator)

    assert plan.state == S.SUBMITTED
    assert plan.submitted_at > first_submitted_at
    versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [(v.number, v.created_by) for v in versions] == [(1, plan.lead), (2, coordinator)]
    assert list(
        PlanTransition.objects.filter(plan=plan).values_list("from_state", "to_state", "by")
    ) == [
        (S.DRAFT, S.SUBMITTED, plan.lead.pk),
        (S.SUBMITTED, S.REVISION_REQUESTED, staff_user.pk),
        (S.REVISION_REQUESTED, S.SUBMITTED, coordinator.pk),
    ]


def test_resubmission_still_checks_every_rule(plan, staff_user):
    submit_plan(plan, by=plan.lead)
    request_revision(plan, by=staff_user, reason="Itemise the budget.")
    plan.budget.all().delete()

    with pytest.raises(TransitionRefused) as refused:
        submit_plan(plan, by=plan.lead)

    assert list(refused.value.problems.section("budget")) == ["budget"]
    assert InvitationPlan.objects.get(pk=plan.pk).state == S.REVISION_REQUESTED
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_resubmission_after_revision_requested_in_review_is_accepted_after_deadline(
    plan, staff_user
):
    """Review starts after the call closes; a revision asked for in review must be answerable.

    The deadline is for the first submission. Otherwise the move under review → revision
    requested → submitted in TRANSITIONS could never be completed.
    """
    submit_plan(plan, by=plan.lead)
    call = plan.call
    call.closes_at = timezone.now() - timedelta(hours=1)
    call.status = Call.Status.REVIEWING
    call.save()
    start_review(plan, by=staff_user)
    request_revision(plan, by=staff_user, reason="Shorten the stay to 5 days.")
    with editing(plan, by=plan.lead, expected_version=plan.version) as locked:
        locked.departure_on = locked.arrival_on + timedelta(days=4)
        locked.save()

    submit_plan(plan, by=plan.lead)

    assert plan.state == S.SUBMITTED
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", flat=True)) == [1, 2]


# Notifications.


def test_each_coordinator_is_notified_once(institution, coordinator, colleague):
    second_administrator = MembershipFactory(
        institution=institution, role=Membership.Role.ADMINISTRATOR
    ).user
    MembershipFactory(institution=institution)  # a member who has nothing to do with the plan
    MembershipFactory(role=Membership.Role.ADMINISTRATOR)  # an administrator elsewhere
    # The lead also administers a second institution and collaborates on other plans; the
    # collaborator works on two plans: none of that may multiply their messages.
    MembershipFactory(user=coordinator, role=Membership.Role.ADMINISTRATOR)
    plan = PlanFactory(host=institution, lead=coordinator)
    plan.collaborators.add(coordinator, colleague)  # the lead also listed as collaborator
    for other_plan in PlanFactory.create_batch(2, host=institution):
        other_plan.collaborators.add(coordinator, colleague)

    submit_plan(plan, by=coordinator)

    recipients = list(Notification.objects.filter(plan=plan).values_list("recipient_id", flat=True))
    assert sorted(recipients) == sorted([coordinator.pk, colleague.pk, second_administrator.pk])


def test_notification_follows_recipient_language(plan, coordinator):
    plan.lead.preferred_language = "ja"
    plan.lead.save()

    submit_plan(plan, by=plan.lead)

    to_lead = Notification.objects.get(plan=plan, recipient=plan.lead)
    to_administrator = Notification.objects.get(plan=plan, recipient=coordinator)
    assert to_lead.language == "ja"
    assert to_administrator.language == "en"
    assert plan.reference in to_lead.subject
    assert to_administrator.subject == f"Plan {plan.reference} was submitted"


def test_revision_request_notification_carries_the_reason(plan, staff_user):
    submit_plan(plan, by=plan.lead)
    Notification.objects.all().delete()

    request_revision(plan, by=staff_user, reason="Shorten the stay to 5 days.")

    [to_lead] = Notification.objects.filter(plan=plan, recipient=plan.lead)
    assert to_lead.kind == Notification.Kind.REVISION_REQUESTED
    assert "Shorten the stay to 5 days." in to_lead.body


def test_a_move_locks_the_plan_row_alone_and_reads_its_call_course_and_host_with_it(plan):
    """Plans of one call are submitted side by side as it closes: a submission must not lock
    the call (nor the course, program or host) that it reads with the plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        submit_plan(plan, by=plan.lead)

    locks = [q["sql"] for q in captured.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locks) == 1
    assert locks[0].endswith('FOR UPDATE OF "applications_invitationplan"')
    for table in [
        "programs_call",
        "programs_course",
        "programs_program",
        "institutions_institution",
    ]:
        assert f'JOIN "{table}"' in locks[0]
        # Read with the plan, not again: no query reads these rows on their own.
        assert not [
            q for q in captured.captured_queries if q["sql"].startswith(f'SELECT "{table}".')
        ], table
