"""Partner institutions (and so participants' home institutions) are matched against the End
User List in force: accents, case, punctuation and spacing do not count; near names are scored
with rapidfuzz and stored with the listed entry when they reach SCREENING_MATCH_THRESHOLD."""

import time
from datetime import date

import pytest
from django.urls import reverse

from institutions.domain.partners import save_partner
from institutions.models import PartnerInstitution
from screening.domain.lists import upload_list
from screening.domain.matching import normalised, similarity
from screening.domain.precheck import resolve_match
from screening.models import ScreeningMatch
from tests.conftest import with_two_factor
from tests.factories import InstitutionFactory, PartnerInstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db


def add_partner(name, **extra):
    host = extra.pop("host", None) or InstitutionFactory()
    return save_partner(
        PartnerInstitution(host=host, name=name, country="ID", kind="university", **extra)
    )


def test_normalised_ignores_accents_case_punctuation_and_spacing():
    assert normalised("  Borealis  NUCLEAR-Materials, Académie ") == (
        "borealis nuclear materials academie"
    )


def test_partner_named_like_listed_entity_with_other_accents_and_spacing_is_matched(
    end_user_list,
):
    # Listed: "Borealis Nuclear Materials Académie"
    partner = add_partner("borealis nuclear  materials ACADEMIE")

    match = ScreeningMatch.objects.get(partner=partner)

    assert match.entity.name == "Borealis Nuclear Materials Académie"
    assert match.score == 100
    assert match.entity.source_list == end_user_list


def test_partner_with_names_run_together_is_matched(end_user_list):
    # Listed: "Tsing Moravia Polytechnic Bureau"
    partner = add_partner("TsingMoravia Polytechnic Bureau")

    assert ScreeningMatch.objects.get(partner=partner).entity.name == (
        "Tsing Moravia Polytechnic Bureau"
    )


def test_partner_named_like_an_alias_is_matched_with_that_alias(end_user_list):
    partner = add_partner("Kestrel Research Centre")

    match = ScreeningMatch.objects.get(partner=partner)
    assert match.entity.name == "Kestrel Dynamics Research Center"
    assert match.matched_name == "Kestrel Research Centre"


def test_near_miss_spelling_is_matched_below_a_full_score(end_user_list):
    partner = add_partner("Zefyria Institute of Advanced Propulsión")

    match = ScreeningMatch.objects.get(partner=partner)
    assert match.entity.name == "Zephyria Institute of Advanced Propulsion"
    assert 88 <= match.score < 100


def test_clearly_different_name_is_not_matched(end_user_list):
    partner = add_partner("Chulalongkorn University")

    assert not ScreeningMatch.objects.filter(partner=partner).exists()


def test_name_in_the_local_language_is_matched_too(end_user_list):
    partner = add_partner("Institut Teknologi Contoh", name_local="T.M.P.B.")

    assert ScreeningMatch.objects.get(partner=partner).entity.name == (
        "Tsing Moravia Polytechnic Bureau"
    )


def test_threshold_is_a_setting(end_user_list, settings):
    settings.SCREENING_MATCH_THRESHOLD = 100
    partner = add_partner("Zefyria Institute of Advanced Propulsión")

    assert not ScreeningMatch.objects.filter(partner=partner).exists()


def test_renamed_partner_is_screened_again(end_user_list):
    partner = add_partner("Chulalongkorn University")
    partner.name = "Zephyria Propulsion Institute"  # an alias on the list
    save_partner(partner)

    assert ScreeningMatch.objects.filter(partner=partner).count() == 1
    partner.name = "Chulalongkorn University"
    save_partner(partner)
    assert not ScreeningMatch.objects.filter(partner=partner).exists()


