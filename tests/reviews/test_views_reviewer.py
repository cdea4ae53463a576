"""The reviewer's pages: the dashboard and one assigned plan, as a reviewer meets them.

A reviewer sees only their own assignments. Before reading a plan they declare whether they
have a conflict of interest; until then the page shows where the plan comes from and nothing
more. After "no conflict" they read the plan exactly as it was submitted (the frozen version,
not whatever the applicant has typed since), score it against the call's criteria, save a
draft or submit. They never see another reviewer's scores or comments. In blind review the
coordinators' names and contact details are hidden. When the applicant resubmits after a
revision, the dashboard asks for a new review.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.domain.states import request_revision, submit_plan, withdraw_plan
from applications.models import InvitationPlan
from reviews.models import ConflictDeclaration, Review, ReviewAssignment, ReviewSetup
from tests.factories import InstitutionFactory, MembershipFactory, UserFactory

from .view_helpers import (
    PLAN_REQUESTS_JPY,
    accepted,
    assigned,
    criteria_of,
    page,
    review_data,
    reviewer_with_two_factor,
    submitted_plan,
    submitted_review,
)

pytestmark = pytest.mark.django_db
A = ReviewAssignment.State

OBJECTIVES = "Teach perovskite tandem cell lamination to visiting students from Chiang Mai."


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in with a password here: spare the many users the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(db):
    """A submitted plan with objectives and contact details that are easy to spot on a page."""
    host = InstitutionFactory(name_en="Hokuriku Institute of Technology")
    lead = MembershipFactory(institution=host, user__full_name="Sato Hanako-Lead").user
    return submitted_plan(
        host=host,
        lead=lead,
        title_en="Tandem solar cells in the clean room",
        objectives=OBJECTIVES,
        contact_name="Suzuki Contactperson",
        contact_phone="+81-76-555-0199",
        contact_email="tandem-contact@hokuriku.example.org",
    )


@pytest.fixture
def criteria(plan):
    """Scientific merit (weight 2) and feasibility (weight 1), both 1 to 5."""
    return criteria_of(plan.call)


@pytest.fixture
def expert(db):
    return reviewer_with_two_factor("Dr. Kobayashi Expert")


@pytest.fixture
def assignment(plan, expert, staff_user):
    return assigned(plan, expert, staff_user)


@pytest.fixture
def accepted_assignment(plan, expert, staff_user, criteria):
    return accepted(plan, expert, staff_user)


def url(assignment):
    return reverse("review_assignment", args=[assignment.pk])


def declare(client, assignment, answer, reason=""):
    return client.post(
        url(assignment), {"action": "declare", "has_conflict": answer, "reason": reason}
    )


# Who sees what


def test_dashboard_lists_only_own_assignments(client, plan, expert, staff_user):
    other_plan = submitted_plan(title_en="Someone else's plan")
    other_reviewer = reviewer_with_two_factor()
    mine = assigned(plan, expert, staff_user)
    assigned(other_plan, other_reviewer, staff_user)

    client.force_login(expert)
    response = client.get(reverse("reviewer_dashboard"))

    assert response.status_code == 200
    assert [a.pk for a in response.context["assignments"]] == [mine.pk]
    assert plan.reference in page(response)
    assert other_plan.reference not in page(response)
    assert "Declare any conflict of interest" in page(response)


def test_dashboard_with_no_assignments_says_so(client, expert):
    client.force_login(expert)
    response = client.get(reverse("reviewer_dashboard"))
    assert response.status_code == 200
    assert "No plans are assigned to you yet." in page(response)


def test_assignment_of_another_reviewer_not_found(client, assignment, staff_user):
    intruder = reviewer_with_two_factor()
    client.force_login(intruder)

    assert client.get(url(assignment)).status_code == 404
    assert declare(client, assignment, "no").status_code == 404
    assignment.refresh_from_db()
    assert assignment.state == A.ASSIGNED
    assert not ConflictDeclaration.objects.exists()


@pytest.mark.parametrize("who", ["lead", "host_administrator"])
def test_assignment_page_refused_to_coordinators(client, plan, assignment, who):
    """Even the plan's own coordinators (no reviewer role) cannot open a review."""
    if who == "lead":
        coordinator = plan.lead
    else:
        coordinator = MembershipFactory(institution=plan.host, role="administrator").user
    client.force_login(coordinator)

    assert client.get(url(assignment)).status_code in (403, 404)
    assert client.get(reverse("reviewer_dashboard")).status_code == 403


