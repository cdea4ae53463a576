"""Conflicts of interest: who must never review a plan, and why (staff see the reason).

A reviewer may not review a plan of an institution they belong to, a plan they coordinate
(lead or collaborator), or a plan whose partner abroad they are affiliated with. Partner
names are compared without regard to case or spacing, together with the country.
Neither manual nor automatic assignment ever pairs a reviewer with such a plan.
"""

import pytest
from django.core.exceptions import ValidationError

from applications.domain.states import submit_plan
from institutions.models import Membership
from notifications.models import Notification
from reviews.domain.assignment import assign_reviewer, propose_assignment, setup_of
from reviews.domain.conflicts import conflict_reasons
from reviews.models import ReviewAssignment
from tests.factories import (
    InstitutionFactory,
    MembershipFactory,
    PartnerInstitutionFactory,
    PlanFactory,
    UserFactory,
)

from .factories import ReviewerFactory, submitted_plans

pytestmark = pytest.mark.django_db

HOST_MEMBER = "member of the host institution"
COORDINATOR = "coordinator of the plan"
PARTNER = "affiliated with a partner institution of the plan"


@pytest.fixture
def plan(call):
    """A submitted plan whose partners abroad include Chulalongkorn University (Thailand)."""
    plan = PlanFactory(call=call)
    plan.partners.add(
        PartnerInstitutionFactory(host=plan.host, name="Chulalongkorn University", country="TH")
    )
    return submit_plan(plan, by=plan.lead)


def test_conflict_member_of_host_institution_reported(plan):
    reviewer = ReviewerFactory()
    MembershipFactory(user=reviewer, institution=plan.host, role=Membership.Role.MEMBER)

    assert conflict_reasons(plan, reviewer) == [HOST_MEMBER]


def test_conflict_lead_of_plan_reported(call):
    """The lead is a member of the host too: both reasons are shown."""
    reviewer = ReviewerFactory()
    host = InstitutionFactory()
    MembershipFactory(user=reviewer, institution=host)
    plan = submit_plan(PlanFactory(call=call, host=host, lead=reviewer), by=reviewer)

    assert conflict_reasons(plan, reviewer) == [HOST_MEMBER, COORDINATOR]


def test_conflict_lead_without_membership_reported_as_coordinator(call):
    reviewer = ReviewerFactory()
    plan = PlanFactory(call=call, lead=reviewer)

    assert conflict_reasons(plan, reviewer) == [COORDINATOR]


def test_conflict_collaborator_reported(plan):
    reviewer = ReviewerFactory()
    plan.collaborators.add(reviewer)

    assert conflict_reasons(plan, reviewer) == [COORDINATOR]


@pytest.mark.parametrize(
    "name, country",
    [
        ("Chulalongkorn University", "TH"),
        ("chulalongkorn university", "th"),
        ("  CHULALONGKORN    University ", "TH"),
        ("Chulalongkorn\tUniversity", "th"),
    ],
)
def test_conflict_partner_affiliation_matched_by_name_and_country(plan, name, country):
    reviewer = ReviewerFactory(
        profile__affiliations_abroad=[{"name": name, "country": country}],
    )

    assert conflict_reasons(plan, reviewer) == [PARTNER]


@pytest.mark.parametrize(
    "name, country",
    [
        ("Chulalongkorn University", "VN"),  # same name, another country
        ("Chulalongkorn Univ.", "TH"),  # another name
        ("Mahidol University", "TH"),
    ],
)
def test_conflict_partner_affiliation_elsewhere_not_reported(plan, name, country):
    reviewer = ReviewerFactory(
        profile__affiliations_abroad=[{"name": name, "country": country}],
    )

    assert conflict_reasons(plan, reviewer) == []


def test_conflict_several_reasons_all_reported(plan):
    reviewer = ReviewerFactory(
        profile__affiliations_abroad=[{"name": "chulalongkorn university", "country": "TH"}],
    )
    MembershipFactory(user=reviewer, institution=plan.host)
    plan.collaborators.add(reviewer)

    assert conflict_reasons(plan, reviewer) == [HOST_MEMBER, COORDINATOR, PARTNER]


