"""No export runs what a host, reviewer or participant typed: text beginning with =, +, -, @,
a tab or a carriage return is written as text (CSV: after an apostrophe, as OWASP advises;
XLSX: a string cell, never an <f> formula, with the text unchanged). The import warns of such
text, and a file exported with it imports back unchanged."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from insights.domain.exports import csv_pieces, xlsx_file
from participants.domain import importing
from reports.models import ImplementationReport
from tests.participants.builders import approved_plan, registered
from tests.reports.builders import completed_plan, filled_report

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("https://evil.example/","Click for your visa")'
TITLE = "@SUM(1+1)*cmd|' /C calc'!A0"
ACTIVITIES = "+1+cmd|' /C calc'!A0"
GIVEN = "-2+3"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def plan(institution, coordinator):
    """A completed plan titled like a formula, with a report and participants named so."""
    plan = completed_plan(title_en=TITLE, host=institution, lead=coordinator)
    filled_report(plan, by=coordinator, participants=1, came=1)
    plan.participants.update(family_name=LINK, given_name=GIVEN)
    ImplementationReport.objects.filter(plan=plan).update(activities=ACTIVITIES)
    return plan


def csv_cells(response):
    return {
        cell
        for row in csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")))
        for cell in row
    }


def xlsx_cells(content):
    """{(value, data type)} of every cell: "s" is text, "f" a formula."""
    sheet = load_workbook(io.BytesIO(content)).active
    return {(cell.value, cell.data_type) for row in sheet.iter_rows() for cell in row}


def sheet_xml(content):
    return zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize(
    "export, texts",
    [
        ("export_plans", [TITLE]),
        ("export_participants", [LINK, GIVEN]),
        ("export_reports", [ACTIVITIES]),
    ],
)
def test_export_writes_formula_like_text_as_text(staff_client, plan, export, texts):
    cells = csv_cells(staff_client.get(reverse(f"{export}_csv")))
    assert {"'" + text for text in texts} <= cells
    assert not set(texts) & cells

    content = staff_client.get(reverse(f"{export}_xlsx")).getvalue()
    assert {(text, "s") for text in texts} <= xlsx_cells(content)
    assert b"<f>" not in sheet_xml(content)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_export_writers_neutralise_every_formula_start(start):
    text = start + "1+1"
    written = "".join(csv_pieces(["Reviewer"], iter([[text]])))
    assert next(csv.reader(io.StringIO(written[1:]), strict=True)) == ["Reviewer"]
    assert list(csv.reader(io.StringIO(written[1:])))[1] == ["'" + text]

    file, _count = xlsx_file("reviews", ["Reviewer"], iter([[text]]))
    with file:
        cell = load_workbook(file).active["A2"]
    assert cell.data_type == "s"
    assert cell.value == text.replace("\r", "\n")  # XML reads a carriage return as a line feed


def test_coordinator_export_writes_formula_like_names_as_text(client, institution, coordinator):
    plan = approved_plan(host=institution, lead=coordinator)
    registered(plan, family_name=LINK, given_name=GIVEN)
    client.force_login(coordinator)

    exported = client.get(reverse("participant_export", args=[plan.pk]))

    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert (rows[0]["family_name"], rows[0]["given_name"]) == ("'" + LINK, "'" + GIVEN)
    # Imported into another plan, the names come back as they were typed, with a warning.
    other = approved_plan(host=plan.host, lead=coordinator)
    report = importing.dry_run(other, "participants.csv", exported.content)
    assert report.ok, report.errors
    assert (report.rows[0]["family_name"], report.rows[0]["given_name"]) == (LINK, GIVEN)


def test_import_warns_of_formula_like_text_but_not_of_a_phone_number(institution, coordinator):
    plan = approved_plan(host=institution, lead=coordinator)
    header = ["family_name", "given_name", "date_of_birth", "gender", "nationality"]
    header += ["category", "email", "phone"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow(
        [LINK, "Somchai", "2003-04-15", "male", "TH", "graduate", "s@example.ac.th", "+66 2 000"]
    )

    report = importing.dry_run(plan, "participants.csv", out.getvalue().encode())

    assert report.ok, report.errors
    assert report.rows[0]["family_name"] == LINK  # kept as typed: every export shows it as text
    assert report.rows[0]["phone"] == "+66 2 000"
    assert report.flags == [
        (
            2,
            "family_name begins with “=”: spreadsheets may take it for a formula. "
            "It is saved as text; check that it is what you meant.",
        )
    ]