def test_reviewer_without_two_factor_is_sent_to_set_it_up(client, plan, staff_user):
    newcomer = UserFactory(is_reviewer=True, full_name="New Reviewer")
    assignment = assigned(plan, newcomer, staff_user)
    client.force_login(newcomer)

    for path in (reverse("reviewer_dashboard"), url(assignment)):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == f"{reverse('mfa_activate_totp')}?next={path}"


# Declaring a conflict first


def test_assignment_page_before_declaring_shows_only_the_declaration(client, assignment, expert):
    client.force_login(expert)
    response = client.get(url(assignment))

    assert response.status_code == 200
    text = page(response)
    assert "First: any conflict of interest?" in text
    assert "I have no conflict of interest with this plan" in text
    assert "The plan comes from Hokuriku Institute of Technology." in text
    assert OBJECTIVES not in text
    assert "Welcome lecture" not in text  # the itinerary
    assert f"¥{PLAN_REQUESTS_JPY:,}" not in text  # the budget total
    assert "tandem-contact@hokuriku.example.org" not in text
    assert "review_form" not in response.context


def test_scores_refused_before_declaring(client, assignment, expert, criteria):
    client.force_login(expert)
    response = client.post(url(assignment), review_data("submit", {criteria[0]: 5, criteria[1]: 5}))
    # The page offers no score form before the declaration; a forged POST changes nothing
    # and is sent back to the declaration with a message.
    assert response.status_code == 302
    assert response.url == url(assignment)
    follow = client.get(response.url)
    assert "Declare that you have no conflict before reviewing." in page(follow)
    assert OBJECTIVES not in page(follow)
    assert not Review.objects.exists()
    assignment.refresh_from_db()
    assert assignment.state == A.ASSIGNED


def test_declare_no_conflict_shows_the_submitted_version(client, plan, assignment, expert):
    client.force_login(expert)
    response = declare(client, assignment, "no")
    assert response.status_code == 302
    assert response.url == url(assignment)

    # After submission the plan row changes (as during a later revision): the page must
    # still show version 1 as it was frozen.
    InvitationPlan.objects.filter(pk=plan.pk).update(
        title_en="A title typed after submission", objectives="Objectives typed later."
    )
    text = page(client.get(url(assignment)))

    assert "The plan as submitted (version 1," in text
    assert "Tandem solar cells in the clean room" in text
    assert OBJECTIVES in text
    assert "Objectives typed later." not in text
    for item in ("Welcome lecture", "Lab work", "Site visit"):
        assert item in text
    assert f"<strong>¥{PLAN_REQUESTS_JPY:,}</strong>" in text
    assert "¥150,000" in text  # an airfare
    assignment.refresh_from_db()
    assert assignment.state == A.ACCEPTED
    assert assignment.declaration.has_conflict is False


def test_assignment_page_never_shows_a_title_typed_after_submission(
    client, plan, accepted_assignment, expert, staff_user
):
    """During a revision the applicant edits the live plan: the reviewer sees only version 1."""
    request_revision(plan, by=staff_user, reason="Please add a company visit.")
    InvitationPlan.objects.filter(pk=plan.pk).update(title_en="Unsubmitted draft title")
    client.force_login(expert)

    text = page(client.get(url(accepted_assignment)))

    assert "Tandem solar cells in the clean room" in text
    assert "Unsubmitted draft title" not in text


def test_declare_conflict_without_reason_is_a_field_error(client, assignment, expert):
    client.force_login(expert)
    response = declare(client, assignment, "yes", reason="  ")

    assert response.status_code == 400
    assert response.context["declaration_form"].errors["reason"] == [
        "Please say what the conflict is."
    ]
    assert OBJECTIVES not in page(response)
    assignment.refresh_from_db()
    assert assignment.state == A.ASSIGNED
    assert not ConflictDeclaration.objects.exists()


def test_declare_conflict_with_reason_ends_the_assignment(client, plan, assignment, expert):
    client.force_login(expert)
    response = declare(client, assignment, "yes", reason="I co-supervise a student there.")

    assert response.status_code == 302
    assert response.url == reverse("reviewer_dashboard")
    dashboard = client.get(response.url)
    assert "Thank you. The plan will be given to someone else." in page(dashboard)
    assert plan.reference not in page(dashboard)
    assert list(dashboard.context["assignments"]) == []
    assert client.get(url(assignment)).status_code == 404
    assignment.refresh_from_db()
    assert assignment.state == A.CONFLICT
    assert assignment.declaration.reason == "I co-supervise a student there."


def test_declaring_twice_is_not_possible(client, assignment, expert):
    client.force_login(expert)
    declare(client, assignment, "no")
    response = declare(client, assignment, "yes", reason="Changed my mind.")
    # The page no longer offers the declaration, and nothing changes.
    assert response.status_code == 400
    assignment.refresh_from_db()
    assert assignment.state == A.ACCEPTED
    assert ConflictDeclaration.objects.filter(assignment=assignment).count() == 1


