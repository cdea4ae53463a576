"""Review and submit after the call closed: the page says so, with the moment in Japan time,
and offers no submit button; a POST is still refused. The deadline binds the first
submission only: a plan the agency returned for revision may be sent after the close
(applications.domain.checks.check_plan)."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from applications.domain.states import request_revision, start_review, submit_plan
from applications.models import PlanState
from programs.models import Call
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

# 2026-02-22 08:00 UTC is 17:00 in Tokyo (UTC+9, no summer time).
CLOSED_AT = datetime(2026, 2, 22, 8, 0, tzinfo=UTC)


@pytest.fixture
def plan(institution):
    return PlanFactory(host=institution)


def close_call(plan):
    plan.call.closes_at = CLOSED_AT
    plan.call.opens_at = datetime(2026, 1, 5, tzinfo=UTC)
    plan.call.save()


def test_submit_page_for_a_closed_call_says_so_without_a_button(client, plan):
    close_call(plan)
    client.force_login(plan.lead)
    page = client.get(reverse("plan_submit", args=[plan.pk])).content.decode()
    assert "The call is closed" in page
    assert "The call closed at 2026-02-22 17:00 JST (Japan time, JST)." in page
    assert "Only a plan the agency returned for revision may still be sent" in page
    assert "Submit the plan" not in page
    assert 'type="submit"' not in page.split('class="editor-main"')[1]


def test_submit_page_for_a_closed_call_in_japanese(client, plan):
    close_call(plan)
    plan.lead.preferred_language = "ja"
    plan.lead.save()
    client.force_login(plan.lead)
    page = client.get(reverse("plan_submit", args=[plan.pk])).content.decode()
    assert "公募は締め切られました" in page
    assert "2026-02-22 17:00 JST" in page
    assert "提出する" not in page.split('class="editor-main"')[1]
    assert 'type="submit"' not in page.split('class="editor-main"')[1]


def test_submit_refused_by_post_after_the_call_closed(client, plan):
    close_call(plan)
    client.force_login(plan.lead)
    response = client.post(reverse("plan_submit", args=[plan.pk]))
    assert response.status_code == 400
    assert "The call closed at 2026-02-22 17:00 Japan time." in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT
    assert not plan.versions.exists()


def test_call_not_yet_open_offers_no_button(client, plan):
    plan.call.opens_at = datetime(2099, 1, 5, tzinfo=UTC)
    plan.call.closes_at = datetime(2099, 2, 5, tzinfo=UTC)
    plan.call.save()
    client.force_login(plan.lead)
    page = client.get(reverse("plan_submit", args=[plan.pk])).content.decode()
    assert "The call is not open for submissions" in page
    assert "Submit the plan" not in page


def test_revision_may_be_sent_after_the_call_closed(client, plan, staff_user):
    submit_plan(plan, by=plan.lead)
    start_review(plan, by=staff_user)
    request_revision(plan, by=staff_user, reason="Add a company visit.")
    close_call(plan)

    client.force_login(plan.lead)
    page = client.get(reverse("plan_submit", args=[plan.pk])).content.decode()
    assert "The call closed at 2026-02-22 17:00 JST (Japan time, JST), but the agency asked" in (
        page
    )
    assert "The call is closed" not in page
    assert "Submit the plan" in page

    response = client.post(reverse("plan_submit", args=[plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    assert list(plan.versions.values_list("number", flat=True)) == [1, 2]


def test_open_call_still_offers_the_button(client, plan):
    client.force_login(plan.lead)
    page = client.get(reverse("plan_submit", args=[plan.pk])).content.decode()
    assert "Submit the plan" in page
    assert "The call is closed" not in page


def test_call_taken_off_before_its_deadline_offers_no_button(client, plan):
    plan.call.status = Call.Status.DRAFT
    plan.call.save()
    client.force_login(plan.lead)
    page = client.get(reverse("plan_submit", args=[plan.pk])).content.decode()
    assert "The call is not open for submissions" in page
    assert "Submissions open at" not in page
    assert "Submit the plan" not in page
