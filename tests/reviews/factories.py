"""Reviewers, criteria, plans in bulk and scored reviews for the review tests."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import User
from applications.models import BudgetLine, InvitationPlan, PlanState
from institutions.models import Institution, Membership
from reviews.models import Criterion, Review, ReviewAssignment, ReviewerProfile, Score
from tests.applications.factories import course_of_call
from tests.factories import UserFactory


class ReviewerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewerProfile

    user = None
    fields_of_science = factory.LazyFunction(lambda: ["materials"])
    affiliations_abroad = factory.LazyFunction(list)


class ReviewerFactory(UserFactory):
    """An expert reviewer with a profile: ReviewerFactory(profile__fields_of_science=[...])."""

    is_reviewer = True
    full_name = factory.Sequence(lambda n: f"Reviewer {n}")
    email = factory.Sequence(lambda n: f"reviewer{n}@example.org")
    profile = factory.RelatedFactory(ReviewerProfileFactory, factory_related_name="user")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = None
    name_en = factory.Sequence(lambda n: f"Criterion {n}")
    name_ja = factory.Sequence(lambda n: f"評価項目{n}")
    weight = 1
    scale_min = 1
    scale_max = 5
    position = factory.Sequence(lambda n: n)


_bulk_counter = iter(range(1, 10**9))


def bulk_reviewers(count, *, fields=None):
    """`count` active reviewers with profiles, in 2 INSERTs; fields[i % len] for the i-th."""
    batch = next(_bulk_counter)
    users = User.objects.bulk_create(
        [
            User(
                email=f"bulk-reviewer-{batch}-{i}@example.org",
                full_name=f"Bulk Reviewer {batch}-{i}",
                is_reviewer=True,
                password="!",
            )
            for i in range(count)
        ]
    )
    fields = fields or [["materials"]]
    ReviewerProfile.objects.bulk_create(
        [
            ReviewerProfile(user=user, fields_of_science=list(fields[i % len(fields)]))
            for i, user in enumerate(users)
        ]
    )
    return list(User.objects.filter(pk__in=[u.pk for u in users]).order_by("pk"))


def submitted_plans(call, count, *, fields=("materials",), requested=None, state=None):
    """`count` plans of `call` in state SUBMITTED (or `state`), each from its own institution.

    Quick: a handful of bulk INSERTs whatever `count` is. The rows are what review needs
    (call, course, host, lead, number, reference, field, state), not complete plans: use
    PlanFactory and `submit_plan` when the plan's content or its versions matter.
    `requested`: the budget total each plan asks for (one budget line), or a list of them.
    """
    batch = next(_bulk_counter)
    course = call.courses.first() or course_of_call(call)
    hosts = Institution.objects.bulk_create(
        [
            Institution(
                kind=Institution.Kind.UNIVERSITY,
                name_en=f"Bulk University {batch}-{i}",
                name_ja=f"一括大学{batch}-{i}",
                prefecture="13",
            )
            for i in range(count)
        ]
    )
    leads = User.objects.bulk_create(
        [
            User(
                email=f"bulk-lead-{batch}-{i}@example.org",
                full_name=f"Bulk Lead {batch}-{i}",
                password="!",
            )
            for i in range(count)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=lead, institution=host, role=Membership.Role.ADMINISTRATOR)
            for lead, host in zip(leads, hosts, strict=True)
        ]
    )
    first = InvitationPlan.objects.filter(call=call).order_by("-number").first() or None
    start = first.number + 1 if first else 1
    now = timezone.now()
    plans = InvitationPlan.objects.bulk_create(
        [
            InvitationPlan(
                call=call,
                course=course,
                host=host,
                lead=lead,
                number=start + i,
                reference=f"{call.reference_prefix}-{start + i:04d}",
                title_en=f"Plan {start + i}",
                title_ja=f"計画{start + i}",
                field_of_science=fields[i % len(fields)],
                state=state or PlanState.SUBMITTED,
                submitted_at=now,
            )
            for i, (host, lead) in enumerate(zip(hosts, leads, strict=True))
        ]
    )
    if requested is not None:
        amounts = requested if isinstance(requested, list | tuple) else [requested] * count
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(plan=plan, category="airfare", unit_cost_jpy=amount, quantity=1)
                for plan, amount in zip(plans, amounts, strict=True)
            ]
        )
    return plans


def scored_review(plan, reviewer, values, *, by, submitted=True):
    """A review written straight to the database: {criterion: value}.

    For the ranking tests, which need many reviews with chosen scores; how a reviewer gets
    there (declaration, drafts, validation) is what test_reviewing.py covers.
    """
    assignment = ReviewAssignment.objects.create(
        plan=plan,
        reviewer=reviewer,
        assigned_by=by,
        state=ReviewAssignment.State.SUBMITTED if submitted else ReviewAssignment.State.ACCEPTED,
    )
    review = Review.objects.create(
        assignment=assignment,
        plan_version=1,
        submitted_at=timezone.now() if submitted else None,
    )
    Score.objects.bulk_create(
        [
            Score(review=review, criterion=criterion, value=value)
            for criterion, value in values.items()
        ]
    )
    return review


def closed(call):
    """The call's deadline passed a minute ago: its decisions may be released."""
    from programs.models import Call

    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    call.refresh_from_db()
    return call
