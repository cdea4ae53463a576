"""The call's money on the ranking: one "left" figure and a cut line that stay right through
saving decisions, releasing them, a withdrawal and a promotion from the waitlist.

The rule (applications.domain.money): what is left is the budget less the approved amounts,
released or only saved; a plan decided against (rejected, waitlisted) counts for nothing and
says so; the budget runs out before the first plan, in ranking order, that no longer fits.
"""

import pytest
from django.urls import reverse

from applications.domain.states import withdraw_plan
from tests.factories import CallFactory

from .test_views_staff import decide, ranked_plans, release
from .view_helpers import PLAN_REQUESTS_JPY

pytestmark = pytest.mark.django_db

BUDGET = 2_000_000  # one plan of ¥1,110,000 fits, two do not
LEFT_AFTER_ONE = BUDGET - PLAN_REQUESTS_JPY  # ¥890,000


@pytest.fixture
def call(db):
    return CallFactory(budget_jpy=BUDGET)


def ranking_page(client, call):
    response = client.get(reverse("review_ranking", args=[call.pk]))
    assert response.status_code == 200
    rows = {row.plan.pk: row for row in response.context["ranking"].rows}
    return response, rows


def assert_left(response, left):
    """The summary and the waitlist box say the same figure."""
    assert response.context["ranking"].money.left == left
    assert response.context["money_left"] == left
    html = response.content.decode()
    assert f'<strong id="budget-left">¥{left:,}</strong>' in html
    assert f"Budget left after the approvals above: ¥{left:,}." in html


def test_left_and_cut_line_hold_through_save_release_withdrawal_and_promotion(
    client, call, staff_user
):
    client.force_login(staff_user)
    best, second = ranked_plans(call, staff_user, [5, 4])

    # Before any decision: the second plan is where the money runs out.
    response, rows = ranking_page(client, call)
    assert [rows[best.pk].cut_before, rows[second.pk].cut_before] == [False, True]
    assert rows[second.pk].running_total == 2 * PLAN_REQUESTS_JPY
    assert_left(response, BUDGET)

    # Approve the first, waitlist the second, save: the line stays; the waitlisted row is
    # not counted and says so; one figure left.
    client.post(
        reverse("review_ranking", args=[call.pk]),
        {f"outcome_{best.pk}": "approved", f"outcome_{second.pk}": "waitlisted"},
    )
    response, rows = ranking_page(client, call)
    assert rows[second.pk].cut_before
    assert (rows[second.pk].counted, rows[second.pk].running_total) == (False, None)
    assert "Not counted (Waitlisted)" in response.content.decode()
    assert rows[best.pk].running_total == PLAN_REQUESTS_JPY
    assert_left(response, LEFT_AFTER_ONE)

    # Released: nothing moves.
    release(client, call)
    response, rows = ranking_page(client, call)
    assert rows[second.pk].cut_before
    assert_left(response, LEFT_AFTER_ONE)
    assert response.context["waitlist"] == []  # ¥1,110,000 does not fit into ¥890,000

    # The approved plan is withdrawn: its money is free, the waitlisted plan now fits.
    withdraw_plan(best, by=best.lead, reason="The partner cancelled.")
    response, rows = ranking_page(client, call)
    assert best.pk not in rows
    assert not rows[second.pk].cut_before
    assert_left(response, BUDGET)
    assert [row.plan.pk for row in response.context["waitlist"]] == [second.pk]

    # Promoted: it counts now.
    client.post(
        reverse("review_ranking", args=[call.pk]),
        {"action": "promote", "plan": second.pk, "amount": PLAN_REQUESTS_JPY},
    )
    response, rows = ranking_page(client, call)
    assert (rows[second.pk].counted, rows[second.pk].running_total) == (True, PLAN_REQUESTS_JPY)
    assert_left(response, LEFT_AFTER_ONE)


def test_rejected_row_says_it_is_not_counted_and_draws_no_line(client, call, staff_user):
    client.force_login(staff_user)
    best, second, third = ranked_plans(call, staff_user, [5, 4, 3])
    decide(client, call, second, "rejected", conditions="Out of scope.")

    response, rows = ranking_page(client, call)

    assert (rows[second.pk].counted, rows[second.pk].cut_before) == (False, False)
    assert "Not counted (Rejected)" in response.content.decode()
    # The third moves up: ¥2,220,000 with the first, over the budget: the line is before it.
    assert rows[third.pk].cut_before
    assert rows[third.pk].running_total == 2 * PLAN_REQUESTS_JPY
    assert_left(response, BUDGET)
