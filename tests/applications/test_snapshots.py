"""What reviewers read: the plan frozen at each submission, and what changed between two."""

import json
from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.domain.editing import editing
from applications.domain.snapshots import diff_versions, freeze_version, plan_as_data
from applications.domain.states import request_revision, submit_plan
from applications.models import BudgetLine, ItineraryItem, PlanVersion
from tests.factories import PlanFactory

from .factories import PDF, attach

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in here: spare the many users PlanFactory makes the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(institution, coordinator):
    return PlanFactory(host=institution, lead=coordinator)


def test_plan_as_data_holds_the_whole_plan(plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = attach(plan, kind="partner_consent", name="consent.pdf")
    [partner] = plan.partners.all()

    data = plan_as_data(plan)

    assert data["reference"] == plan.reference
    assert data["fields"] == {
        # Names in both languages, so that each reader gets their own.
        "call": {
            "en": f"Sakura Science Exchange Program FY2026 round {plan.call.round}",
            "ja": f"さくらサイエンスプログラム 2026年度 第{plan.call.round}回",
        },
        "course": {
            "en": f"{plan.course.code} — {plan.course.name_en}",
            "ja": f"{plan.course.code} — {plan.course.name_ja}",
        },
        "host": {"en": "Sakura University of Science", "ja": "さくら科学大学"},
        "lead": "田中 一郎",
        "title_ja": "再生可能エネルギー材料の体験研修",
        "title_en": "Hands-on training in materials for renewable energy",
        "field_of_science": "materials",
        "objectives": plan.objectives,
        "expected_outcomes": plan.expected_outcomes,
        "arrival_on": "2027-01-10",
        "departure_on": "2027-01-16",
        "contact_name": "田中 一郎",
        "contact_phone": "+81-3-1234-5678",
        "contact_email": "contact@example.org",
    }
    assert data["partners"] == [{"name": partner.name, "country": "TH"}]  # codes, not names
    assert data["invitees"] == [  # the factory's rows do not say who sends them
        {"country": "TH", "category": "escort", "count": 1, "sending_institution": ""},
        {"country": "TH", "category": "graduate", "count": 4, "sending_institution": ""},
    ]
    assert data["itinerary"][0] == {
        "day": "2027-01-10",
        "start": "09:00",
        "end": "12:00",
        "kind": "lecture",
        "title_ja": "講義",
        "title_en": "Welcome lecture",
        "place": "Tokyo",
    }
    assert [item["title_en"] for item in data["itinerary"]] == [
        "Welcome lecture",
        "Lab work",
        "Site visit",
    ]
    assert data["budget"] == [  # in the order the coordinator entered the lines
        {
            "category": "airfare",
            "unit_cost_jpy": 150_000,
            "quantity": 5,
            "amount_jpy": 750_000,
            "note": "",
        },
        {
            "category": "accommodation",
            "unit_cost_jpy": 12_000,
            "quantity": 30,
            "amount_jpy": 360_000,
            "note": "",
        },
    ]
    assert data["budget_total_jpy"] == 1_110_000
    assert data["attachments"] == [
        {
            "kind": "partner_consent",
            "name": "consent.pdf",
            "sha256": attachment.sha256,
            "size": len(PDF),
        }
    ]
    assert json.loads(json.dumps(data)) == data


def test_plan_as_data_of_an_empty_draft_has_no_dates(plan):
    plan.arrival_on = plan.departure_on = None
    plan.save()
    plan.budget.all().delete()
    data = plan_as_data(plan)
    assert (data["fields"]["arrival_on"], data["fields"]["departure_on"]) == ("", "")
    assert (data["budget"], data["budget_total_jpy"]) == ([], 0)


def test_frozen_version_does_not_follow_later_edits(plan, staff_user):
    submit_plan(plan, by=plan.lead)
    request_revision(plan, by=staff_user, reason="Add a site visit.")
    with editing(plan, by=plan.lead, expected_version=plan.version) as locked:
        locked.title_en = "A different title"
        locked.save()

    version = PlanVersion.objects.get(plan=plan, number=1)
    assert version.data["fields"]["title_en"] == (
        "Hands-on training in materials for renewable energy"
    )


def test_diff_reports_changed_title_added_item_removed_line_and_total(plan, staff_user):
    submit_plan(plan, by=plan.lead)
    request_revision(plan, by=staff_user, reason="Drop the accommodation; add a site visit.")
    with editing(plan, by=plan.lead, expected_version=plan.version) as locked:
        locked.title_en = "Perovskite solar cells: a week in the lab"
        locked.save()
        ItineraryItem.objects.create(
            plan=locked,
            day=locked.arrival_on,
            start_time=time(14),
            end_time=time(16),
            kind="site_visit",
            title_en="Solar farm visit",
            place="Chiba",
            position=1,
        )
        locked.budget.filter(category="accommodation").delete()
    submit_plan(plan, by=plan.lead)
    old, new = PlanVersion.objects.filter(plan=plan).order_by("number")

    diff = diff_versions(old, new)

    assert [(str(label), before, after) for label, before, after in diff["fields"]] == [
        (
            "Title (English)",
            "Hands-on training in materials for renewable energy",
            "Perovskite solar cells: a week in the lab",
        )
    ]
    assert diff["lists"] == [
        ("Itinerary", ["2027-01-10 14:00–16:00 [Site visit] Solar farm visit @ Chiba"], []),
        ("Budget", [], ["Accommodation: ¥12,000 × 30 = ¥360,000"]),
    ]
    assert diff["total"] == (1_110_000, 750_000)


def test_diff_of_unchanged_plan_is_empty(plan):
    first = freeze_version(plan, by=plan.lead)
    second = freeze_version(plan, by=plan.lead)
    assert (first.number, second.number) == (1, 2)
    assert diff_versions(first, second) == {"fields": [], "lists": [], "total": None}


def test_diff_reports_a_changed_line_as_removed_and_added(plan):
    first = freeze_version(plan, by=plan.lead)
    plan.budget.filter(category="airfare").update(unit_cost_jpy=140_000)
    second = freeze_version(plan, by=plan.lead)

    diff = diff_versions(first, second)

    assert diff["fields"] == []
    assert diff["lists"] == [
        (
            "Budget",
            ["International airfare: ¥140,000 × 5 = ¥700,000"],
            ["International airfare: ¥150,000 × 5 = ¥750,000"],
        )
    ]
    assert diff["total"] == (1_110_000, 1_060_000)


def test_diff_reports_removal_of_one_of_two_identical_lines(plan):
    """Two people flying on the same fare may well be two identical lines."""
    plan.budget.filter(category="airfare").update(quantity=1)
    second_fare = BudgetLine.objects.create(
        plan=plan, category="airfare", unit_cost_jpy=150_000, quantity=1
    )
    first = freeze_version(plan, by=plan.lead)
    second_fare.delete()
    second = freeze_version(plan, by=plan.lead)

    diff = diff_versions(first, second)

    assert diff["total"] == (660_000, 510_000)
    assert diff["lists"] == [("Budget", [], ["International airfare: ¥150,000 × 1 = ¥150,000"])]


ROW_TABLES = (
    "applications_plannedinvitees",
    "institutions_partnerinstitution",  # the plan's partners
    "applications_budgetline",
    "applications_itineraryitem",
    "applications_attachment",
)


def test_a_submission_reads_each_of_the_plans_rows_once(plan, coordinator, settings, tmp_path):
    """The checks and the frozen version share the rows read under the lock."""
    settings.MEDIA_ROOT = tmp_path
    attach(plan, kind="partner_consent", name="consent.pdf")
    with CaptureQueriesContext(connection) as queries:
        submit_plan(plan, by=coordinator)
    selects = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    reads = {table: sum(f'FROM "{table}"' in sql for sql in selects) for table in ROW_TABLES}
    assert reads == dict.fromkeys(ROW_TABLES, 1)
    data = plan.versions.get().data
    assert len(data["itinerary"]) == plan.itinerary.count() > 0
    assert [a["name"] for a in data["attachments"]] == ["consent.pdf"]
    assert data["budget_total_jpy"] == sum(line.amount_jpy for line in plan.budget.all())
