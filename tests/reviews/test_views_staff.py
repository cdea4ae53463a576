"""The program officers' review pages of a call: set-up, assignments, ranking and decisions.

Only program officers open them. The set-up fixes how many reviewers read each plan, their
maximum load, the deadline and blindness, and the criteria, which lock once anyone has saved
a review. Automatic assignment is previewed without saving, then applied (each reviewer gets
one notification); a conflicted reviewer is never assigned by hand either. The ranking lists
plans best first with running totals against the call's budget and a line where the money
runs out. Decisions are recorded in a batch and stay invisible to coordinators until staff
release them all; a waitlisted plan can be approved later when money is left.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.domain.states import withdraw_plan
from applications.models import PlanState
from notifications.models import Notification
from reviews.domain.reviewing import declare, decline
from reviews.models import Criterion, Decision, ReviewAssignment, ReviewSetup
from tests.factories import CallFactory, MembershipFactory
from tests.reviews.factories import closed

from .view_helpers import (
    PLAN_REQUESTS_JPY,
    accepted,
    assigned,
    criteria_of,
    page,
    reviewer_with_two_factor,
    submitted_plan,
    submitted_review,
)

pytestmark = pytest.mark.django_db
STAFF_PAGES = ["review_setup", "review_assignments", "review_ranking"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in with a password here: spare the many users the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def call(db):
    """An open call with a budget of ¥2,500,000: two plans of ¥1,110,000 fit, three do not."""
    return CallFactory(budget_jpy=2_500_000)


@pytest.fixture
def officer(staff_user, client):
    client.force_login(staff_user)
    return staff_user


def setup_data(call, rows=(), **fields):
    """The set-up page's POST: the set-up form and the criteria formset (`rows` are new)."""
    existing = list(Criterion.objects.filter(call=call))
    data = {
        "setup-reviewers_per_plan": fields.get("reviewers_per_plan", 3),
        "setup-max_load": fields.get("max_load", 30),
        "setup-deadline": fields.get("deadline", ""),
        "setup-rank_by": fields.get("rank_by", "calibrated"),
        "criteria-TOTAL_FORMS": len(existing) + len(rows),
        "criteria-INITIAL_FORMS": len(existing),
        "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 1000,
    }
    if fields.get("blind"):
        data["setup-blind"] = "on"
    changed = fields.get("changed", {})
    for index, criterion in enumerate(existing):
        row = {
            "id": criterion.pk,
            "name_en": criterion.name_en,
            "name_ja": criterion.name_ja,
            "description": criterion.description,
            "weight": criterion.weight,
            "scale_min": criterion.scale_min,
            "scale_max": criterion.scale_max,
            **changed.get(criterion.pk, {}),
        }
        for name, value in row.items():
            data[f"criteria-{index}-{name}"] = value
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"criteria-{len(existing) + offset}-{name}"] = value
    return data


def criterion_row(name_en, weight=1, scale_min=1, scale_max=5):
    return {
        "name_en": name_en,
        "name_ja": f"{name_en}（日本語）",
        "description": "",
        "weight": weight,
        "scale_min": scale_min,
        "scale_max": scale_max,
    }


def ranked_plans(call, staff, scores):
    """One submitted plan of `call` per score, each reviewed by the same two reviewers.

    `scores` are per plan, e.g. [5, 2, 4]; both reviewers give that score on the one criterion.
    """
    (criterion,) = Criterion.objects.filter(call=call) or criteria_of(call, (1, 1, 5))
    readers = [reviewer_with_two_factor(), reviewer_with_two_factor()]
    plans = []
    for score in scores:
        plan = submitted_plan(call=call)
        for reader in readers:
            submitted_review(plan, reader, staff, {criterion: score})
        plans.append(plan)
    return plans


def decide(client, call, plan, outcome, amount="", conditions=""):
    return client.post(
        reverse("review_ranking", args=[call.pk]),
        {
            f"outcome_{plan.pk}": outcome,
            f"amount_{plan.pk}": amount,
            f"conditions_{plan.pk}": conditions,
        },
        follow=True,
    )


def release(client, call, confirm="yes"):
    return client.post(
        reverse("review_ranking", args=[closed(call).pk]), {"action": "release", "confirm": confirm}
    )


# Who may open the staff pages


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_refused_to_coordinators_and_reviewers(client, call, coordinator, name):
    for person in (coordinator, reviewer_with_two_factor()):
        client.force_login(person)
        assert client.get(reverse(name, args=[call.pk])).status_code == 403
        assert client.post(reverse(name, args=[call.pk]), {"action": "auto"}).status_code == 403
    assert not ReviewAssignment.objects.exists()


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_open_to_program_officers(client, call, officer, name):
    response = client.get(reverse(name, args=[call.pk]))
    assert response.status_code == 200
    assert response.context["call"] == call


def test_staff_page_of_unknown_call_not_found(client, officer):
    assert client.get(reverse("review_setup", args=[999_999])).status_code == 404


# Set-up and criteria


