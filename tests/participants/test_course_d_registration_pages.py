"""Registering course-D people on the coordinator's pages and from a spreadsheet: the activity
column (the activity's title, as the plan names it) decides the direction; a dispatched row
needs the travel columns; problems name their row and column, or sit at their field."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import InvitationPlan
from participants.domain.importing import dry_run, import_participants, template_rows
from participants.models import Participant

from .course_d import course_d_plan, dispatched, new_traveller

pytestmark = pytest.mark.django_db

DISPATCH = "Field study at IIT Example"
INVITATION = "Water lab training in Japan"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(institution, coordinator):
    return course_d_plan(host=institution, lead=coordinator)


def header(plan):
    return template_rows(plan)[0]


def csv_file(plan, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    columns = header(plan)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue().encode()


def traveller_row(**overrides):
    return {
        "activity": DISPATCH,
        "family_name": "SUZUKI",
        "given_name": "Ken",
        "native_name": "鈴木 健",
        "date_of_birth": "2000-10-01",
        "gender": "male",
        "nationality": "",
        "category": "graduate",
        "email": "ken@example.ac.jp",
        "passport_number": "TK7654321",
        "passport_valid_until": "2030-01-31",
        "emergency_contact_name": "鈴木 一郎",
        "emergency_contact_phone": "+81 3 0000 0000",
        "travel_insurance": "Sakura Insurance 555",
        "travel_registration_done": "no",
        **overrides,
    }


def invitee_row(**overrides):
    return {
        "activity": INVITATION,
        "family_name": "KUMAR",
        "given_name": "Arjun",
        "native_name": "अर्जुन कुमार",
        "date_of_birth": "2001-02-02",
        "gender": "male",
        "nationality": "IN",
        "home_institution": "IIT Example",
        "category": "graduate",
        "email": "arjun@example.ac.in",
        "passport_number": "Z1234567",
        **overrides,
    }


def test_the_template_of_a_course_d_plan_has_the_activity_and_travel_columns(plan):
    columns, example = template_rows(plan)

    assert columns[0] == "activity"
    assert example[0] == DISPATCH
    assert columns[-5:] == [
        "passport_valid_until",
        "emergency_contact_name",
        "emergency_contact_phone",
        "travel_insurance",
        "travel_registration_done",
    ]


def test_import_registers_an_invitee_and_a_dispatched_person(plan, coordinator):
    report = import_participants(
        plan, "people.csv", csv_file(plan, [traveller_row(), invitee_row()]), by=coordinator
    )

    assert report.ok, report.errors
    ken = Participant.objects.get(family_name="SUZUKI")
    assert ken.direction == Participant.Direction.DISPATCHED
    assert ken.nationality.code == "JP"
    assert ken.travel_registration_done is False
    assert ken.passport_number == "TK7654321"
    arjun = Participant.objects.get(family_name="KUMAR")
    assert arjun.direction == Participant.Direction.INVITED
    assert arjun.activity.title_en == INVITATION


def test_a_bad_dispatched_row_names_its_row_and_columns(plan):
    content = csv_file(
        plan,
        [
            invitee_row(),
            traveller_row(
                passport_valid_until="2027-02-10", travel_insurance="", activity="Nowhere"
            ),
            traveller_row(
                family_name="ITO",
                email="ito@example.ac.jp",
                passport_valid_until="2027-02-10",
                travel_insurance="",
            ),
        ],
    )

    errors = dry_run(plan, "people.csv", content).errors

    assert (
        3,
        "activity",
        "Not an invitation or dispatch of this plan: write its title as the plan does.",
    ) in errors
    assert (4, "passport_valid_until", "The passport expires before the return on 2027-02-17.") in (
        errors
    )
    assert (4, "travel_insurance", "Required for a dispatch abroad.") in errors
    assert not [error for error in errors if error[0] == 2]


def test_a_formula_in_a_travel_cell_is_kept_as_text_and_warned(plan, coordinator):
    content = csv_file(plan, [traveller_row(travel_insurance='=HYPERLINK("x")')])

    report = dry_run(plan, "people.csv", content)

    assert report.ok, report.errors
    assert report.rows[0]["travel_insurance"] == '=HYPERLINK("x")'
    assert any("travel_insurance" in message for _, message in report.flags)


def test_import_queries_do_not_grow_with_rows(plan):
    one = csv_file(plan, [traveller_row()])
    three = csv_file(
        plan,
        [
            traveller_row(),
            traveller_row(family_name="ITO", email="ito@example.ac.jp"),
            invitee_row(),
        ],
    )

    counts = []
    for content in (one, three):
        fresh = InvitationPlan.objects.get(pk=plan.pk)  # nothing read before, for either file
        with CaptureQueriesContext(connection) as queries:
            assert dry_run(fresh, "people.csv", content).ok
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]


def form_data(plan, **changes):
    data = {
        "activity": plan.activities.get(title_en=DISPATCH).pk,
        "family_name": "SUZUKI",
        "given_name": "Ken",
        "native_name": "鈴木 健",
        "date_of_birth": "2000-10-01",
        "gender": "male",
        "nationality": "",
        "home_institution": "",
        "category": "graduate",
        "email": "ken@example.ac.jp",
        "phone": "",
        "passport_number": "TK7654321",
        "first_stay_in_japan": "unknown",
        "dietary_needs": "",
        "accessibility_needs": "",
        "passport_valid_until": "2030-01-31",
        "emergency_contact_name": "鈴木 一郎",
        "emergency_contact_phone": "+81 3 0000 0000",
        "travel_insurance": "Sakura Insurance 555",
        "travel_registration_done": "true",
    }
    data.update(changes)
    return data


def test_form_registers_a_dispatched_person(client, plan, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("participant_create", args=[plan.pk]), form_data(plan))

    assert response.status_code == 302
    assert Participant.objects.get().direction == Participant.Direction.DISPATCHED


def test_form_shows_a_passport_expiring_before_the_return_at_its_field(client, plan, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("participant_create", args=[plan.pk]),
        form_data(plan, passport_valid_until="2027-02-16", travel_insurance=""),
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["passport_valid_until"] == [
        "The passport expires before the return on 2027-02-17."
    ]
    assert form.errors["travel_insurance"] == ["Required for a dispatch abroad."]
    assert form["family_name"].value() == "SUZUKI", "the input is kept"
    assert not Participant.objects.exists()


def test_form_needs_a_nationality_for_an_invitee(client, plan, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("participant_create", args=[plan.pk]),
        form_data(plan, activity=plan.activities.get(title_en=INVITATION).pk),
    )

    assert response.status_code == 400
    assert "nationality" in response.context["form"].errors


def test_list_shows_direction_activity_and_the_travel_registration_to_do(client, plan, coordinator):
    dispatched(plan, travel_registration_done=False)
    client.force_login(coordinator)

    text = " ".join(
        client.get(reverse("participant_list", args=[plan.pk])).content.decode().split()
    )

    assert DISPATCH in text
    assert "Dispatched abroad from Japan" in text
    assert "To do: Travel registration (Tabireg) not done yet." in text


def test_another_institutions_coordinator_gets_404_on_the_participant(
    client, plan, other_coordinator
):
    participant = dispatched(plan)
    client.force_login(other_coordinator)

    response = client.get(reverse("participant_update", args=[plan.pk, participant.pk]))

    assert response.status_code == 404


def test_online_sessions_are_not_offered_in_the_form(client, plan, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("participant_create", args=[plan.pk]))

    offered = {str(choice[1]) for choice in response.context["form"].fields["activity"].choices}
    assert not any("Online seminar" in label for label in offered)
    assert new_traveller(plan).activity.title_en == DISPATCH


def test_list_counts_places_per_activity(client, plan, coordinator):
    dispatched(plan)
    client.force_login(coordinator)

    text = " ".join(
        client.get(reverse("participant_list", args=[plan.pk])).content.decode().split()
    )

    assert f"Dispatch abroad: {DISPATCH} — 1 of 3 places taken (2 left)" in text
    assert f"Invitation to Japan: {INVITATION} — 0 of 5 places taken (5 left)" in text


def test_list_of_a_course_d_plan_runs_the_same_queries_for_more_people(client, plan, coordinator):
    address = reverse("participant_list", args=[plan.pk])
    client.force_login(coordinator)
    dispatched(plan)
    client.get(address)  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get(address)

    dispatched(plan, family_name="ITO", email="ito@example.ac.jp")
    dispatched(plan, family_name="KATO", email="kato@example.ac.jp", travel_registration_done=False)
    with CaptureQueriesContext(connection) as three:
        response = client.get(address)

    assert len(response.context["participants"]) == 3
    assert len(three.captured_queries) == len(one.captured_queries)


def test_import_page_of_a_course_d_plan_explains_the_activity_column(client, plan, coordinator):
    client.force_login(coordinator)

    text = " ".join(
        client.get(reverse("participant_import", args=[plan.pk])).content.decode().split()
    )

    assert "write in the activity column the title of an invitation or a dispatch" in text