# Blind review


@pytest.mark.parametrize("blind", [True, False])
def test_blind_review_hides_the_coordinators(client, plan, accepted_assignment, expert, blind):
    ReviewSetup.objects.update_or_create(call=plan.call, defaults={"blind": blind})
    client.force_login(expert)

    text = page(client.get(url(accepted_assignment)))

    hidden = (
        "Sato Hanako-Lead",
        "Suzuki Contactperson",
        "+81-76-555-0199",
        "tandem-contact@hokuriku.example.org",
    )
    for detail in hidden:
        assert (detail in text) is not blind, detail
    assert ("Blind review: the coordinators' names are hidden." in text) is blind
    assert OBJECTIVES in text


# Scoring


def test_save_draft_with_partial_scores_keeps_the_values(
    client, accepted_assignment, expert, criteria
):
    merit, feasibility = criteria
    client.force_login(expert)
    response = client.post(
        url(accepted_assignment),
        review_data("draft", {merit: 4, feasibility: None}, comment_to_staff="Half read."),
    )

    assert response.status_code == 302
    assert response.url == url(accepted_assignment)
    review = Review.objects.get(assignment=accepted_assignment)
    assert review.submitted_at is None
    assert {s.criterion_id: s.value for s in review.scores.all()} == {merit.pk: 4}

    again = client.get(url(accepted_assignment))
    assert "Draft saved." in page(again)
    form = again.context["review_form"]
    assert form[f"score_{merit.pk}"].value() == 4
    assert form[f"score_{feasibility.pk}"].value() in (None, "")
    assert form["comment_to_staff"].value() == "Half read."
    accepted_assignment.refresh_from_db()
    assert accepted_assignment.state == A.ACCEPTED
    dashboard = page(client.get(reverse("reviewer_dashboard")))
    assert "Draft saved: finish and submit" in dashboard


def test_submit_without_every_score_is_a_field_error_and_keeps_the_comment(
    client, accepted_assignment, expert, criteria
):
    merit, feasibility = criteria
    client.force_login(expert)
    response = client.post(
        url(accepted_assignment),
        review_data(
            "submit", {merit: 5, feasibility: None}, comment_to_staff="A careful argument."
        ),
    )

    assert response.status_code == 400
    form = response.context["review_form"]
    assert form.errors == {f"score_{feasibility.pk}": ["Give a score."]}
    assert "A careful argument." in page(response)
    assert form[f"score_{merit.pk}"].value() == "5"
    accepted_assignment.refresh_from_db()
    assert accepted_assignment.state == A.ACCEPTED
    assert not Review.objects.exists()


def test_score_outside_the_scale_is_a_field_error(client, accepted_assignment, expert, criteria):
    merit, feasibility = criteria
    client.force_login(expert)
    response = client.post(
        url(accepted_assignment), review_data("submit", {merit: 9, feasibility: 3})
    )
    assert response.status_code == 400
    assert f"score_{merit.pk}" in response.context["review_form"].errors
    assert not Review.objects.exists()


def test_submit_with_every_score_submits_the_review(
    client, plan, accepted_assignment, expert, criteria
):
    merit, feasibility = criteria
    client.force_login(expert)
    response = client.post(
        url(accepted_assignment),
        review_data(
            "submit",
            {merit: 5, feasibility: 3},
            comment_to_staff="Strong lab plan.",
            comment_to_applicant="Consider a longer stay.",
        ),
    )

    assert response.status_code == 302
    assert response.url == reverse("reviewer_dashboard")
    accepted_assignment.refresh_from_db()
    assert accepted_assignment.state == A.SUBMITTED
    review = accepted_assignment.review
    assert review.submitted_at is not None
    assert review.plan_version == 1
    assert review.comment_to_applicant == "Consider a longer stay."
    assert {s.criterion_id: s.value for s in review.scores.all()} == {
        merit.pk: 5,
        feasibility.pk: 3,
    }
    dashboard = page(client.get(response.url))
    assert "Your review was submitted." in dashboard
    assert "Review submitted" in dashboard