def test_setup_saves_reviewers_load_deadline_and_blindness(client, call, officer):
    response = client.post(
        reverse("review_setup", args=[call.pk]),
        setup_data(
            call,
            reviewers_per_plan=2,
            max_load=12,
            deadline="2027-02-01T17:00",
            blind=True,
            rank_by="mean",
        ),
    )

    assert response.status_code == 302
    setup = ReviewSetup.objects.get(call=call)
    assert (setup.reviewers_per_plan, setup.max_load, setup.blind, setup.rank_by) == (
        2,
        12,
        True,
        "mean",
    )
    # Typed in Japan time: 17:00 JST is 08:00 UTC.
    assert setup.deadline == datetime(2027, 2, 1, 8, 0, tzinfo=UTC)
    assert "Saved." in page(client.get(response.url))


def test_setup_refuses_zero_reviewers_per_plan(client, call, officer):
    response = client.post(
        reverse("review_setup", args=[call.pk]), setup_data(call, reviewers_per_plan=0)
    )
    assert response.status_code == 400
    assert "reviewers_per_plan" in response.context["form"].errors
    assert ReviewSetup.objects.get(call=call).reviewers_per_plan == 3


def test_setup_criteria_formset_adds_criteria(client, call, officer):
    response = client.post(
        reverse("review_setup", args=[call.pk]),
        setup_data(
            call,
            rows=[criterion_row("Scientific merit", weight=2), criterion_row("Feasibility")],
        ),
    )

    assert response.status_code == 302
    assert list(
        Criterion.objects.filter(call=call)
        .order_by("pk")
        .values_list("name_en", "weight", "scale_min", "scale_max")
    ) == [("Scientific merit", 2, 1, 5), ("Feasibility", 1, 1, 5)]


@pytest.mark.parametrize("scale_min, scale_max", [(5, 5), (5, 3)])
def test_setup_criterion_with_empty_scale_is_a_field_error(
    client, call, officer, scale_min, scale_max
):
    response = client.post(
        reverse("review_setup", args=[call.pk]),
        setup_data(
            call,
            rows=[criterion_row("Merit", scale_min=scale_min, scale_max=scale_max)],
            reviewers_per_plan=2,
        ),
    )

    assert response.status_code == 400
    assert response.context["formset"].errors[0] == {
        "scale_max": ["The highest score must be above the lowest."]
    }
    assert "The highest score must be above the lowest." in page(response)
    assert not Criterion.objects.filter(call=call).exists()
    assert ReviewSetup.objects.get(call=call).reviewers_per_plan == 3


def test_setup_criteria_locked_once_a_review_exists(client, call, staff_user, officer):
    merit, feasibility = criteria_of(call)
    plan = submitted_plan(call=call)
    reader = reviewer_with_two_factor()
    submitted_review(plan, reader, staff_user, {merit: 4, feasibility: 4})

    before = list(Criterion.objects.filter(call=call).values())
    response = client.post(
        reverse("review_setup", args=[call.pk]),
        setup_data(
            call,
            rows=[criterion_row("A criterion added late")],
            changed={merit.pk: {"weight": 10, "name_en": "Renamed"}},
        ),
    )

    assert response.status_code == 302
    assert list(Criterion.objects.filter(call=call).values()) == before
    text = page(client.get(reverse("review_setup", args=[call.pk])))
    assert "Criteria are locked: reviews already use them." in text
    assert 'name="criteria-TOTAL_FORMS"' not in text


# Assignments


@pytest.fixture
def two_plans_three_readers(call):
    """Two submitted plans, three reviewers, two reviewers per plan: four pairs to make."""
    ReviewSetup.objects.create(call=call, reviewers_per_plan=2, max_load=5)
    plans = [submitted_plan(call=call), submitted_plan(call=call)]
    readers = [reviewer_with_two_factor() for _ in range(3)]
    return plans, readers


def test_assignment_preview_saves_nothing(client, call, officer, two_plans_three_readers):
    response = client.get(reverse("review_assignments", args=[call.pk]), {"preview": "1"})

    assert response.status_code == 200
    assert len(response.context["proposal"].pairs) == 4
    assert "4 assignments would be added" in page(response)
    assert not ReviewAssignment.objects.exists()
    assert not Notification.objects.filter(kind="reviewer_assigned").exists()


def test_assignment_preview_shows_the_pairs_and_the_projected_loads_openly(
    client, call, officer, two_plans_three_readers
):
    """Four pairs over three reviewers with nothing assigned yet: the loads go 0 → 2, 1, 1
    (balanced: the first reviewer takes a second plan only after each has one)."""
    plans, readers = two_plans_three_readers
    html = page(client.get(reverse("review_assignments", args=[call.pk]), {"preview": "1"}))

    assert "<details" not in html  # nothing folded away
    pairs = html.split('id="proposed-pairs"')[1].split("</table>")[0]
    assert pairs.count("<tr>") == 1 + 4  # the header and one row per pair
    for plan in plans:
        assert pairs.count(plan.reference) == 2
    loads = html.split('id="projected-loads"')[1].split("</table>")[0]
    rows = loads.split("<tr>")[2:]
    assert len(rows) == 3
    after = sorted(int(row.split('class="num"')[3].split(">")[1].split("<")[0]) for row in rows)
    assert after == [1, 1, 2]
    for row in rows:
        assert '<td class="num">0</td>' in row  # none had a plan before


