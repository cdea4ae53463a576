"""Staff's pages of the direct invitations: the plans, a new plan, approval, invitations and
the nominations by body, each list with a fixed number of queries."""

import pytest
from django.urls import reverse

from applications.models import InvitationPlan, PlanState
from nominations.models import NominatingBody, Nomination, NominatorInvitation
from participants.models import Participant

from ..factories import PlanFactory
from .conftest import make_nomination

pytestmark = pytest.mark.django_db


def test_plan_list_counts_nominations_without_a_query_per_plan(
    client, staff_user, direct_plan, body, nominator, django_assert_max_num_queries
):
    make_nomination(direct_plan, body)
    client.force_login(staff_user)
    url = reverse("direct_plan_list")
    with django_assert_max_num_queries(12) as one:
        page = client.get(url).content.decode()
    assert direct_plan.reference in page
    for _extra in range(2):
        PlanFactory(call=direct_plan.call, host=direct_plan.host, lead=staff_user)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def test_nominations_page_lists_by_body_in_fixed_queries(
    client, staff_user, direct_plan, body, other_body, nominator, django_assert_max_num_queries
):
    make_nomination(direct_plan, body)
    client.force_login(staff_user)
    url = reverse("direct_plan_nominations", args=[direct_plan.pk])
    with django_assert_max_num_queries(14) as one:
        page = client.get(url).content.decode()
    assert "SUKSAWAT Niran" in page
    for name in ("ALPHA", "BRAVO"):
        make_nomination(direct_plan, other_body, family_name=name)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert "BRAVO Niran" in page


def test_staff_create_a_plan_then_edit_it_in_the_plan_editor(
    client, staff_user, agency, direct_call
):
    course = direct_call.courses.get()
    client.force_login(staff_user)
    form = client.get(reverse("direct_plan_create")).content.decode()
    assert "JST Direct Invitation Program" in form
    response = client.post(
        reverse("direct_plan_create"),
        {
            "call_course": f"{direct_call.pk}-{course.pk}",
            "title_ja": "AI分野の若手リーダー",
            "title_en": "Young leaders in AI",
            "field_of_science": "informatics",
            "arrival_on": "2027-01-12",
            "departure_on": "2027-01-18",
        },
    )
    plan = InvitationPlan.objects.get(title_en="Young leaders in AI")
    assert response["Location"] == reverse("plan_edit_partners", args=[plan.pk])
    assert plan.host == agency
    assert client.get(response["Location"]).status_code == 200


def test_new_plan_form_errors_at_fields_input_kept(client, staff_user, direct_call, agency):
    client.force_login(staff_user)
    response = client.post(
        reverse("direct_plan_create"),
        {"call_course": "", "title_en": "Kept", "arrival_on": "9999-01-01"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"call_course", "title_ja", "arrival_on", "departure_on"} <= set(errors)
    assert 'value="Kept"' in response.content.decode()


def test_staff_approve_on_the_plans_page(client, staff_user, direct_draft):
    client.force_login(staff_user)
    page = client.get(reverse("direct_plan_detail", args=[direct_draft.pk])).content.decode()
    assert "Approve the plan" in page
    client.post(reverse("direct_plan_approve", args=[direct_draft.pk]))
    assert InvitationPlan.objects.get(pk=direct_draft.pk).state == PlanState.APPROVED


def test_a_normal_plan_has_no_direct_invitation_page(client, staff_user):
    client.force_login(staff_user)
    plan = PlanFactory()
    assert client.get(reverse("direct_plan_detail", args=[plan.pk])).status_code == 404
    assert client.post(reverse("direct_plan_approve", args=[plan.pk])).status_code == 404
    assert InvitationPlan.objects.get(pk=plan.pk).state == PlanState.DRAFT


def test_coordinator_reaches_no_direct_invitation_page(client, coordinator, direct_plan):
    client.force_login(coordinator)
    assert client.get(reverse("direct_plan_list")).status_code == 403
    assert client.get(reverse("direct_plan_detail", args=[direct_plan.pk])).status_code == 403
    assert client.post(reverse("direct_plan_approve", args=[direct_plan.pk])).status_code == 403


def test_staff_add_a_body_and_invite_its_contact(client, staff_user, direct_plan):
    client.force_login(staff_user)
    url = reverse("direct_plan_detail", args=[direct_plan.pk])
    client.post(
        url,
        {
            "body-name_en": "Ministry of Science and Technology",
            "body-country": "VN",
            "body-kind": "ministry",
        },
    )
    body = NominatingBody.objects.get()
    response = client.post(
        url,
        {"invite-body": body.pk, "invite-email": "contact@most.gov.vn", "invite-language": "en"},
    )
    assert response.status_code == 302
    assert NominatorInvitation.objects.get().email == "contact@most.gov.vn"
    bad = client.post(url, {"invite-body": body.pk, "invite-email": "not an address"})
    assert bad.status_code == 400
    assert "invite-email" in bad.content.decode()


def test_select_and_close_on_the_nominations_page(client, staff_user, direct_plan, body, nominator):
    chosen = make_nomination(direct_plan, body)
    other = make_nomination(direct_plan, body, family_name="KAEWTA", email="k@example.org")
    client.force_login(staff_user)
    url = reverse("direct_plan_nominations", args=[direct_plan.pk])
    client.post(url, {"action": "select", "nominations": [chosen.pk]})
    client.post(url, {"action": "close"})
    assert Participant.objects.get(plan=direct_plan).family_name == "SUKSAWAT"
    other.refresh_from_db()
    assert other.status == Nomination.Status.NOT_SELECTED


def test_agency_plans_page_leads_to_approval_not_submission(client, staff_user, direct_draft):
    client.force_login(staff_user)
    page = client.get(reverse("plan_detail", args=[direct_draft.pk])).content.decode()
    assert "Review and submit" not in page
    assert reverse("direct_plan_detail", args=[direct_draft.pk]) in page
