"""Bad input is an error at its field, never a 500: a NUL character (PostgreSQL stores none),
a number beyond what the database holds, a year no exchange has (9999-12-31 overflows the
report's due date; 0001-01-01 JST is stored as a BC timestamp no page reads back).

Each main form gets each kind of value in one of its fields; the answer is a 400 with an
error on the page and the typed input kept.
"""

import re

import pytest
from django.urls import reverse

from reports.domain.reporting import report_for
from tests.applications.view_helpers import basics_data, budget_data, budget_rows, item_data
from tests.factories import CallFactory, CourseFactory, PlanFactory
from tests.participants.builders import approved_plan
from tests.reports.builders import completed_plan, within_budget

pytestmark = pytest.mark.django_db

NUL = "Tsukuba\x00"
HUGE = "99999999999999999999"  # beyond a 64-bit integer
INT32 = str(2**31)  # beyond PostgreSQL's integer
FAR_YEAR = "9999-12-31"
BC_YEAR = "0001-01-01"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def basics(request, client):
    plan = PlanFactory(host=request.getfixturevalue("institution"))
    client.force_login(plan.lead)
    return reverse("plan_edit_basics", args=[plan.pk]), basics_data(plan)


def budget(request, client, **line):
    plan = PlanFactory(host=request.getfixturevalue("institution"))
    client.force_login(plan.lead)
    rows = budget_rows(plan)
    rows[0].update(line)
    return reverse("plan_edit_budget", args=[plan.pk]), budget_data(plan, rows)


def itinerary(request, client):
    plan = PlanFactory(host=request.getfixturevalue("institution"))
    client.force_login(plan.lead)
    return reverse("plan_edit_itinerary", args=[plan.pk]), item_data(plan)


def participant(request, client):
    coordinator = request.getfixturevalue("coordinator")
    plan = approved_plan(host=request.getfixturevalue("institution"), lead=coordinator)
    client.force_login(coordinator)
    data = {
        "family_name": "SAETANG",
        "given_name": "Somchai",
        "native_name": "",
        "date_of_birth": "2003-04-15",
        "gender": "male",
        "nationality": "TH",
        "home_institution": "",
        "category": "graduate",
        "email": "somchai@example.ac.th",
        "phone": "",
        "passport_number": "",
        "first_stay_in_japan": "true",
        "dietary_needs": "",
        "accessibility_needs": "",
    }
    return reverse("participant_create", args=[plan.pk]), data


def report(request, client):
    coordinator = request.getfixturevalue("coordinator")
    plan = completed_plan(host=request.getfixturevalue("institution"), lead=coordinator)
    client.force_login(coordinator)
    data = {
        "report_version": report_for(plan).version,
        "actual_arrival_on": "2027-01-10",
        "actual_departure_on": "2027-01-16",
        "activities": "Lectures and lab work.",
        "joint_papers": 1,
        "agreements": 0,
        "later_study_in_japan": 2,
        "follow_up": "",
        **{f"actual-{category}": yen for category, yen in within_budget().items()},
    }
    return reverse("report_edit", args=[plan.pk]), data


def call(request, client):
    course = CourseFactory()
    client.force_login(request.getfixturevalue("staff_user"))
    data = {
        "program": course.program.pk,
        "fiscal_year": 2026,
        "round": 1,
        "courses": [course.pk],
        "opens_at": "2026-01-05T10:00",
        "closes_at": "2026-02-22T17:00",
        "exchange_starts_on": "2026-05-01",
        "exchange_ends_on": "2027-03-15",
        "budget_jpy": 450000000,
        "status": "published",
    }
    return reverse("staff_call_create"), data


def review_setup(request, client):
    call = CallFactory()
    client.force_login(request.getfixturevalue("staff_user"))
    data = {
        "setup-reviewers_per_plan": 3,
        "setup-max_load": 30,
        "setup-deadline": "2027-02-01T17:00",
        "setup-rank_by": "calibrated",
        "criteria-TOTAL_FORMS": 0,
        "criteria-INITIAL_FORMS": 0,
        "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 1000,
    }
    return reverse("review_setup", args=[call.pk]), data