def test_assignment_without_preview_proposes_nothing(
    client, call, officer, two_plans_three_readers
):
    response = client.get(reverse("review_assignments", args=[call.pk]))
    assert response.context["proposal"] is None
    assert "Preview automatic assignment" in page(response)


def test_automatic_assignment_creates_assignments_and_notifications(
    client, call, officer, two_plans_three_readers
):
    plans, readers = two_plans_three_readers
    response = client.post(reverse("review_assignments", args=[call.pk]), {"action": "auto"})

    assert response.status_code == 302
    assert "4 assignments added." in page(client.get(response.url))
    assignments = ReviewAssignment.objects.filter(plan__call=call)
    assert assignments.count() == 4
    for plan in plans:
        assert assignments.filter(plan=plan).count() == 2
    loads = sorted(assignments.filter(reviewer=r).count() for r in readers)
    assert loads == [1, 1, 2]
    notified = Notification.objects.filter(kind=Notification.Kind.REVIEWER_ASSIGNED)
    assert sorted(notified.values_list("recipient_id", flat=True)) == sorted(r.pk for r in readers)

    # Run again: every plan has its reviewers, nothing more is added.
    client.post(reverse("review_assignments", args=[call.pk]), {"action": "auto"})
    assert assignments.count() == 4
    assert notified.count() == 3


def test_manual_assignment_of_a_conflicted_reviewer_is_refused(client, call, officer):
    plan = submitted_plan(call=call)
    insider = reviewer_with_two_factor("Dr. Insider Samehost")
    MembershipFactory(user=insider, institution=plan.host)

    response = client.post(
        reverse("review_assignments", args=[call.pk]), {"plan": plan.pk, "reviewer": insider.pk}
    )

    assert response.status_code == 400
    errors = response.context["manual_form"].errors["reviewer"]
    assert any("member of the host institution" in error for error in errors)
    html = page(response)
    assert "member of the host institution" in html
    # What was chosen stays chosen, to pick another reviewer for the same plan.
    assert f'<option value="{plan.pk}" selected>{plan.reference} ' in html
    assert f'<option value="{insider.pk}" selected>' in html
    assert not ReviewAssignment.objects.exists()
    assert not Notification.objects.filter(kind="reviewer_assigned").exists()


def test_manual_assignment_of_a_free_reviewer_works(client, call, officer):
    plan = submitted_plan(call=call)
    outsider = reviewer_with_two_factor()

    response = client.post(
        reverse("review_assignments", args=[call.pk]), {"plan": plan.pk, "reviewer": outsider.pk}
    )

    assert response.status_code == 302
    assert ReviewAssignment.objects.get().reviewer == outsider
    assert Notification.objects.filter(kind="reviewer_assigned", recipient=outsider).count() == 1


def test_overdue_reviews_listed_after_the_deadline(client, call, staff_user, officer):
    criteria = criteria_of(call)
    plan = submitted_plan(call=call)
    late = reviewer_with_two_factor("Dr. Late Reader")
    done = reviewer_with_two_factor("Dr. Punctual Reader")
    assigned(plan, late, staff_user)
    submitted_review(plan, done, staff_user, dict.fromkeys(criteria, 3))
    setup, _created = ReviewSetup.objects.get_or_create(call=call)
    url = reverse("review_assignments", args=[call.pk])

    setup.deadline = timezone.now() + timedelta(days=1)
    setup.save()
    assert "Overdue reviews" not in page(client.get(url))

    setup.deadline = timezone.now() - timedelta(hours=1)
    setup.save()
    response = client.get(url)
    assert [a.reviewer for a in response.context["overdue"]] == [late]
    assert "Overdue reviews" in page(response)
    assert f"Dr. Late Reader — {plan.reference}" in page(response)
    assert f"Dr. Punctual Reader — {plan.reference}" not in page(response)


def test_overdue_reviews_leave_out_a_withdrawn_plan(client, call, staff_user, officer):
    """The plan no longer needs its review: nobody is late with it."""
    kept, withdrawn = submitted_plan(call=call), submitted_plan(call=call)
    late = reviewer_with_two_factor("Dr. Late Reader")
    assigned(kept, late, staff_user)
    assigned(withdrawn, late, staff_user)
    withdraw_plan(withdrawn, by=withdrawn.lead)
    ReviewSetup.objects.update_or_create(
        call=call, defaults={"deadline": timezone.now() - timedelta(hours=1)}
    )

    response = client.get(reverse("review_assignments", args=[call.pk]))

    assert [a.plan for a in response.context["overdue"]] == [kept]
    assert f"Dr. Late Reader — {withdrawn.reference}" not in page(response)


# Ranking


def test_ranking_orders_plans_with_running_totals_and_the_cut_line(
    client, call, staff_user, officer
):
    weak, strong, middling = ranked_plans(call, staff_user, [2, 5, 4])

    response = client.get(reverse("review_ranking", args=[call.pk]), {"by": "mean"})

    rows = response.context["ranking"].rows
    assert [row.plan for row in rows] == [strong, middling, weak]
    assert [row.running_total for row in rows] == [
        PLAN_REQUESTS_JPY,
        2 * PLAN_REQUESTS_JPY,
        3 * PLAN_REQUESTS_JPY,
    ]
    text = page(response)
    positions = [
        text.index(strong.reference),
        text.index("¥2,220,000"),
        text.index("The budget of ¥2,500,000 runs out here"),
        text.index(weak.reference),
        text.index("¥3,330,000"),
    ]
    assert text.index(middling.reference) < positions[2]
    assert positions == sorted(positions)
    assert text.count("runs out here") == 1


