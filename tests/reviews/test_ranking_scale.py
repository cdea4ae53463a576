"""The ranking page for a big call: 1,500 plans × 3 reviews, a fixed number of queries, fast,
50 plans a page."""

import random
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reviews.domain.ranking import rank_call
from reviews.models import Review, ReviewAssignment, Score
from tests.factories import CallFactory
from tests.reviews.factories import CriterionFactory, bulk_reviewers, submitted_plans

pytestmark = pytest.mark.django_db


def test_ranking_page_for_1500_plans_and_4500_reviews(
    client, staff_user, django_assert_max_num_queries
):
    call = CallFactory(budget_jpy=900_000_000)
    criteria = [CriterionFactory(call=call, weight=w) for w in (3, 2, 1)]
    plans = submitted_plans(call, 1500, requested=1_200_000)
    reviewers = bulk_reviewers(100)
    rng = random.Random(7)
    assignments = ReviewAssignment.objects.bulk_create(
        [
            ReviewAssignment(
                plan=plan,
                reviewer=reviewers[(i * 3 + k) % 100],
                state=ReviewAssignment.State.SUBMITTED,
                assigned_by=staff_user,
            )
            for i, plan in enumerate(plans)
            for k in range(3)
        ]
    )
    now = timezone.now()
    reviews = Review.objects.bulk_create(
        [Review(assignment=a, plan_version=1, submitted_at=now) for a in assignments]
    )
    Score.objects.bulk_create(
        [Score(review=r, criterion=c, value=rng.randint(1, 5)) for r in reviews for c in criteria]
    )

    # What autovacuum does after a bulk load in production. Inside the test's transaction the
    # statistics are whatever earlier tests left (often "a table of one row"), and the planner
    # then joins 13,500 scores by nested loops: 10 s instead of 0.2 s in a full run.
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE reviews_score, reviews_review, reviews_reviewassignment, "
            "applications_invitationplan, reviews_criterion"
        )

    # CPU time of this process (Python, templates, reading rows), which other processes on a
    # busy machine do not inflate as they do wall time; the queries are counted below.
    started = time.process_time()
    ranking = rank_call(call)
    ranked = time.process_time() - started
    assert len(ranking.rows) == 1500
    assert sum(row.above_line for row in ranking.rows) == 750  # 900 M / 1.2 M

    client.force_login(staff_user)
    with django_assert_max_num_queries(20):
        started, waited = time.process_time(), time.perf_counter()
        response = client.get(reverse("review_ranking", args=[call.pk]))
        rendered, waited = time.process_time() - started, time.perf_counter() - waited
    assert response.status_code == 200
    assert [row.rank for row in response.context["rows"]] == list(range(1, 51))
    html = response.content.decode()
    # The 750 plans that fit are ranks 1–750: the line is drawn before rank 751, on page 16.
    assert "The budget runs out on page 16" in html
    assert "runs out here" not in html
    cut_page = client.get(reverse("review_ranking", args=[call.pk]), {"page": 16})
    assert [row.rank for row in cut_page.context["rows"]] == list(range(751, 801))
    assert cut_page.content.decode().count("runs out here") == 1
    print(f"\nrank_call: {ranked:.2f} s CPU; a ranking page of 1,500 plans: {rendered:.2f} s CPU")
    assert ranked < 3
    assert rendered < 2
    assert waited < 60  # a query gone wrong (nested loops over 13,500 scores) waits, not computes