def test_reviewer_never_sees_other_reviewers_reviews(
    client, plan, accepted_assignment, expert, staff_user, criteria
):
    merit, feasibility = criteria
    colleague = reviewer_with_two_factor("Dr. Colleague Otherreviewer")
    submitted_review(
        plan,
        colleague,
        staff_user,
        {merit: 1, feasibility: 2},
        comment_to_staff="ZEBRA-7 the colleague's private remark",
        comment_to_applicant="QUOKKA-3 the colleague's note to the applicant",
    )
    client.force_login(expert)

    for response in (
        client.get(url(accepted_assignment)),
        client.get(reverse("reviewer_dashboard")),
    ):
        text = page(response)
        assert "ZEBRA-7" not in text
        assert "QUOKKA-3" not in text
        assert "Dr. Colleague Otherreviewer" not in text
    form = client.get(url(accepted_assignment)).context["review_form"]
    assert form.initial == {}
    assert client.get(url(ReviewAssignment.objects.get(reviewer=colleague))).status_code == 404


# Declining


def test_decline_with_reason_ends_the_assignment(client, plan, accepted_assignment, expert):
    client.force_login(expert)
    response = client.post(
        url(accepted_assignment), {"action": "decline", "reason": "Abroad for two months."}
    )

    assert response.status_code == 302
    assert response.url == reverse("reviewer_dashboard")
    dashboard = client.get(response.url)
    assert "You declined this plan." in page(dashboard)
    assert plan.reference not in page(dashboard)
    assert client.get(url(accepted_assignment)).status_code == 404
    accepted_assignment.refresh_from_db()
    assert accepted_assignment.state == A.DECLINED
    assert accepted_assignment.declined_reason == "Abroad for two months."


def test_decline_without_reason_is_a_field_error(client, assignment, expert):
    client.force_login(expert)
    response = client.post(url(assignment), {"action": "decline", "reason": ""})

    assert response.status_code == 400
    assert "reason" in response.context["decline_form"].errors
    assert '<details class="box" open>' in response.content.decode()  # the error is in view
    assignment.refresh_from_db()
    assert assignment.state == A.ASSIGNED
    assert assignment.declined_reason == ""


def test_a_submitted_review_is_corrected_not_turned_back_into_a_draft(
    client, plan, expert, staff_user, criteria
):
    merit, feasibility = criteria
    assignment = submitted_review(plan, expert, staff_user, {merit: 3, feasibility: 3})
    client.force_login(expert)
    page_before = client.get(url(assignment)).content.decode()
    assert "Save corrections" in page_before and "Save draft" not in page_before

    response = client.post(url(assignment), review_data("submit", {merit: 5, feasibility: 4}))

    assert "Your submitted review was corrected." in page(client.get(response.url))
    review = Review.objects.get(assignment=assignment)
    assert review.submitted_at and sorted(review.scores.values_list("value", flat=True)) == [4, 5]


def test_submitted_review_cannot_be_declined(client, plan, expert, staff_user, criteria):
    assignment = submitted_review(plan, expert, staff_user, dict.fromkeys(criteria, 3))
    client.force_login(expert)
    response = client.post(url(assignment), {"action": "decline", "reason": "Too late."})

    assert response.status_code == 400
    assert "This assignment can no longer be declined." in page(response)
    assignment.refresh_from_db()
    assert assignment.state == A.SUBMITTED


# Deadlines and new versions


def test_dashboard_marks_overdue_reviews(client, plan, assignment, expert):
    overdue = '<strong class="overdue">overdue</strong>'
    setup, _created = ReviewSetup.objects.get_or_create(call=plan.call)
    client.force_login(expert)
    setup.deadline = timezone.now() + timedelta(days=1)
    setup.save()
    assert overdue not in page(client.get(reverse("reviewer_dashboard")))

    setup.deadline = timezone.now() - timedelta(days=1)
    setup.save()
    assert overdue in page(client.get(reverse("reviewer_dashboard")))


def test_dashboard_does_not_mark_a_withdrawn_plan_overdue(client, plan, assignment, expert):
    ReviewSetup.objects.update_or_create(
        call=plan.call, defaults={"deadline": timezone.now() - timedelta(days=1)}
    )
    withdraw_plan(plan, by=plan.lead)
    client.force_login(expert)
    assert '<strong class="overdue">' not in page(client.get(reverse("reviewer_dashboard")))


def test_dashboard_asks_for_a_new_review_after_resubmission(
    client, plan, expert, staff_user, criteria
):
    assignment = submitted_review(plan, expert, staff_user, dict.fromkeys(criteria, 4))
    client.force_login(expert)
    before = page(client.get(reverse("reviewer_dashboard")))
    assert "A new version was submitted" not in before
    assert "Review submitted" in before

    request_revision(plan, by=staff_user, reason="Please add a company visit.")
    submit_plan(plan, by=plan.lead)

    after = page(client.get(reverse("reviewer_dashboard")))
    assert "A new version was submitted: review it again" in after
    detail = page(client.get(url(assignment)))
    assert "The applicant submitted version 2 after a revision request" in detail
    assert "The plan as submitted (version 2," in detail