def test_conflict_unrelated_reviewer_has_none(plan):
    reviewer = ReviewerFactory(
        profile__affiliations_abroad=[{"name": "Hanoi University of Science", "country": "VN"}],
    )

    assert conflict_reasons(plan, reviewer) == []


def test_conflict_membership_in_another_institution_not_a_conflict(plan):
    reviewer = ReviewerFactory()
    MembershipFactory(user=reviewer, institution=InstitutionFactory(name_en="Kirishima KOSEN"))

    assert conflict_reasons(plan, reviewer) == []


def test_conflict_reviewer_without_profile_checked_by_membership(plan):
    """A reviewer whose profile was never filled in is still checked (and does not crash)."""
    reviewer = UserFactory(is_reviewer=True)
    assert conflict_reasons(plan, reviewer) == []

    MembershipFactory(user=reviewer, institution=plan.host)
    assert conflict_reasons(plan, reviewer) == [HOST_MEMBER]


def test_assign_reviewer_refused_for_conflict_with_reason(plan, staff):
    reviewer = ReviewerFactory(full_name="Dr Sato")
    MembershipFactory(user=reviewer, institution=plan.host)

    with pytest.raises(ValidationError) as refused:
        assign_reviewer(plan, reviewer, by=staff)

    message = " ".join(refused.value.messages)
    assert "Dr Sato" in message
    assert HOST_MEMBER in message
    assert not ReviewAssignment.objects.filter(plan=plan).exists()
    assert not Notification.objects.filter(recipient=reviewer).exists()


def test_assign_reviewer_refused_for_partner_affiliation_with_reason(plan, staff):
    reviewer = ReviewerFactory(
        profile__affiliations_abroad=[{"name": "CHULALONGKORN UNIVERSITY", "country": "th"}],
    )

    with pytest.raises(ValidationError) as refused:
        assign_reviewer(plan, reviewer, by=staff)

    assert PARTNER in " ".join(refused.value.messages)
    assert not ReviewAssignment.objects.filter(plan=plan).exists()


def test_assign_reviewer_unrelated_reviewer_assigned_and_notified(plan, staff):
    reviewer = ReviewerFactory()

    assignment = assign_reviewer(plan, reviewer, by=staff)

    assert (assignment.plan, assignment.reviewer, assignment.state) == (
        plan,
        reviewer,
        ReviewAssignment.State.ASSIGNED,
    )
    assert assignment.assigned_by == staff
    assert Notification.objects.filter(recipient=reviewer, kind="reviewer_assigned").count() == 1


def test_propose_assignment_never_pairs_a_conflict(call, staff):
    """Six plans, four reviewers, three per plan: every reviewer has conflicts somewhere."""
    plans = submitted_plans(call, 6)
    setup = setup_of(call)
    setup.reviewers_per_plan = 3
    setup.save()
    member = ReviewerFactory()  # belongs to the hosts of plans 0 and 1
    for plan in plans[:2]:
        MembershipFactory(user=member, institution=plan.host)
    collaborator = ReviewerFactory()  # collaborates on plans 2 and 3
    for plan in plans[2:4]:
        plan.collaborators.add(collaborator)
    affiliated = ReviewerFactory(
        profile__affiliations_abroad=[{"name": "partner of plan 4", "country": "PH"}],
    )
    plans[4].partners.add(
        PartnerInstitutionFactory(host=plans[4].host, name="Partner of Plan 4", country="PH")
    )
    lead = ReviewerFactory()  # leads plan 5
    plans[5].lead = lead
    plans[5].save(update_fields=["lead"])
    reviewers = [member, collaborator, affiliated, lead]

    proposal = propose_assignment(call)

    conflicted = {
        (plan.pk, reviewer.pk)
        for plan in plans
        for reviewer in reviewers
        if conflict_reasons(plan, reviewer)
    }
    assert len(conflicted) == 6
    paired = {(plan.pk, reviewer.pk) for plan, reviewer, _match in proposal.pairs}
    assert paired.isdisjoint(conflicted)
    # Everything that is not a conflict is used: 6 plans × 4 reviewers − 6 conflicts = 18.
    assert len(paired) == 18
    assert proposal.unfilled == []
