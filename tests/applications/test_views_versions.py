"""The submitted versions of a plan and what changed between them, as people read them.

A version is frozen at submission with codes ("escort", "ID", "airfare") and with the call,
course and host named in every language of the site. The pages show each reader the labels
and names in their own language: never a code, never the submitter's language. Versions
frozen before the names were stored in both languages still show what they hold.
"""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from applications.domain.snapshots import freeze_version, plan_as_data
from applications.models import ItineraryItem, PlannedInvitees, PlanVersion
from tests.conftest import with_two_factor
from tests.factories import PlanFactory, UserFactory

from .factories import attach

pytestmark = pytest.mark.django_db

# Codes as stored in a version, each of which a reader must never meet on a page.
RAW_CODES = ["escort (ID)", "graduate (TH)", "[lab_work]", "<li>airfare:", "partner_consent:"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in with a password here: spare the many users the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def plan(institution, coordinator):
    """PlanFactory's plan (graduates from Thailand, airfare and accommodation) with an
    escort from Indonesia, a lab session and the partner's letter of consent."""
    plan = PlanFactory(host=institution, lead=coordinator)
    plan.invitees.filter(category="escort").delete()
    PlannedInvitees.objects.create(plan=plan, country="ID", category="escort", count=1)
    plan.itinerary.filter(title_en="Lab work").update(kind="lab_work")
    attach(plan, kind="partner_consent", name="partner-consent.pdf")
    return plan


@pytest.fixture
def japanese_staff(db):
    return with_two_factor(
        UserFactory(is_staff=True, full_name="山田 花子", preferred_language="ja")
    )


def submitted_in(language, plan):
    """The next version of `plan`, frozen while `language` is active (the submitter's)."""
    with translation.override(language):
        return freeze_version(plan, by=plan.lead)


def version_page(client, plan, number=1):
    response = client.get(reverse("plan_version", args=[plan.pk, number]))
    assert response.status_code == 200
    return response.content.decode()


def test_version_page_shows_labels_not_codes(client, plan, coordinator):
    submitted_in("en", plan)
    client.force_login(coordinator)

    text = version_page(client, plan)

    assert "1 × Escort (supervisor) (Indonesia)" in text
    assert "4 × Graduate student (Thailand)" in text
    assert "[Lab work] Lab work" in text
    assert "[Lecture] Welcome lecture" in text
    assert "International airfare: ¥150,000 × 5 = ¥750,000" in text
    assert "Accommodation: ¥12,000 × 30 = ¥360,000" in text
    assert "Letter of consent from the partner institution: partner-consent.pdf" in text
    assert "(Thailand)</li>" in text  # the partner institution's country
    assert "<dd>Materials science</dd>" in text
    for code in RAW_CODES:
        assert code not in text


def test_version_submitted_in_japanese_reads_in_english(client, plan, coordinator):
    """The coordinator submitted with the site in Japanese; an English reader gets English."""
    submitted_in("ja", plan)
    client.force_login(coordinator)

    text = version_page(client, plan)

    call, course = plan.call, plan.course
    assert f"<dd>Sakura Science Exchange Program FY2026 round {call.round}</dd>" in text
    assert f"<dd>{course.code} — Science and Technology Experience</dd>" in text
    assert "<dd>Sakura University of Science</dd>" in text
    assert "さくらサイエンスプログラム" not in text
    assert "科学技術体験コース" not in text


def test_version_page_in_japanese_for_a_japanese_reader(client, plan, japanese_staff):
    """A version submitted in English, read by a staff member who works in Japanese."""
    submitted_in("en", plan)
    client.force_login(japanese_staff)

    text = version_page(client, plan)

    call, course = plan.call, plan.course
    assert f"<dd>さくらサイエンスプログラム 2026年度 第{call.round}回</dd>" in text
    assert f"<dd>{course.code} — 科学技術体験コース</dd>" in text
    assert "<dd>さくら科学大学</dd>" in text
    assert "1 × 引率者 (インドネシア)" in text
    assert "[実験・実習]" in text
    assert "国際航空運賃: ¥150,000 × 5 = ¥750,000" in text
    assert "宿泊費: ¥12,000 × 30 = ¥360,000" in text
    assert "送り出し機関の同意書: partner-consent.pdf" in text
    assert "(タイ)</li>" in text
    assert "Sakura Science Exchange Program" not in text
    assert "Escort (supervisor)" not in text
    assert "International airfare" not in text
    for code in RAW_CODES:
        assert code not in text


def test_changes_page_shows_labels_in_the_readers_language(client, plan, japanese_staff):
    submitted_in("en", plan)
    PlannedInvitees.objects.create(plan=plan, country="ID", category="researcher", count=1)
    ItineraryItem.objects.create(
        plan=plan,
        day=plan.arrival_on,
        start_time=time(14),
        end_time=time(16),
        kind="site_visit",
        title_en="Solar farm visit",
        place="Chiba",
        position=1,
    )
    plan.budget.filter(category="accommodation").delete()
    submitted_in("en", plan)
    client.force_login(japanese_staff)

    response = client.get(reverse("plan_diff", args=[plan.pk]))

    assert response.status_code == 200
    text = response.content.decode()
    assert "+ 1 × 研究者・大学教員 (インドネシア)" in text
    assert "+ 2027-01-10 14:00–16:00 [施設見学] Solar farm visit @ Chiba" in text
    assert "− 宿泊費: ¥12,000 × 30 = ¥360,000" in text
    assert "researcher (ID)" not in text
    assert "[site_visit]" not in text
    assert "accommodation:" not in text


def old_format(data):
    """`data` as versions stored it before names were kept in both languages: the names as
    the submitter read them (here in English) and partners as "Name (TH)"."""
    fields = data["fields"]
    # Nor did they keep the receipt numbers or the screening.
    data = {k: v for k, v in data.items() if k not in ("registration_receipts", "screening")}
    return {
        **data,
        "fields": {**fields, **{key: fields[key]["en"] for key in ("call", "course", "host")}},
        "partners": [f"{p['name']} ({p['country']})" for p in data["partners"]],
    }


def test_version_stored_in_the_old_format_still_shows(client, plan, japanese_staff):
    with translation.override("en"):
        data = old_format(plan_as_data(plan))
    PlanVersion.objects.create(plan=plan, number=1, data=data, created_by=plan.lead)
    [partner] = plan.partners.all()
    client.force_login(japanese_staff)

    text = version_page(client, plan)

    # The names are shown as they were stored; the codes are still labelled.
    assert f"<dd>Sakura Science Exchange Program FY2026 round {plan.call.round}</dd>" in text
    assert "<dd>Sakura University of Science</dd>" in text
    assert f"<li>{partner.name} (タイ)</li>" in text
    assert "1 × 引率者 (インドネシア)" in text


def test_old_and_new_versions_of_an_unchanged_plan_show_no_change(client, plan, coordinator):
    with translation.override("en"):
        data = old_format(plan_as_data(plan))
    PlanVersion.objects.create(plan=plan, number=1, data=data, created_by=plan.lead)
    submitted_in("ja", plan)
    client.force_login(coordinator)

    response = client.get(reverse("plan_diff", args=[plan.pk]))

    assert response.status_code == 200
    assert "Nothing changed." in response.content.decode()


def test_plan_page_lists_versions_without_reading_their_data(client, plan, coordinator):
    """Each version freezes the whole plan; the plan page lists them by number, date and
    author only."""
    for _ in range(2):
        freeze_version(plan, by=coordinator)
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Version 1" in page and "Version 2" in page
    assert reverse("plan_version", args=[plan.pk, 2]) in page
    [listing] = [q["sql"] for q in queries if 'FROM "applications_planversion"' in q["sql"]]
    assert '"applications_planversion"."number"' in listing
    assert '"applications_planversion"."data"' not in listing
    assert '"applications_invitationplan"' not in listing  # ordered by number alone