CASES = [
    (basics, "title_en", NUL),
    (basics, "arrival_on", BC_YEAR),
    (basics, "departure_on", FAR_YEAR),
    (budget, "budget-0-unit_cost_jpy", HUGE),
    (budget, "budget-0-quantity", INT32),
    (budget, "budget-0-note", NUL),
    (itinerary, "day", FAR_YEAR),
    (itinerary, "place", NUL),
    (participant, "family_name", NUL),
    (participant, "date_of_birth", BC_YEAR),
    (participant, "date_of_birth", FAR_YEAR),
    (report, "actual_departure_on", FAR_YEAR),
    (report, "activities", NUL),
    (report, "actual-airfare", INT32),
    (report, "actual-other", HUGE),
    (call, "opens_at", BC_YEAR + "T00:00"),
    (call, "exchange_ends_on", FAR_YEAR),
    (call, "budget_jpy", HUGE),
    (call, "fiscal_year", HUGE),
    (review_setup, "setup-deadline", BC_YEAR + "T00:00"),
    (review_setup, "setup-deadline", FAR_YEAR + "T23:59"),
    (review_setup, "setup-max_load", HUGE),
]


@pytest.mark.parametrize(
    "form, field, value",
    CASES,
    ids=[f"{form.__name__}-{field}-{value!r}" for form, field, value in CASES],
)
def test_bad_value_is_an_error_at_its_field_not_a_500(request, client, form, field, value):
    url, data = form(request, client)
    data[field] = value

    response = client.post(url, data)

    assert response.status_code in (200, 400)  # the page again, with the error
    assert re.search(r'class="(errorlist|error)\b', response.content.decode())  # at a field


def test_budget_lines_overflowing_the_database_refused_and_lists_still_open(
    client, institution, staff_user
):
    """2,000,000,000 × 2 once overflowed PostgreSQL's integer sum and broke every list."""
    plan = PlanFactory(host=institution)
    client.force_login(plan.lead)
    rows = budget_rows(plan)
    rows[0].update(unit_cost_jpy=2_000_000_000, quantity=2)
    rows[1].update(unit_cost_jpy=100_000_000, quantity=2)

    response = client.post(reverse("plan_edit_budget", args=[plan.pk]), budget_data(plan, rows))

    assert response.status_code == 400
    content = response.content.decode()
    assert "Ensure this value is less than or equal to 100000000." in content
    assert "This line comes to ¥200,000,000; a line may be at most ¥100,000,000." in content
    assert 'value="2000000000"' in content  # the input is kept


def test_lists_and_exports_sum_plans_beyond_32_bits(client, institution, staff_user):
    """Lines saved before the limits (or by the admin): the sums are 64-bit."""
    plan = PlanFactory(host=institution)
    plan.budget.update(unit_cost_jpy=2_000_000_000, quantity=2)
    client.force_login(plan.lead)
    assert client.get(reverse("plan_list")).status_code == 200
    client.force_login(staff_user)
    addresses = [
        reverse("staff_call_plans", args=[plan.call.pk]),
        reverse("staff_dashboard"),
        reverse("export_plans_csv"),
        reverse("export_plans_xlsx"),
    ]
    for address in addresses:
        assert client.get(address).status_code == 200, address
    rows = client.get(reverse("export_plans_csv")).getvalue().decode("utf-8-sig").splitlines()
    total = 2 * 2_000_000_000 * plan.budget.count()
    assert str(total) in rows[1]


def test_budget_total_above_what_a_plan_may_ask_refused(client, institution):
    plan = PlanFactory(host=institution)
    client.force_login(plan.lead)
    rows = budget_rows(plan)
    for row in rows:
        row.update(unit_cost_jpy=100_000_000, quantity=1)
    rows += [{"category": "other", "unit_cost_jpy": 100_000_000, "quantity": 1}] * 10

    response = client.post(reverse("plan_edit_budget", args=[plan.pk]), budget_data(plan, rows))

    assert response.status_code == 400
    assert "a plan may ask for at most ¥1,000,000,000" in response.content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "/verify/SSX-2026-1-A-0001-ABC%00/",
        "/calendar/abc%00def.ics",
        "/plans/?q=%00",
        "/staff/calls/{call}/plans/?q=a%00b",
        "/staff/alumni/?q=%00",
    ],
)
def test_nul_character_in_the_address_answers_400(client, staff_user, address):
    client.force_login(staff_user)
    response = client.get(address.format(call=CallFactory().pk))
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
