"""Alumni: a person invited in several years is one person, and staff merge near-duplicates."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from participants.domain.alumni import (
    identity_key,
    link_alumni,
    merge_alumni,
    possible_duplicates,
)
from participants.models import Alumnus, Participant, PersonalDataAccess
from tests.factories import CallFactory

from .builders import approved_plan, registered

pytestmark = pytest.mark.django_db


def plan_of_year(fiscal_year):
    return approved_plan(call=CallFactory(fiscal_year=fiscal_year))


@pytest.fixture
def two_years():
    """Somchai Saetang, invited in FY2025 and again in FY2026 by different plans."""
    return [registered(plan_of_year(2025)), registered(plan_of_year(2026))]


def alumnus_named(family_name, given_name, born=date(2001, 2, 3), nationality="VN"):
    return Alumnus.objects.create(
        family_name=family_name,
        given_name=given_name,
        date_of_birth=born,
        nationality=nationality,
    )


# Linking participants to alumni


def test_person_invited_in_two_years_is_one_alumnus(two_years):
    assert link_alumni() == 2
    alumnus = Alumnus.objects.get()
    assert set(alumnus.participations.all()) == set(two_years)
    assert {p.plan.call.fiscal_year for p in alumnus.participations.all()} == {2025, 2026}


def test_case_and_spacing_differences_still_match():
    first = registered(plan_of_year(2025), family_name="SAETANG", given_name="Somchai")
    second = registered(plan_of_year(2026), family_name="  saetang ", given_name="SOMCHAI")
    assert identity_key(first) == identity_key(second)
    link_alumni()
    assert Alumnus.objects.count() == 1


def test_different_birth_date_is_another_person():
    registered(plan_of_year(2025))
    registered(plan_of_year(2026), date_of_birth=date(2003, 4, 16))
    link_alumni()
    assert Alumnus.objects.count() == 2


def test_linking_again_keeps_existing_alumni(two_years):
    link_alumni(Participant.objects.filter(pk=two_years[0].pk))
    link_alumni()
    assert Alumnus.objects.count() == 1
    assert Participant.objects.filter(alumnus__isnull=True).count() == 0


@pytest.mark.parametrize("people", [2, 10])
def test_linking_runs_a_fixed_number_of_queries(people, django_assert_num_queries):
    plan = plan_of_year(2026)
    for n in range(people):
        registered(plan, family_name=f"PERSON{n}", email=f"p{n}@example.ac.th")
    # savepoint, participants, known alumni, insert alumni, update participants, release
    with django_assert_num_queries(6):
        assert link_alumni() == people
    assert Alumnus.objects.count() == people


# Possible duplicates and merging


def test_names_differing_only_in_diacritics_are_possible_duplicates():
    plain = alumnus_named("Nguyen", "Van An")
    accented = alumnus_named("Nguyễn", "Văn An")
    alumnus_named("Nguyen", "Van An", born=date(2001, 2, 4))
    alumnus_named("Tran", "Van An")
    assert possible_duplicates() == [(plain, accented)]


def test_given_names_one_beginning_the_other_are_possible_duplicates():
    short = alumnus_named("SAETANG", "Somchai", nationality="TH")
    longer = alumnus_named("SAETANG", "Somchai Lee", nationality="TH")
    assert possible_duplicates() == [(short, longer)]


def test_merge_moves_participations_deletes_other_and_is_audited(two_years, staff_user):
    keep = alumnus_named("SAETANG", "Somchai", nationality="TH")
    other = alumnus_named("SAETANG", "Somchai Lee", nationality="TH")
    Participant.objects.filter(pk=two_years[0].pk).update(alumnus=keep)
    Participant.objects.filter(pk=two_years[1].pk).update(alumnus=other)
    assert merge_alumni(keep, other, by=staff_user) == 1
    assert set(keep.participations.all()) == set(two_years)
    assert not Alumnus.objects.filter(pk=other.pk).exists()
    audit = PersonalDataAccess.objects.get(action="merge_alumni")
    assert audit.actor == staff_user
    assert audit.count == 1
    assert audit.what == "SAETANG Somchai Lee into SAETANG Somchai"


def test_merge_refused_to_all_but_staff(coordinator):
    keep, other = alumnus_named("Nguyen", "Van An"), alumnus_named("Nguyễn", "Văn An")
    with pytest.raises(PermissionDenied):
        merge_alumni(keep, other, by=coordinator)
    assert Alumnus.objects.count() == 2
    assert not PersonalDataAccess.objects.exists()


# Pages


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def alumni_urls():
    alumnus = alumnus_named("Nguyen", "Van An")
    return [
        reverse("alumni_list"),
        reverse("alumnus_detail", args=[alumnus.pk]),
        reverse("alumni_duplicates"),
    ]


@pytest.mark.parametrize("who", ["coordinator", "reviewer", "other_coordinator"])
def test_alumni_pages_refused_to_all_but_staff(client, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in alumni_urls():
        assert client.get(url).status_code == 403
        assert client.post(url, {"keep": "1", "other": "2"}).status_code == 403


def test_detail_page_lists_both_years(staff_client, two_years):
    link_alumni()
    alumnus = Alumnus.objects.get()
    response = staff_client.get(reverse("alumnus_detail", args=[alumnus.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert ">2025<" in page and ">2026<" in page
    for participant in two_years:
        assert participant.plan.reference in page
        assert reverse("plan_detail", args=[participant.plan.pk]) in page


def test_link_button_links_new_participants(staff_client, two_years):
    response = staff_client.post(reverse("alumni_list"))
    assert response.status_code == 302
    assert Alumnus.objects.get().participations.count() == 2
    page = staff_client.get(reverse("alumni_list"), {"q": "saet"}).content.decode()
    assert "SAETANG Somchai" in page
    assert "2025, 2026" in page


def test_alumni_list_queries_do_not_grow(staff_client, django_assert_num_queries):
    def count_queries():
        with django_assert_num_queries(6) as captured:
            assert staff_client.get(reverse("alumni_list")).status_code == 200
        return len(captured)

    plan = plan_of_year(2026)
    registered(plan, family_name="PERSON0", email="p0@example.ac.th")
    link_alumni()
    one = count_queries()
    for n in range(1, 3):
        registered(plan, family_name=f"PERSON{n}", email=f"p{n}@example.ac.th")
    link_alumni()
    assert count_queries() == one


def test_merge_button_merges_the_pair(staff_client):
    keep, other = alumnus_named("Nguyen", "Van An"), alumnus_named("Nguyễn", "Văn An")
    page = staff_client.get(reverse("alumni_duplicates")).content.decode()
    assert "Nguyễn" in page.replace("NGUYỄN", "Nguyễn")
    response = staff_client.post(reverse("alumni_duplicates"), {"keep": keep.pk, "other": other.pk})
    assert response.status_code == 302
    assert list(Alumnus.objects.all()) == [keep]