def test_partner_renamed_in_the_admin_is_screened_again(client, end_user_list):
    partner = add_partner("Chulalongkorn University")
    client.force_login(with_two_factor(UserFactory(is_superuser=True, is_staff=True)))

    response = client.post(
        reverse("admin:institutions_partnerinstitution_change", args=[partner.pk]),
        {
            "host": partner.host_id,
            "name": "Zephyria Propulsion Institute",  # an alias on the list
            "name_local": "",
            "country": "ID",
            "city": "",
            "kind": "university",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert ScreeningMatch.objects.get(partner=partner).entity.name == (
        "Zephyria Institute of Advanced Propulsion"
    )


def test_partner_edit_page_screens_the_new_name(client, coordinator, institution, end_user_list):
    client.force_login(coordinator)
    response = client.post(
        f"/institutions/{institution.pk}/partners/new/",
        {"name": "BNMA", "name_local": "", "country": "ID", "city": "", "kind": "university"},
    )

    assert response.status_code == 302
    partner = PartnerInstitution.objects.get(host=institution, name="BNMA")
    assert ScreeningMatch.objects.get(partner=partner).entity.name == (
        "Borealis Nuclear Materials Académie"
    )


def test_uploading_a_list_screens_every_existing_partner_in_one_pass(
    django_assert_max_num_queries,
):
    partners = [
        PartnerInstitutionFactory(name=name)
        for name in ["Kestrel Dynamics Research Centre", "Chulalongkorn University", "ZIAP"]
    ]
    content = (
        b"name,aliases,country,concerns\n"
        b"Kestrel Dynamics Research Center,,Zephyria (fictional),Chemical\n"
        b"Zephyria Institute of Advanced Propulsion,ZIAP,Zephyria (fictional),Missile\n"
    )

    with django_assert_max_num_queries(12):
        upload_list("list.csv", content, version="2", published_on=date(2026, 4, 1), by=None)

    matched = dict(ScreeningMatch.objects.values_list("partner__name", "entity__name"))
    assert matched == {
        partners[0].name: "Kestrel Dynamics Research Center",
        partners[2].name: "Zephyria Institute of Advanced Propulsion",
    }


def test_a_new_list_keeps_a_resolution_of_the_same_entity(end_user_list):
    partner = add_partner("BNMA")
    staff = UserFactory(is_staff=True)
    resolve_match(ScreeningMatch.objects.get(partner=partner), by=staff, reason="Other BNMA.")
    content = (
        "name,aliases,country,concerns\n"
        "Borealis Nuclear Materials Académie,BNMA,Borealis (fictional),Nuclear\n"
    ).encode()

    upload_list("new.csv", content, version="2", published_on=date(2026, 6, 1), by=staff)

    match = ScreeningMatch.objects.get(partner=partner)
    assert match.entity.source_list.version == "2"
    assert (match.resolved_by, match.resolution) == (staff, "Other BNMA.")


def test_similarity_ignores_word_order():
    assert similarity("research center kestrel", "kestrel research center") == 100


def many_partners(count, *, host):
    """`count` partners of one host; every tenth is named like an entry on the list."""
    return PartnerInstitution.objects.bulk_create(
        PartnerInstitution(
            host=host,
            name=f"Kestrel Dynamics Research Centre {n}" if n % 10 == 0 else f"University {n}",
            country="ID",
            kind="university",
        )
        for n in range(count)
    )


def listed(count):
    """An End User List file of `count` invented entries (the first is Kestrel Dynamics)."""
    rows = [
        b"name,aliases,country,concerns",
        b"Kestrel Dynamics Research Center,,Zephyria,Chemical",
    ]
    rows += [f"Listed Entity Number {n},LEN{n},Zephyria,Missile".encode() for n in range(count - 1)]
    return b"\n".join(rows) + b"\n"


@pytest.mark.parametrize("count", [5, 50])
def test_uploading_a_list_costs_the_same_queries_for_5_or_50_partners(
    count, django_assert_num_queries
):
    many_partners(count, host=InstitutionFactory())

    with django_assert_num_queries(12):
        upload_list("list.csv", listed(3), version="2", published_on=date(2026, 4, 1), by=None)

    assert ScreeningMatch.objects.count() == count // 10 + (count % 10 > 0)


def test_uploading_a_300_entry_list_against_2000_partners_is_quick():
    many_partners(2_000, host=InstitutionFactory())

    started = time.perf_counter()
    upload_list("list.csv", listed(300), version="2", published_on=date(2026, 4, 1), by=None)
    seconds = time.perf_counter() - started

    print(f"\nUpload of a 300-entry list against 2,000 partners: {seconds:.2f} s")
    assert ScreeningMatch.objects.count() == 200
    assert seconds < 5
