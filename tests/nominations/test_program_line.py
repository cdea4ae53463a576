"""The dashboard and the exports show the agency's direct invitations as a program line of
their own, labelled as hosted by the agency."""

import csv
import io

import pytest
from django.urls import reverse

from nominations.domain.selection import select_nominations
from tests.conftest import clear_cache

from ..factories import PlanFactory
from ..participants.builders import approved, registered
from .conftest import make_nomination

pytestmark = pytest.mark.django_db

DIRECT_LINE = "JST Direct Invitation Program (hosted by the agency)"


def read_csv(response):
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8").lstrip("\ufeff"))))


@pytest.fixture
def two_programs(direct_plan, body, nominator, staff_user):
    """One participant selected into the direct plan, two registered in a Sakura plan."""
    select_nominations(direct_plan, [make_nomination(direct_plan, body)], by=staff_user)
    sakura = approved(PlanFactory())
    registered(sakura, family_name="ONE", email="one@example.org")
    registered(sakura, family_name="TWO", email="two@example.org")
    clear_cache()
    return direct_plan, sakura


def test_dashboard_counts_participants_per_program(client, staff_user, two_programs):
    client.force_login(staff_user)
    html = client.get(reverse("insights_dashboard")).content.decode()
    section = html.split("Participants by program")[-1]
    assert f'<th scope="row">{DIRECT_LINE}</th><td class="num">1</td>' in section
    assert '<th scope="row">Sakura Science Exchange Program</th><td class="num">2</td>' in section


def test_exports_name_the_program_of_each_plan_and_participant(client, staff_user, two_programs):
    direct_plan, sakura = two_programs
    client.force_login(staff_user)
    plans = read_csv(client.get(reverse("export_plans_csv")))
    column = plans[0].index("Program")
    by_reference = {row[0]: row[column] for row in plans[1:]}
    assert by_reference[direct_plan.reference] == DIRECT_LINE
    assert by_reference[sakura.reference] == "Sakura Science Exchange Program"

    people = read_csv(client.get(reverse("export_participants_csv")))
    column = people[0].index("Program")
    assert sorted(row[column] for row in people[1:]) == [
        DIRECT_LINE,
        "Sakura Science Exchange Program",
        "Sakura Science Exchange Program",
    ]
