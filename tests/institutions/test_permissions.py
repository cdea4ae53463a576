"""Each institution's pages are for its own members (and agency staff); others get 404."""

import pytest
from django.urls import reverse

from tests.factories import PartnerInstitutionFactory

pytestmark = pytest.mark.django_db


def pages_of(institution):
    partner = PartnerInstitutionFactory(host=institution)
    return {
        "detail": reverse("institution_detail", args=[institution.pk]),
        "members": reverse("institution_members", args=[institution.pk]),
        "partner_create": reverse("partner_create", args=[institution.pk]),
        "partner_update": reverse("partner_update", args=[institution.pk, partner.pk]),
    }


def test_coordinator_of_another_institution_gets_404_everywhere(
    client, institution, other_coordinator
):
    client.force_login(other_coordinator)
    for name, url in pages_of(institution).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"email": "x@example.org", "role": "member"}).status_code == 404


def test_plain_member_sees_institution_but_not_its_member_administration(
    client, institution, colleague
):
    client.force_login(colleague)
    pages = pages_of(institution)
    assert client.get(pages["detail"]).status_code == 200
    assert client.get(pages["partner_create"]).status_code == 200
    assert client.get(pages["members"]).status_code == 404


def test_administrator_and_staff_manage_members(client, institution, coordinator, staff_user):
    for user in (coordinator, staff_user):
        client.force_login(user)
        assert client.get(pages_of(institution)["members"]).status_code == 200


def test_anonymous_visitor_is_sent_to_sign_in(client, institution):
    response = client.get(reverse("institution_detail", args=[institution.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_partner_of_another_institution_cannot_be_edited_through_own_url(
    client, institution, coordinator, other_coordinator
):
    foreign = PartnerInstitutionFactory(host=other_coordinator.institutions.get())
    client.force_login(coordinator)
    url = reverse("partner_update", args=[institution.pk, foreign.pk])
    assert client.get(url).status_code == 404


def test_member_adds_partner_and_bad_input_keeps_what_was_typed(client, institution, colleague):
    client.force_login(colleague)
    url = reverse("partner_create", args=[institution.pk])
    response = client.post(url, {"name": "จุฬาลงกรณ์", "country": "", "kind": "university"})
    assert response.status_code == 200
    assert response.context["form"].errors["country"]
    assert "จุฬาลงกรณ์" in response.content.decode()

    response = client.post(
        url,
        {
            "name": "Chulalongkorn University",
            "name_local": "จุฬาลงกรณ์มหาวิทยาลัย",
            "country": "TH",
            "city": "Bangkok",
            "kind": "university",
        },
    )
    assert response.status_code == 302
    partner = institution.partners.get()
    assert partner.name_local == "จุฬาลงกรณ์มหาวิทยาลัย"

    response = client.post(
        url, {"name": "chulalongkorn university", "country": "TH", "kind": "university"}
    )
    assert "already has this partner" in response.content.decode()