@pytest.fixture
def two_a_page(monkeypatch):
    """The ranking shows two plans a page (50 in the product)."""
    from reviews.views.staff import RankingView

    monkeypatch.setattr(RankingView, "paginate_by", 2)


def test_ranking_in_pages_keeps_ranks_and_says_where_the_money_runs_out(
    client, call, staff_user, officer, two_a_page
):
    weak, strong, middling = ranked_plans(call, staff_user, [2, 5, 4])
    url = reverse("review_ranking", args=[call.pk])

    first = client.get(url, {"by": "mean"})
    second = client.get(url, {"by": "mean", "page": 2})

    assert [(row.rank, row.plan) for row in first.context["rows"]] == [(1, strong), (2, middling)]
    assert [(row.rank, row.plan) for row in second.context["rows"]] == [(3, weak)]
    # ¥2,500,000 holds two plans of ¥1,110,000: the line falls before the third, on page 2.
    assert "runs out here" not in page(first)
    assert '<a href="?by=mean&amp;page=2#cut-line">The budget runs out on page 2</a>' in page(first)
    assert page(second).count("The budget of ¥2,500,000 runs out here") == 1
    assert '<a href="?by=mean&amp;page=1" rel="prev">Previous</a>' in page(second)


@pytest.mark.parametrize(
    # Not a number: the first page; out of range either way: the last (Paginator.get_page).
    "asked, shown",
    [("abc", 1), ("", 1), ("１", 1), ("0", 2), ("-1", 2), ("9999", 2), ("2" * 30, 2)],
)
def test_ranking_and_assignments_answer_any_page_number_with_a_page(
    client, call, staff_user, officer, two_a_page, assignments_two_a_page, asked, shown
):
    ranked_plans(call, staff_user, [2, 5, 4])

    for name in ("review_ranking", "review_assignments"):
        response = client.get(reverse(name, args=[call.pk]), {"page": asked, "by": "<b>"})
        assert response.status_code == 200
        assert response.context["page_obj"].number == shown
        assert "<b>" not in page(response)


def test_saving_one_page_of_decisions_leaves_the_other_pages_alone(
    client, call, staff_user, officer, two_a_page
):
    weak, strong, middling = ranked_plans(call, staff_user, [2, 5, 4])
    url = reverse("review_ranking", args=[call.pk])
    client.post(
        f"{url}?by=mean&page=2",
        {f"outcome_{weak.pk}": "waitlisted", f"conditions_{weak.pk}": "If money is left."},
    )

    response = client.post(
        f"{url}?by=mean&page=1",
        {f"outcome_{strong.pk}": "approved", f"outcome_{middling.pk}": "rejected"},
    )

    assert response.status_code == 302
    assert response.url == f"{url}?by=mean&page=1"
    decisions = {d.plan_id: (d.outcome, d.conditions) for d in Decision.objects.all()}
    assert decisions == {
        strong.pk: ("approved", ""),
        middling.pk: ("rejected", ""),
        weak.pk: ("waitlisted", "If money is left."),
    }


def test_a_refused_batch_shows_the_page_it_came_from(client, call, staff_user, officer, two_a_page):
    weak, strong, middling = ranked_plans(call, staff_user, [2, 5, 4])

    response = client.post(
        reverse("review_ranking", args=[call.pk]) + "?by=mean&page=2",
        {f"outcome_{weak.pk}": "approved", f"amount_{weak.pk}": "a lot"},
    )

    assert response.status_code == 400
    assert [row.plan for row in response.context["rows"]] == [weak]
    assert 'value="a lot"' in page(response)
    assert "The amount must be whole yen." in page(response)
    assert not Decision.objects.exists()


def test_ranking_says_how_many_reviews_each_plan_has_in_the_readers_language(
    client, call, staff_user, officer
):
    (reviewed,) = ranked_plans(call, staff_user, [4])
    unreviewed = submitted_plan(call=call)
    url = reverse("review_ranking", args=[call.pk])

    rows = {row.plan: row.reviews_shown for row in client.get(url).context["ranking"].rows}
    officer.preferred_language = "ja"
    officer.save()
    in_japanese = client.get(url).context["ranking"].rows

    assert rows == {reviewed: "2 reviews", unreviewed: "0 reviews"}
    assert [row.reviews_shown for row in in_japanese] == ["審査結果2件", "審査結果0件"]


def test_ranking_without_cut_line_when_everything_fits(client, staff_user, officer):
    call = CallFactory(budget_jpy=10_000_000)
    ranked_plans(call, staff_user, [3, 4])
    text = page(client.get(reverse("review_ranking", args=[call.pk])))
    assert "runs out here" not in text


