"""seed_demo: idempotent, every role, and its approved plan made through the real functions."""

import pytest
from django.core.management import call_command

from accounts.models import User
from applications.models import BudgetLine, InvitationPlan, PlanState, PlanTransition, PlanVersion
from institutions.models import Institution, Membership, PartnerInstitution
from letters.models import Letter
from nominations.models import Nomination, Nominator
from participants.models import SurveyAnswer
from programs.models import Call, Course
from programs.queries import open_calls
from reviews.domain.ranking import rank_call
from reviews.models import Decision, Review

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
    Review,
)


@pytest.mark.django_db
def test_seed_demo_twice(capsys):
    """Seeding renders letters (seconds each), so the demo is seeded twice once, and each of
    the checks below reads the result."""
    call_command("seed_demo")
    counts = [m.objects.count() for m in SEEDED]
    call_command("seed_demo")
    assert [m.objects.count() for m in SEEDED] == counts
    check_every_role(capsys)
    check_approved_plan_went_the_real_way()
    check_call_in_review_with_its_ranking_flags_and_cut_line()
    check_stay_in_progress_with_letters_and_survey_and_a_reported_plan()
    check_course_d_plan_has_every_kind_of_activity_and_is_in_progress()
    check_direct_invitation_with_nominations()


def check_every_role(capsys):
    # Five host institutions, and the agency itself as host of its direct invitations.
    assert Institution.objects.exclude(kind=Institution.Kind.AGENCY).count() == 5
    assert Institution.objects.filter(kind=Institution.Kind.AGENCY).count() == 1
    assert open_calls().exists()
    assert Call.objects.filter(status=Call.Status.DECIDED).exists()
    assert User.objects.filter(is_staff=True).exists()
    assert User.objects.filter(is_reviewer=True).exists()
    assert "sakura-demo-2026" in capsys.readouterr().out
    # Hashed once, shared by every demo account.
    for email in ("officer@example.org", "participant@example.org", "coordinator@example.org"):
        assert User.objects.get(email=email).check_password("sakura-demo-2026")


def check_approved_plan_went_the_real_way():
    """Submitted (a frozen version), reviewed, decided with an amount and released: the
    lists, exports, dashboard and letters have the figures a real approved plan has."""
    plan = InvitationPlan.objects.get(
        call__status=Call.Status.DECIDED,
        host__name_en="Sakura University of Science",
        title_en="Marine biology summer lab",
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


def check_call_in_review_with_its_ranking_flags_and_cut_line():
    """A newcomer sees a ranking with something in it: twenty plans from five hosts, each
    reviewed twice by three reviewers of different harshness, and a budget that runs out."""
    call = Call.objects.get(program__code="nexus", round=1)
    assert call.status == Call.Status.REVIEWING
    plans = InvitationPlan.objects.filter(call=call)
    assert plans.count() == 20
    assert plans.values("host").distinct().count() == 5
    assert set(plans.values_list("state", flat=True)) == {PlanState.UNDER_REVIEW}
    reviews = Review.objects.filter(assignment__plan__call=call, submitted_at__isnull=False)
    assert reviews.count() == 40
    assert reviews.values("assignment__reviewer").distinct().count() == 3

    ranking = rank_call(call)
    above = [row for row in ranking.rows if row.above_line]
    assert 0 < len(above) < 20  # the ¥15,000,000 budget runs out part-way
    assert sum(row.requested for row in above) <= 15_000_000
    assert any(row.cut_before for row in ranking.rows)
    assert any(row.disagreement for row in ranking.rows)
    # The harsh reviewer stands out.
    assert list(ranking.outliers) == [User.objects.get(email="reviewer@example.org").pk]


def check_stay_in_progress_with_letters_and_survey_and_a_reported_plan():
    in_progress = InvitationPlan.objects.get(title_en="Monsoon hydrology field school")
    assert in_progress.state == PlanState.IN_PROGRESS
    people = list(in_progress.participants.order_by("family_name"))
    assert [person.native_name for person in people] == [
        "พลอย แก้วมณี",
        "Nguyễn Văn An",
        "प्रिया शर्मा",
    ]
    current = Letter.objects.filter(participant__plan=in_progress, status="current")
    assert current.count() == 3
    assert SurveyAnswer.objects.filter(participant__plan=in_progress).count() == 3

    reported = InvitationPlan.objects.get(title_en="Geothermal energy workshop")
    assert reported.state == PlanState.REPORTED
    assert reported.report.submitted_at is not None
    assert reported.report.attended.count() == 3


def check_course_d_plan_has_every_kind_of_activity_and_is_in_progress():
    """A year of exchange with India and Egypt, submitted and approved the real way."""
    from applications.domain.checks import check_plan
    from demo.course_d import course_d_plan

    plan = course_d_plan()
    assert plan.course.code == "D"
    assert plan.state == PlanState.IN_PROGRESS
    kinds = sorted(plan.activities.values_list("kind", flat=True))
    assert kinds == ["dispatch", "invitation", "online", "online"]
    assert sorted(plan.partners.values_list("country", flat=True)) == ["EG", "IN"]
    [version] = plan.versions.all()
    assert len(version.data["activities"]) == 4
    assert plan.decision.released_at is not None
    assert all(line.activity_id for line in plan.budget.all())
    first = plan.activities.order_by("starts_on").first()
    last = plan.activities.order_by("-ends_on").first()
    assert (plan.arrival_on, plan.departure_on) == (first.starts_on, last.ends_on)
    assert InvitationPlan.objects.filter(course__code="D", title_en=plan.title_en).count() == 1
    assert not check_plan(plan).section("activities")


def check_direct_invitation_with_nominations():
    """An agency-hosted plan approved without submission, a body abroad with its contact's
    account and three nominations, one selected with its letter."""
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
