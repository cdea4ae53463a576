"""The editor's pages read what they show once: the course's rules and the plan's invitees,
partners and budget lines once for the checks, the page's own figures and the formset of the
section that edits some of them, and the partners page the options of every invitee row's
sending institution at once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import BudgetLine, PlannedInvitees
from tests.factories import PartnerInstitutionFactory, PlanFactory

from .view_helpers import budget_data, budget_rows

pytestmark = pytest.mark.django_db

TABLES = {
    "rules": "programs_ruleset",
    "invitees": "applications_plannedinvitees",
    "partners": "institutions_partnerinstitution",
    "budget lines": "applications_budgetline",
    # The plan's program comes with the plan, its course's too (the course's eligible
    # countries fall back to the program's): never read on its own.
    "programs": "programs_program",
}


@pytest.fixture
def plan(institution):
    return PlanFactory(host=institution)


def reads(client, url):
    """{what: how many queries read it} for one GET of `url` (after one to warm up)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    return {
        what: sum(bool(re.search(rf'\bFROM "{table}"', sql)) for sql in selects)
        for what, table in TABLES.items()
    }


@pytest.mark.parametrize(
    "url_name, expected",
    [
        (
            "plan_edit_basics",
            {"rules": 1, "invitees": 1, "partners": 1, "budget lines": 1, "programs": 0},
        ),
        (
            "plan_edit_itinerary",
            {"rules": 1, "invitees": 1, "partners": 1, "budget lines": 1, "programs": 0},
        ),
        (
            "plan_edit_attachments",
            {"rules": 1, "invitees": 1, "partners": 1, "budget lines": 1, "programs": 0},
        ),
        # The formset of budget lines shows the rows read for the checks, as do the total
        # and the people.
        (
            "plan_edit_budget",
            {"rules": 1, "invitees": 1, "partners": 1, "budget lines": 1, "programs": 0},
        ),
        # The partners' choice, the receipt numbers' partners and every row's sending
        # institutions take two reads of the host's partners.
        (
            "plan_edit_partners",
            {"rules": 1, "invitees": 1, "partners": 3, "budget lines": 1, "programs": 0},
        ),
    ],
)
def test_an_editor_page_reads_the_rules_and_the_plans_rows_once(client, plan, url_name, expected):
    client.force_login(plan.lead)

    assert reads(client, reverse(url_name, args=[plan.pk])) == expected