def test_decisions_are_recorded_but_invisible_to_coordinators(client, call, staff_user, officer):
    strong, weak = ranked_plans(call, staff_user, [5, 2])

    response = client.post(
        reverse("review_ranking", args=[call.pk]),
        {
            f"outcome_{strong.pk}": "approved",
            f"amount_{strong.pk}": "1,000,000",
            f"conditions_{strong.pk}": "Send the final itinerary by December.",
            f"outcome_{weak.pk}": "rejected",
            f"conditions_{weak.pk}": "The itinerary is too thin.",
        },
        follow=True,
    )

    assert "Decisions saved. They stay invisible until released." in page(response)
    decisions = {d.plan_id: d for d in Decision.objects.all()}
    assert decisions[strong.pk].outcome == "approved"
    assert decisions[strong.pk].approved_amount_jpy == 1_000_000
    assert decisions[strong.pk].conditions == "Send the final itinerary by December."
    assert decisions[weak.pk].outcome == "rejected"
    assert decisions[weak.pk].released_at is None
    for plan in (strong, weak):
        plan.refresh_from_db()
        assert plan.state == PlanState.SUBMITTED
    assert "2 decisions are not released yet." in page(response)

    client.force_login(strong.lead)
    detail = page(client.get(reverse("plan_detail", args=[strong.pk])))
    assert '<span class="badge state-submitted">Submitted</span>' in detail
    assert "Approved" not in detail
    assert "Send the final itinerary by December." not in detail
    assert not Notification.objects.filter(kind="decision_released").exists()


@pytest.mark.parametrize(
    "amount, message",
    [
        ("9,999,999", "the approved amount cannot exceed the requested ¥1,110,000."),
        ("-1", "the approved amount cannot be below zero."),
        ("a million", "The amount must be whole yen."),
        ("1000000.50", "The amount must be whole yen."),
    ],
)
def test_decision_with_a_wrong_amount_is_refused(
    client, call, staff_user, officer, amount, message
):
    (plan,) = ranked_plans(call, staff_user, [5])

    response = decide(client, call, plan, "approved", amount=amount)

    assert response.status_code == 400
    assert f'<p class="errorlist" id="error-{plan.pk}">' in page(response)
    assert message in page(response)
    assert f'value="{amount}"' in page(response)
    assert "Decisions saved." not in page(response)
    assert not Decision.objects.exists()


def test_a_batch_with_one_wrong_row_saves_nothing_and_keeps_every_row(
    client, call, staff_user, officer
):
    good, bad = ranked_plans(call, staff_user, [5, 4])

    response = client.post(
        reverse("review_ranking", args=[call.pk]),
        {
            f"outcome_{good.pk}": "rejected",
            f"conditions_{good.pk}": "Too few hands-on activities.",
            f"outcome_{bad.pk}": "approved",
            f"amount_{bad.pk}": "999,999,999",
        },
    )

    assert response.status_code == 400
    html = page(response)
    assert "Nothing was saved: correct the decisions marked below." in html
    assert 'value="Too few hands-on activities."' in html
    assert '<option value="rejected" selected>' in html
    assert 'value="999,999,999"' in html and 'aria-invalid="true"' in html
    assert not Decision.objects.exists()


def test_release_moves_plans_to_their_outcomes(client, call, staff_user, officer):
    first, second, third = ranked_plans(call, staff_user, [5, 4, 2])
    client.post(
        reverse("review_ranking", args=[call.pk]),
        {
            f"outcome_{first.pk}": "approved",
            f"outcome_{second.pk}": "waitlisted",
            f"outcome_{third.pk}": "rejected",
            f"conditions_{third.pk}": "Too few hands-on activities.",
        },
    )

    unconfirmed = release(client, call, confirm="")
    assert "Tick the box to confirm the release." in page(client.get(unconfirmed.url))
    assert not Decision.objects.filter(released_at__isnull=False).exists()

    response = release(client, call)

    assert response.status_code == 302
    assert "3 decisions released." in page(client.get(response.url))
    states = {p.pk: p.state for p in type(first).objects.filter(call=call)}
    assert states == {
        first.pk: PlanState.APPROVED,
        second.pk: PlanState.WAITLISTED,
        third.pk: PlanState.REJECTED,
    }
    assert not Decision.objects.filter(released_at__isnull=True).exists()
    assert Notification.objects.filter(kind="decision_released", plan=first).exists()

    client.force_login(first.lead)
    detail = page(client.get(reverse("plan_detail", args=[first.pk])))
    assert '<span class="badge state-approved">Approved</span>' in detail


def test_a_decided_plan_withdrawn_is_not_counted_as_waiting_for_release(
    client, call, staff_user, officer
):
    """Releasing leaves the decision of a withdrawn plan unreleased: the page must not count
    it as waiting, before the release or ever after."""
    kept, withdrawn = ranked_plans(call, staff_user, [5, 4])
    client.post(
        reverse("review_ranking", args=[call.pk]),
        {f"outcome_{kept.pk}": "approved", f"outcome_{withdrawn.pk}": "approved"},
    )
    withdraw_plan(withdrawn, by=withdrawn.lead)
    url = reverse("review_ranking", args=[call.pk])

    assert "1 decision is not released yet." in page(client.get(url))
    assert "1 decision released." in page(client.get(release(client, call).url))
    assert "0 decisions are not released yet." in page(client.get(url))


