"""Who may open which page of a plan.

A plan belongs to its host institution: its members may see it, its lead, collaborators and
administrators may edit it, and only the lead or an administrator may submit it. Program
officers see every plan. Anyone else gets 404 on every plan URL, so nothing reveals that the
plan exists; a staff page without an object answers 403.
"""

from datetime import time

import pytest
from django.urls import reverse

from applications.domain.snapshots import freeze_version
from applications.models import ItineraryItem, PlanState
from tests.factories import PlanFactory

from .view_helpers import (
    NOT_EDITABLE_MESSAGE,
    PDF,
    attach,
    basics_data,
    budget_data,
    budget_rows,
    invitees_data,
    item_data,
    snapshot,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in with a password here: spare the many users the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def with_everything(plan):
    """Give `plan` what every plan URL needs: two items on day 1, an attachment, 2 versions."""
    ItineraryItem.objects.create(
        plan=plan,
        day=plan.arrival_on,
        start_time=time(14),
        end_time=time(16),
        kind="lab_work",
        title_en="Afternoon lab work",
    )
    attach(plan)
    freeze_version(plan, by=plan.lead)
    freeze_version(plan, by=plan.lead)
    return plan


@pytest.fixture
def plan(institution):
    """A complete plan of `institution` sent back for revision after two submissions.

    Revision requested is an editable state, so every editor page works for its editors,
    and two submitted versions make the version and changes pages exist.
    """
    return with_everything(PlanFactory(host=institution, state=PlanState.REVISION_REQUESTED))


def _first_item(plan):
    return plan.itinerary.filter(day=plan.arrival_on).first()


def _args(name, plan):
    if name in ("plan_itinerary_item", "plan_itinerary_move"):
        return [plan.pk, _first_item(plan).pk]
    if name in ("plan_attachment_download", "plan_attachment_delete"):
        return [plan.pk, plan.attachments.first().pk]
    if name == "plan_version":
        return [plan.pk, 1]
    return [plan.pk]


def _post_data(name, plan):
    """What an editor of the plan would post: valid, so only the permission can stop it."""
    plan.refresh_from_db()
    version = {"plan_version": plan.version}
    return {
        "plan_edit_basics": lambda: basics_data(plan, title_en="Changed through the basics"),
        "plan_edit_partners": lambda: invitees_data(plan),
        "plan_edit_itinerary": lambda: item_data(plan),
        "plan_itinerary_copy_day": lambda: {
            **version,
            "from_day": plan.arrival_on.isoformat(),
            "to_day": "2027-01-15",
        },
        "plan_itinerary_item": lambda: item_data(plan, day=plan.arrival_on.isoformat()),
        "plan_itinerary_move": lambda: {**version, "direction": "down"},
        "plan_edit_budget": lambda: budget_data(
            plan, [{**row, "quantity": 99} for row in budget_rows(plan)]
        ),
        "plan_edit_attachments": lambda: {**version, "kind": "other", "file": upload()},
        "plan_attachment_delete": lambda: version,
        "plan_submit": dict,
        "plan_transition": lambda: {"to": PlanState.WITHDRAWN, "reason": "Not this year."},
    }[name]()


def send(client, name, method, plan):
    url = reverse(name, args=_args(name, plan))
    if method == "get":
        return client.get(url)
    return client.post(url, _post_data(name, plan))


# Every page of the editor, as (URL name, method).
EDITOR_REQUESTS = [
    ("plan_edit_basics", "get"),
    ("plan_edit_basics", "post"),
    ("plan_edit_partners", "get"),
    ("plan_edit_partners", "post"),
    ("plan_edit_itinerary", "get"),
    ("plan_edit_itinerary", "post"),
    ("plan_itinerary_copy_day", "post"),
    ("plan_itinerary_item", "get"),
    ("plan_itinerary_item", "post"),
    ("plan_itinerary_move", "post"),
    ("plan_edit_budget", "get"),
    ("plan_edit_budget", "post"),
    ("plan_edit_attachments", "get"),
    ("plan_edit_attachments", "post"),
    ("plan_attachment_delete", "post"),
    ("plan_submit", "get"),
    ("plan_submit", "post"),
]
# Every URL of a plan.
PLAN_REQUESTS = [
    ("plan_detail", "get"),
    *EDITOR_REQUESTS,
    ("plan_attachment_download", "get"),
    ("plan_transition", "post"),
    ("plan_version", "get"),
    ("plan_diff", "get"),
]


def _id(request):
    return f"{request[0]}-{request[1]}"


@pytest.mark.parametrize(("name", "method"), PLAN_REQUESTS, ids=map(_id, PLAN_REQUESTS))
def test_plan_url_answers_404_to_coordinator_of_another_institution(
    client, plan, coordinator, other_coordinator, name, method
):
    before = snapshot(plan)
    client.force_login(other_coordinator)
    assert send(client, name, method, plan).status_code == 404
    assert snapshot(plan) == before
    # The same request from the host's administrator finds the page: the 404 is about who asks.
    client.force_login(coordinator)
    assert send(client, name, method, plan).status_code in (200, 302)


@pytest.mark.parametrize(("name", "method"), PLAN_REQUESTS, ids=map(_id, PLAN_REQUESTS))
def test_plan_url_answers_404_to_reviewer_without_membership(client, plan, reviewer, name, method):
    before = snapshot(plan)
    client.force_login(reviewer)
    assert send(client, name, method, plan).status_code == 404
    assert snapshot(plan) == before


def test_staff_plan_list_answers_403_to_reviewer(client, plan, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("staff_call_plans", args=[plan.call_id])).status_code == 403


def test_staff_plan_list_answers_403_to_coordinator(client, plan, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("staff_call_plans", args=[plan.call_id])).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client, plan):
    response = client.get(reverse("plan_detail", args=[plan.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_plain_member_sees_plan_versions_and_attachments(client, plan, colleague):
    client.force_login(colleague)
    page = client.get(reverse("plan_detail", args=[plan.pk]))
    assert page.status_code == 200
    assert plan.reference in page.content.decode()
    assert reverse("plan_edit_basics", args=[plan.pk]) not in page.content.decode()
    assert client.get(reverse("plan_version", args=[plan.pk, 1])).status_code == 200
    assert client.get(reverse("plan_diff", args=[plan.pk])).status_code == 200
    download = client.get(
        reverse("plan_attachment_download", args=[plan.pk, plan.attachments.get().pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(("name", "method"), EDITOR_REQUESTS, ids=map(_id, EDITOR_REQUESTS))
def test_editor_answers_403_to_plain_member(client, plan, colleague, name, method):
    before = snapshot(plan)
    client.force_login(colleague)
    assert send(client, name, method, plan).status_code == 403
    assert snapshot(plan) == before


@pytest.mark.parametrize(("name", "method"), EDITOR_REQUESTS, ids=map(_id, EDITOR_REQUESTS))
def test_editor_answers_403_to_staff(client, plan, staff_user, name, method):
    """Program officers read every plan but never write in a host's draft."""
    before = snapshot(plan)
    client.force_login(staff_user)
    assert send(client, name, method, plan).status_code == 403
    assert snapshot(plan) == before


def test_collaborator_saves_basics(client, institution, colleague):
    plan = PlanFactory(host=institution)
    plan.collaborators.add(colleague)
    client.force_login(colleague)
    url = reverse("plan_edit_basics", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, basics_data(plan, title_en="Perovskite solar cells in practice"))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title_en == "Perovskite solar cells in practice"
    assert list(plan.collaborators.all()) == [colleague]


def test_collaborator_cannot_submit(client, institution, colleague):
    plan = PlanFactory(host=institution)
    plan.collaborators.add(colleague)
    client.force_login(colleague)
    url = reverse("plan_submit", args=[plan.pk])
    page = client.get(url).content.decode()
    assert (
        "Only the lead coordinator or an administrator of your institution can submit this plan."
        in page
    )
    assert "Submit the plan" not in page
    response = client.post(url)
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT
    assert not plan.versions.exists()
    assert not plan.history.exists()


def test_lead_submits(client, institution):
    plan = PlanFactory(host=institution)
    client.force_login(plan.lead)
    assert "Submit the plan" in client.get(reverse("plan_submit", args=[plan.pk])).content.decode()
    response = client.post(reverse("plan_submit", args=[plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED


def test_institution_administrator_submits_plan_led_by_a_member(client, institution, coordinator):
    plan = PlanFactory(host=institution)
    assert plan.lead != coordinator
    client.force_login(coordinator)
    response = client.post(reverse("plan_submit", args=[plan.pk]))
    assert response.status_code == 302
    assert response.url == reverse("plan_detail", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    assert plan.history.get().by == coordinator


def test_staff_see_plan_and_staff_list(client, plan, staff_user):
    client.force_login(staff_user)
    detail = client.get(reverse("plan_detail", args=[plan.pk]))
    assert detail.status_code == 200
    assert plan.title_en in detail.content.decode()
    listing = client.get(reverse("staff_call_plans", args=[plan.call_id]))
    assert listing.status_code == 200
    assert plan.reference in listing.content.decode()


@pytest.mark.parametrize(("name", "method"), EDITOR_REQUESTS, ids=map(_id, EDITOR_REQUESTS))
def test_editor_of_submitted_plan_redirects_to_plan_page(client, institution, name, method):
    plan = with_everything(PlanFactory(host=institution, state=PlanState.SUBMITTED))
    before = snapshot(plan)
    client.force_login(plan.lead)
    response = send(client, name, method, plan)
    assert response.status_code == 302
    assert response.url == reverse("plan_detail", args=[plan.pk])
    assert snapshot(plan) == before
    assert NOT_EDITABLE_MESSAGE in client.get(response.url).content.decode()