def test_more_invitee_rows_read_no_more_sending_institutions(
    client, plan, django_assert_num_queries
):
    client.force_login(plan.lead)
    url = reverse("plan_edit_partners", args=[plan.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as with_two_rows:
        assert client.get(url).status_code == 200
    for country in ["VN", "IN", "KE", "ID"]:
        partner = PartnerInstitutionFactory(host=plan.host, country=country)
        plan.partners.add(partner)
        PlannedInvitees.objects.create(
            plan=plan, sending_institution=partner, country=country, category="graduate", count=1
        )

    with django_assert_num_queries(len(with_two_rows.captured_queries)):
        assert client.get(url).status_code == 200


def options_of(page, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_each_row_offers_the_plans_partners_and_the_institution_it_names(client, plan):
    partner = plan.partners.get()
    partner.name = "Chulalongkorn University"
    partner.save()
    former = PartnerInstitutionFactory(host=plan.host, name="Mahidol University")
    PartnerInstitutionFactory(host=plan.host, name="Kasetsart University")  # not the plan's
    PartnerInstitutionFactory(name="Another host's partner")
    rows = list(plan.invitees.order_by("pk"))
    PlannedInvitees.objects.filter(pk=rows[1].pk).update(sending_institution=former)
    client.force_login(plan.lead)

    page = client.get(reverse("plan_edit_partners", args=[plan.pk])).content.decode()

    offered = [options_of(page, f"invitees-{n}-sending_institution") for n in range(3)]
    plain = ["---------", "Chulalongkorn University (Thailand)"]
    assert sorted(offered, key=len) == [plain, plain, [*plain, "Mahidol University (Thailand)"]]
    assert offered[2] == plain  # the row to add
    assert f'<option value="{former.pk}" selected>Mahidol University (Thailand)</option>' in page
    # The plan's partners are chosen among the host's own (its own ticked), and nobody else's.
    ticked = re.findall(r'<input type="checkbox" name="partners" value="(\d+)"[^>]*checked', page)
    assert ticked == [str(partner.pk)]
    assert "Kasetsart University" in page
    assert "Another host's partner" not in page


def test_saving_more_budget_lines_reads_them_no_more_often(client, plan, django_assert_num_queries):
    client.force_login(plan.lead)
    url = reverse("plan_edit_budget", args=[plan.pk])
    client.post(url, budget_data(plan, budget_rows(plan)))  # warm up: the session, the rules
    plan.refresh_from_db()
    with CaptureQueriesContext(connection) as with_two_lines:
        assert client.post(url, budget_data(plan, budget_rows(plan))).status_code == 302
    for _ in range(4):
        BudgetLine.objects.create(
            plan=plan, category="domestic_travel", unit_cost_jpy=1, quantity=1
        )
    plan.refresh_from_db()

    with django_assert_num_queries(len(with_two_lines.captured_queries)):
        assert client.post(url, budget_data(plan, budget_rows(plan))).status_code == 302


def test_a_budget_line_of_another_plan_is_refused_and_nothing_changes(client, plan):
    other = PlanFactory()
    theirs = other.budget.first()
    rows = budget_rows(plan)
    rows[0] = {**rows[0], "id": theirs.pk, "note": "Taken over"}
    client.force_login(plan.lead)

    response = client.post(reverse("plan_edit_budget", args=[plan.pk]), budget_data(plan, rows))

    assert response.status_code == 400
    theirs.refresh_from_db()
    assert theirs.plan == other and theirs.note != "Taken over"
    assert not BudgetLine.objects.filter(note="Taken over").exists()


def test_an_editor_page_reads_the_checks_facts_with_the_plan(client, plan):
    """Whether the course is part of the call, the course's security-form requirement and the
    screening answers come with the plan (applications.domain.checks.with_check_facts), not
    one query each."""
    client.force_login(plan.lead)
    url = reverse("plan_edit_basics", args=[plan.pk])
    client.get(url)

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200

    alone = [
        sql
        for sql in (q["sql"] for q in captured.captured_queries)
        if re.search(r'\bFROM "(programs_call_courses|screening_\w+)"', sql)
        and "applications_invitationplan" not in sql
    ]
    assert alone == []


def test_the_editor_still_tells_of_a_course_no_longer_in_the_call_and_missing_answers(client, plan):
    from screening.models import ScreeningAnswers, SecurityFormRequirement

    plan.call.courses.remove(plan.course)
    ScreeningAnswers.objects.filter(plan=plan).delete()
    SecurityFormRequirement.objects.update_or_create(
        course=plan.course, defaults={"required": True}
    )
    client.force_login(plan.lead)

    problems = client.get(reverse("plan_edit_basics", args=[plan.pk])).context["problems"]

    assert "The course is not part of this call." in problems.section("call")["course"]
    assert set(problems.section("screening")) >= {
        "tied_to_listed_entity",
        "listed_technology",
        "specific_category",
        "security_forms",
    }


def test_receipt_numbers_are_read_only_when_a_partners_country_asks_for_one(client, plan):
    from programs.models import CountryRule

    client.force_login(plan.lead)
    url = reverse("plan_edit_basics", args=[plan.pk])
    partner = PartnerInstitutionFactory(host=plan.host, country="CN")
    plan.partners.add(partner)
    client.get(url)

    def receipt_reads():
        with CaptureQueriesContext(connection) as captured:
            problems = client.get(url).context["problems"]
        sqls = [q["sql"] for q in captured.captured_queries]
        return sum('FROM "applications_registrationreceipt"' in sql for sql in sqls), problems

    assert receipt_reads()[0] == 0
    CountryRule.objects.create(
        country="CN", fiscal_year=plan.call.fiscal_year, registration_receipt_required=True
    )
    reads, problems = receipt_reads()
    assert reads == 1
    assert f"receipt_{partner.pk}" in problems.section("partners")


def test_a_course_changed_in_memory_since_the_read_is_checked_again(plan):
    """A form that changes the plan's course (then fails elsewhere) shows the checks of what
    was chosen: the fact read with the plan was about the course before."""
    from applications.domain.checks import check_plan, with_check_facts
    from applications.models import InvitationPlan
    from tests.factories import CourseFactory

    read = with_check_facts(InvitationPlan.objects.all()).get(pk=plan.pk)
    assert "course" not in check_plan(read).section("call")

    read.course = CourseFactory(program=plan.call.program, code="Z")  # not offered by the call

    assert "The course is not part of this call." in check_plan(read).section("call")["course"]