def test_release_of_a_rejection_without_conditions(client, call, staff_user, officer):
    """Staff often reject without typing conditions: the release must still go through
    (or the rejection be refused when it is recorded), never fail the whole release."""
    strong, weak = ranked_plans(call, staff_user, [5, 2])
    client.post(
        reverse("review_ranking", args=[call.pk]),
        {f"outcome_{strong.pk}": "approved", f"outcome_{weak.pk}": "rejected"},
    )
    if not Decision.objects.filter(plan=weak).exists():
        return  # refused when recorded: fine

    client.raise_request_exception = False
    response = release(client, call)

    assert response.status_code == 302
    weak.refresh_from_db()
    strong.refresh_from_db()
    assert (strong.state, weak.state) == (PlanState.APPROVED, PlanState.REJECTED)


def test_waitlisted_plan_promoted_when_money_is_left(client, call, staff_user, officer):
    first, second = ranked_plans(call, staff_user, [5, 3])
    client.post(
        reverse("review_ranking", args=[call.pk]),
        {
            f"outcome_{first.pk}": "approved",
            f"amount_{first.pk}": "1,110,000",
            f"outcome_{second.pk}": "waitlisted",
        },
    )
    release(client, call)

    ranking = client.get(reverse("review_ranking", args=[call.pk]))
    assert [row.plan for row in ranking.context["waitlist"]] == [second]
    assert ranking.context["money_left"] == 2_500_000 - PLAN_REQUESTS_JPY

    response = client.post(
        reverse("review_ranking", args=[call.pk]),
        {"action": "promote", "plan": second.pk, "amount": str(PLAN_REQUESTS_JPY)},
        follow=True,
    )

    assert f"{second.reference} was approved." in page(response)
    second.refresh_from_db()
    assert second.state == PlanState.APPROVED
    decision = Decision.objects.get(plan=second)
    assert (decision.outcome, decision.approved_amount_jpy) == ("approved", PLAN_REQUESTS_JPY)
    assert response.context["money_left"] == 2_500_000 - 2 * PLAN_REQUESTS_JPY
    assert response.context["waitlist"] == []


def test_waitlisted_plan_not_promoted_beyond_the_budget(client, call, staff_user, officer):
    first, second, third = ranked_plans(call, staff_user, [5, 4, 3])
    client.post(
        reverse("review_ranking", args=[call.pk]),
        {
            f"outcome_{first.pk}": "approved",
            f"amount_{first.pk}": "1,110,000",
            f"outcome_{second.pk}": "approved",
            f"amount_{second.pk}": "1,110,000",
            f"outcome_{third.pk}": "waitlisted",
        },
    )
    release(client, call)

    ranking = client.get(reverse("review_ranking", args=[call.pk]))
    assert ranking.context["money_left"] == 280_000
    assert ranking.context["waitlist"] == []
    assert "No waitlisted plan fits into the money left." in page(ranking)

    response = client.post(
        reverse("review_ranking", args=[call.pk]),
        {"action": "promote", "plan": third.pk, "amount": str(PLAN_REQUESTS_JPY)},
        follow=True,
    )

    assert "Only ¥280,000 of the budget is left." in page(response)
    third.refresh_from_db()
    assert third.state == PlanState.WAITLISTED
    assert Decision.objects.get(plan=third).outcome == "waitlisted"


def test_waitlist_counts_an_approval_without_amount_as_the_requested_amount(
    client, call, staff_user, officer
):
    """An approval left at its placeholder (the requested amount) commits that money: the
    ranking counts it so, and the waitlist must too, or a promotion overspends the budget."""
    first, second, third = ranked_plans(call, staff_user, [5, 4, 3])
    client.post(
        reverse("review_ranking", args=[call.pk]),
        {
            f"outcome_{first.pk}": "approved",
            f"outcome_{second.pk}": "approved",
            f"outcome_{third.pk}": "waitlisted",
        },
    )
    release(client, call)

    ranking = client.get(reverse("review_ranking", args=[call.pk]))
    assert ranking.context["ranking"].money.approved == 2 * PLAN_REQUESTS_JPY
    assert ranking.context["money_left"] == 280_000
    assert ranking.context["waitlist"] == []

    response = client.post(
        reverse("review_ranking", args=[call.pk]),
        {"action": "promote", "plan": third.pk, "amount": str(PLAN_REQUESTS_JPY)},
        follow=True,
    )
    assert "Only ¥280,000 of the budget is left." in page(response)
    third.refresh_from_db()
    assert third.state == PlanState.WAITLISTED


def test_promote_refuses_a_plan_not_on_the_waitlist(client, call, staff_user, officer):
    """A forged promote of a rejected plan must be refused with a message, not a server error."""
    first, second = ranked_plans(call, staff_user, [5, 3])
    client.post(
        reverse("review_ranking", args=[call.pk]),
        {
            f"outcome_{first.pk}": "approved",
            f"outcome_{second.pk}": "rejected",
            f"conditions_{second.pk}": "Out of scope.",
        },
    )
    release(client, call)
    client.raise_request_exception = False

    response = client.post(
        reverse("review_ranking", args=[call.pk]),
        {"action": "promote", "plan": second.pk, "amount": "100000"},
    )

    assert response.status_code == 302
    second.refresh_from_db()
    assert second.state == PlanState.REJECTED
    assert Decision.objects.get(plan=second).outcome == "rejected"


@pytest.mark.parametrize("forged", ["abc", "", "1\x00", "²", "99999999999999999999"])
def test_promote_of_a_plan_that_is_no_number_answers_404(client, call, officer, forged):
    response = client.post(
        reverse("review_ranking", args=[call.pk]),
        {"action": "promote", "plan": forged, "amount": "100000"},
    )

    assert response.status_code == 404


def test_promote_refuses_an_amount_below_zero(client, call, staff_user, officer):
    first, second = ranked_plans(call, staff_user, [5, 3])
    client.post(
        reverse("review_ranking", args=[call.pk]),
        {f"outcome_{first.pk}": "approved", f"outcome_{second.pk}": "waitlisted"},
    )
    release(client, call)

    response = client.post(
        reverse("review_ranking", args=[call.pk]),
        {"action": "promote", "plan": second.pk, "amount": "-1"},
        follow=True,
    )

    assert "The approved amount cannot be below zero." in page(response)
    second.refresh_from_db()
    assert second.state == PlanState.WAITLISTED


def test_decision_conditions_with_a_nul_character_saved_without_it(
    client, call, staff_user, officer
):
    (plan,) = ranked_plans(call, staff_user, [5])

    client.post(
        reverse("review_ranking", args=[call.pk]),
        {f"outcome_{plan.pk}": "rejected", f"conditions_{plan.pk}": "Out of\x00 scope."},
    )

    assert Decision.objects.get(plan=plan).conditions == "Out of scope."


def test_ranking_queries_do_not_grow_with_plans(
    client, call, staff_user, officer, django_assert_num_queries
):
    url = reverse("review_ranking", args=[call.pk])
    ranked_plans(call, staff_user, [5, 3])
    client.get(url)  # the set-up row exists from here on
    with CaptureQueriesContext(connection) as two_plans:
        assert client.get(url).status_code == 200

    more = ranked_plans(call, staff_user, [4, 4, 2, 1])
    Decision.objects.create(plan=more[0], outcome="approved", decided_by=staff_user)
    with django_assert_num_queries(len(two_plans.captured_queries)):
        response = client.get(url)
    assert len(response.context["ranking"].rows) == 6


@pytest.fixture
def assignments_two_a_page(monkeypatch):
    """The assignments page shows two plans a page (50 in the product)."""
    from reviews.views.staff import AssignmentsView

    monkeypatch.setattr(AssignmentsView, "paginate_by", 2)


def cells_of(html, plan):
    """The cells of `plan`'s row in the plans table."""
    return html.split(f">{plan.reference}</a>")[1].split("</tr>")[0]


def test_assignments_in_pages_show_each_plans_reviewers_and_conflicts(
    client, call, staff_user, officer, assignments_two_a_page
):
    first, second, third = (submitted_plan(call=call) for _ in range(3))
    reader = reviewer_with_two_factor("Dr. Already Reading")
    assigned(first, reader, staff_user)
    insider = reviewer_with_two_factor("Dr. Insider Samehost")
    MembershipFactory(user=insider, institution=third.host)
    url = reverse("review_assignments", args=[call.pk])

    one, two = page(client.get(url)), page(client.get(url, {"page": 2}))

    assert "Dr. Already Reading" in cells_of(one, first)
    assert second.reference in one and third.reference not in one
    assert "Dr. Insider Samehost: member of the host institution" in cells_of(two, third)
    # No conflict on the first page's plans (the insider is still offered for assignment).
    plans_table = one.split('id="plans-heading"')[1].split("</table>")[0]
    assert "Dr. Insider Samehost" not in plans_table
    assert '<a href="?page=2" rel="next">Next</a>' in one


def test_assigning_by_hand_lists_the_page_but_takes_any_plan_in_review(
    client, call, staff_user, officer, assignments_two_a_page
):
    first, second, third = (submitted_plan(call=call) for _ in range(3))
    outsider = reviewer_with_two_factor()
    url = reverse("review_assignments", args=[call.pk])

    form = client.get(url).context["manual_form"]
    offered = [value for value, _label in form.fields["plan"].widget.choices]
    response = client.post(url, {"plan": third.pk, "reviewer": outsider.pk})

    assert offered == ["", first.pk, second.pk]
    assert response.status_code == 302
    assert ReviewAssignment.objects.get().plan == third


def test_assignment_preview_in_pages_counts_every_pair_and_lists_the_pages(
    client, call, officer, assignments_two_a_page
):
    """Three plans, two reviewers each: six pairs in all, four of them on the first page."""
    ReviewSetup.objects.create(call=call, reviewers_per_plan=2, max_load=5)
    first, second, third = (submitted_plan(call=call) for _ in range(3))
    for _ in range(3):
        reviewer_with_two_factor()
    url = reverse("review_assignments", args=[call.pk])

    response = client.get(url, {"preview": 1})
    html = page(response)

    assert "6 assignments would be added" in html
    pairs = html.split('id="proposed-pairs"')[1].split("</table>")[0]
    assert pairs.count("<tr>") == 1 + 4
    assert third.reference not in pairs
    shown = re.findall(r'<th scope="row">([^<]+)<br>', pairs)
    assert shown == [first.reference] * 2 + [second.reference] * 2  # in the plans' order
    assert "Proposed pairs for the plans on this page" in html
    assert '<a href="?preview=1&amp;page=2" rel="next">Next</a>' in html
    later = page(client.get(url, {"preview": 1, "page": 2}))
    assert later.split('id="proposed-pairs"')[1].split("</table>")[0].count(third.reference) == 2
    assert not ReviewAssignment.objects.exists()


def test_overdue_reviews_counted_for_the_call_and_listed_for_the_page(
    client, call, staff_user, officer, assignments_two_a_page
):
    plans = [submitted_plan(call=call) for _ in range(3)]
    late = reviewer_with_two_factor("Dr. Late Reader")
    for plan in plans:
        assigned(plan, late, staff_user)
    ReviewSetup.objects.update_or_create(
        call=call, defaults={"deadline": timezone.now() - timedelta(hours=1)}
    )

    response = client.get(reverse("review_assignments", args=[call.pk]))

    assert "3 reviews of this call are overdue. Those of the plans on this page:" in page(response)
    assert [a.plan for a in response.context["overdue"]] == plans[:2]


def test_assignments_page_queries_do_not_grow_with_plans(
    client, call, staff_user, officer, django_assert_num_queries
):
    url = reverse("review_assignments", args=[call.pk])
    first = submitted_plan(call=call)
    accepted(first, reviewer_with_two_factor(), staff_user)
    client.get(url)
    with CaptureQueriesContext(connection) as one_plan:
        client.get(url)

    for _ in range(3):
        accepted(submitted_plan(call=call), reviewer_with_two_factor(), staff_user)
    with django_assert_num_queries(len(one_plan.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 4


def test_assignment_preview_queries_do_not_grow_with_plans(
    client, call, staff_user, officer, django_assert_num_queries
):
    """The proposal reads the plans in review as rows, the page its plans as objects: as many
    queries for four plans (and their proposed pairs) as for one."""
    ReviewSetup.objects.create(call=call, reviewers_per_plan=2, max_load=10)
    for _ in range(3):
        reviewer_with_two_factor()
    url = reverse("review_assignments", args=[call.pk])
    submitted_plan(call=call)
    client.get(url, {"preview": 1})
    with CaptureQueriesContext(connection) as one_plan:
        client.get(url, {"preview": 1})

    for _ in range(3):
        submitted_plan(call=call)
    with django_assert_num_queries(len(one_plan.captured_queries)):
        response = client.get(url, {"preview": 1})
    assert len(response.context["pairs"]) == 8
    assert {plan.pk for plan, _reviewer, _match in response.context["pairs"]} == {
        plan.pk for plan, _assignments, _conflicts in response.context["rows"]
    }


def test_declined_and_conflicted_reviewers_show_their_reasons_without_more_queries(
    client, call, staff_user, officer
):
    """The plans table reads only what it shows of each assignment (reviewer's name, state,
    reasons): a declined reviewer and a declared conflict cost no query of their own."""
    url = reverse("review_assignments", args=[call.pk])
    plain = submitted_plan(call=call)
    accepted(plain, reviewer_with_two_factor("Dr. Plain Reader"), staff_user)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)

    busy = reviewer_with_two_factor("Dr. Too Busy")
    decline(assigned(submitted_plan(call=call), busy, staff_user), reason="Abroad", by=busy)
    friend = reviewer_with_two_factor("Dr. Old Friend")
    declare(
        assigned(submitted_plan(call=call), friend, staff_user),
        has_conflict=True,
        reason="Co-author of the lead",
        by=friend,
    )
    with CaptureQueriesContext(connection) as after:
        html = page(client.get(url))

    assert len(after) == len(before)
    assert "Dr. Too Busy" in html and "(Abroad)" in html
    assert "Dr. Old Friend" in html and "(Co-author of the lead)" in html
    assert "Dr. Plain Reader" in html


def test_preview_counts_a_reviewers_plans_now_as_the_loads_list_does(
    client, call, staff_user, officer
):
    """ "Plans now" is a reviewer's active assignments in this call: an accepted one counts, a
    declined one and one in another call do not — in the preview (which counts them with the
    proposal) as in the loads list without it."""
    ReviewSetup.objects.create(call=call, reviewers_per_plan=1, max_load=5)
    reader = reviewer_with_two_factor("Dr. Counted Once")
    accepted(submitted_plan(call=call), reader, staff_user)
    declined = assigned(submitted_plan(call=call), reader, staff_user)
    decline(declined, reason="Travelling", by=reader)
    accepted(submitted_plan(call=CallFactory()), reader, staff_user)
    submitted_plan(call=call)  # which the proposal gives them: 1 now, 2 after
    url = reverse("review_assignments", args=[call.pk])

    preview = client.get(url, {"preview": "1"})
    plain = client.get(url)

    projected = {
        reviewer.full_name: now for reviewer, now, _add, _after in preview.context["projected"]
    }
    assert projected["Dr. Counted Once"] == 1
    assert preview.context["proposal"].loads[reader] == 2
    for response in (preview, plain):
        loads = {reviewer.full_name: reviewer.load for reviewer in response.context["loads"]}
        assert loads["Dr. Counted Once"] == 1
