"""Registering participants in bulk from CSV or XLSX: a dry run names every problem by the row
and column a spreadsheet shows (the header is row 1), then the import saves all rows or none.

CSV may be UTF-8 (with or without BOM) or Shift_JIS, as Excel in Japan saves it; anything
else is refused with a message that says how to save the file.
"""

import csv
import io
import random
import re
import time
import tracemalloc
import zipfile
from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from applications.models import PlannedInvitees
from participants.domain import importing
from participants.domain.importing import UnreadableFile, dry_run, import_participants
from participants.models import Participant
from tests.factories import CourseFactory, PartnerInstitutionFactory, PlanFactory

from .builders import PLACES, approved, register_many

pytestmark = pytest.mark.django_db

PARTNER = "Chulalongkorn University"
COURSE_MAXIMUM = 8  # CourseFactory's course takes up to 8 people; the plan plans 5 (PLACES)
# Whatever the rows: places, the course's rules in force, partners, the plan's people, people
# elsewhere.
QUERIES_PER_FILE = 9
ENCODING_MESSAGE = (
    "The file's encoding is not UTF-8 or Shift_JIS. Save it as “CSV UTF-8” and try again."
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in here: spare the users PlanFactory makes the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(institution, coordinator):
    """An approved plan of `institution` for 5 people, with Chulalongkorn University as partner."""
    plan = approved(PlanFactory(host=institution, lead=coordinator))
    plan.partners.add(PartnerInstitutionFactory(host=institution, name=PARTNER, country="TH"))
    return plan


def person(**overrides):
    """One data row as a dict of the template's columns: an eligible Thai undergraduate."""
    return {
        "family_name": "SAETANG",
        "given_name": "Somchai",
        "native_name": "สมชาย แซ่ตั้ง",
        "date_of_birth": "2003-04-15",
        "gender": "male",
        "nationality": "TH",
        "home_institution": PARTNER,
        "category": "undergraduate",
        "email": "somchai@example.ac.th",
        "phone": "+66 2 000 0000",
        "passport_number": "AA1234567",
        "first_stay_in_japan": "yes",
        "dietary_needs": "",
        "accessibility_needs": "",
        **overrides,
    }


def people(count):
    return [
        person(family_name=f"PERSON{n}", email=f"person{n}@example.ac.th") for n in range(count)
    ]


def csv_file(rows, *, header=importing.COLUMNS, encoding="utf-8", bom=False, newline="\r\n"):
    """CSV bytes with `header` and one line per row dict (or list of cells)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [row.get(column, "") for column in header] if isinstance(row, dict) else row
        )
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode(encoding)


def xlsx_file(rows, header=importing.COLUMNS):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column, "") for column in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def errors_of(plan, content, name="participants.csv"):
    return dry_run(plan, name, content).errors


# A clean file.


def test_dry_run_clean_file_passes_and_saves_nothing(plan):
    report = dry_run(plan, "participants.csv", csv_file([person()]))

    assert report.ok
    assert report.errors == []
    assert report.rows == [
        {
            "family_name": "SAETANG",
            "given_name": "Somchai",
            "native_name": "สมชาย แซ่ตั้ง",
            "email": "somchai@example.ac.th",
            "phone": "+66 2 000 0000",
            "passport_number": "AA1234567",
            "dietary_needs": "",
            "accessibility_needs": "",
            "date_of_birth": date(2003, 4, 15),
            "gender": "male",
            "nationality": "TH",
            "category": "undergraduate",
            "home_institution": plan.partners.get(name=PARTNER),
            "first_stay_in_japan": True,
        }
    ]
    assert not Participant.objects.exists()


# Errors by row and column.


def test_dry_run_missing_required_field_reported_by_row_and_column(plan):
    content = csv_file([person(), person(family_name="", email="other@example.ac.th")])

    assert errors_of(plan, content) == [(3, "family_name", "Required.")]


@pytest.mark.parametrize("column", ["email", "category", "gender", "date_of_birth"])
def test_dry_run_empty_required_cell_reported_in_its_column(plan, column):
    errors = errors_of(plan, csv_file([person(**{column: ""})]))

    assert [(row, col) for row, col, _ in errors] == [(2, column)]


def test_dry_run_bad_date_reported(plan):
    errors = errors_of(plan, csv_file([person(date_of_birth="15/04/2003")]))

    assert errors == [(2, "date_of_birth", "Not a date: write it as YYYY-MM-DD.")]


@pytest.mark.parametrize("written", ["2003-04-15", "2003/04/15"])
def test_dry_run_date_formats_accepted(plan, written):
    report = dry_run(plan, "p.csv", csv_file([person(date_of_birth=written)]))

    assert report.ok, report.errors
    assert report.rows[0]["date_of_birth"] == date(2003, 4, 15)


def test_dry_run_unknown_country_reported(plan):
    errors = errors_of(plan, csv_file([person(nationality="Atlantis")]))

    assert errors == [(2, "nationality", "Unknown country: use its two-letter code, e.g. TH.")]


@pytest.mark.parametrize("written", ["Thailand", "th", "TH"])
def test_dry_run_country_by_name_or_code_accepted(plan, written):
    report = dry_run(plan, "p.csv", csv_file([person(nationality=written)]))

    assert report.ok, report.errors
    assert report.rows[0]["nationality"] == "TH"


def test_dry_run_unknown_category_reported(plan):
    errors = errors_of(plan, csv_file([person(category="astronaut")]))

    assert [(row, column) for row, column, _ in errors] == [(2, "category")]
    assert "undergraduate" in errors[0][2]


def test_dry_run_category_by_label_accepted(plan):
    report = dry_run(plan, "p.csv", csv_file([person(category="Undergraduate student")]))

    assert report.ok, report.errors
    assert report.rows[0]["category"] == "undergraduate"


def test_dry_run_bad_gender_reported(plan):
    errors = errors_of(plan, csv_file([person(gender="x")]))

    assert errors == [(2, "gender", "Write female, male or other.")]


@pytest.mark.parametrize(
    ("written", "gender"), [("F", "female"), ("女性", "female"), ("男", "male")]
)
def test_dry_run_gender_short_and_japanese_accepted(plan, written, gender):
    report = dry_run(plan, "p.csv", csv_file([person(gender=written)]))

    assert report.ok, report.errors
    assert report.rows[0]["gender"] == gender


def test_dry_run_home_institution_not_a_partner_reported(plan):
    errors = errors_of(plan, csv_file([person(home_institution="Mahidol University")]))

    assert errors == [(2, "home_institution", "Not a partner institution of this plan.")]


def test_dry_run_home_institution_matched_ignoring_case_and_spaces(plan):
    report = dry_run(
        plan, "p.csv", csv_file([person(home_institution="  chulalongkorn  university")])
    )

    assert report.ok, report.errors
    assert report.rows[0]["home_institution"].name == PARTNER


def test_dry_run_duplicate_row_reported(plan):
    content = csv_file([person(), person(family_name="saetang", email="again@example.ac.th")])

    assert errors_of(plan, content) == [(3, "family_name", "Same person as row 2.")]


def test_dry_run_bad_yes_no_reported(plan):
    errors = errors_of(plan, csv_file([person(first_stay_in_japan="maybe")]))

    assert errors == [(2, "first_stay_in_japan", "Write yes or no.")]


@pytest.mark.parametrize(
    ("written", "value"),
    [("no", False), ("Yes", True), ("はい", True), ("いいえ", False), ("", None)],
)
def test_dry_run_yes_no_accepted(plan, written, value):
    report = dry_run(plan, "p.csv", csv_file([person(first_stay_in_japan=written)]))

    assert report.ok, report.errors
    assert report.rows[0]["first_stay_in_japan"] is value


def test_dry_run_errors_of_every_row_and_column_at_once(plan):
    content = csv_file(
        [
            person(date_of_birth="15/04/2003", nationality="Atlantis"),
            person(family_name="OTHER", gender="x"),
        ]
    )

    assert [(row, column) for row, column, _ in errors_of(plan, content)] == [
        (2, "date_of_birth"),
        (2, "nationality"),
        (3, "gender"),
    ]


def test_dry_run_eligibility_problem_reported_on_its_row(plan):
    content = csv_file([person(), person(family_name="OLD", date_of_birth="1970-06-01")])

    assert errors_of(plan, content) == [
        (3, "", "Aged 56 on arrival (2027-01-10); the course requires under 40.")
    ]


def test_dry_run_not_first_stay_flagged_by_row(plan):
    report = dry_run(
        plan, "p.csv", csv_file([person(), person(family_name="B", first_stay_in_japan="no")])
    )

    assert report.ok
    assert [flag for flag in report.flags if "first stay" in flag[1]] == [
        (3, "Not the first stay in Japan.")
    ]


def test_dry_run_flags_people_outside_the_planned_invitees(plan):
    """The plan invites Thai graduates and a Thai escort."""
    rows = [
        person(category="graduate"),
        person(family_name="B", category="graduate", nationality="VN"),
        person(family_name="C"),  # a Thai undergraduate
    ]
    report = dry_run(plan, "p.csv", csv_file(rows))

    assert report.ok
    assert [(row, text) for row, text in report.flags if "planned invitees" in text] == [
        (3, "Not among the planned invitees (Vietnam, Graduate student)."),
        (4, "Not among the planned invitees (Thailand, Undergraduate student)."),
    ]


def test_dry_run_row_numbers_count_blank_lines_as_a_spreadsheet_does(plan):
    """A blank line is a row in Excel too: the error must point at the row the user sees."""
    content = csv_file([person(), ["", "", ""], person(family_name="B", gender="x")])

    assert errors_of(plan, content) == [(4, "gender", "Write female, male or other.")]


# The file as a whole.


def test_dry_run_missing_header_columns_named_in_row_1(plan):
    header = [c for c in importing.COLUMNS if c not in ("email", "date_of_birth")]

    errors = errors_of(plan, csv_file([person()], header=header))

    assert errors == [
        (1, "date_of_birth, email", "Missing columns. Use the template's header row.")
    ]


def test_dry_run_header_in_words_accepted(plan):
    header = [column.replace("_", " ").title() for column in importing.COLUMNS]
    row = [person()[column] for column in importing.COLUMNS]

    report = dry_run(plan, "p.csv", csv_file([row], header=header))

    assert report.ok, report.errors


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n,,,\r\n"])
def test_dry_run_empty_file_reported(plan, content):
    assert errors_of(plan, content) == [(1, "", "The file is empty.")]


@pytest.mark.parametrize(
    "content",
    [
        # Excel's "Unicode Text" and Notepad's "Unicode": UTF-16 with a byte-order mark.
        csv_file([person()], encoding="utf-16"),
        csv_file([person()], encoding="utf-16", newline="\n"),
        csv_file([person()], encoding="utf-16-le", newline="\n"),
        random.Random(2024).randbytes(512),
    ],
    ids=["utf-16-crlf", "utf-16-lf", "utf-16-le-lf", "random-bytes"],
)
def test_dry_run_file_neither_utf8_nor_shift_jis_refused(plan, content):
    with pytest.raises(UnreadableFile) as refused:
        dry_run(plan, "participants.csv", content)

    assert refused.value.message == ENCODING_MESSAGE


def test_dry_run_file_too_large_refused(plan, settings):
    settings.MAX_IMPORT_BYTES = 100

    with pytest.raises(UnreadableFile) as refused:
        dry_run(plan, "participants.csv", csv_file(people(3)))

    assert refused.value.message == "The file is too large."


def test_dry_run_broken_xlsx_refused(plan):
    with pytest.raises(UnreadableFile) as refused:
        dry_run(plan, "participants.xlsx", b"PK\x03\x04 not really a workbook")

    assert refused.value.message == "This is not a readable XLSX file."


@pytest.mark.parametrize("bom", [True, False], ids=["with-bom", "without-bom"])
def test_dry_run_utf8_with_or_without_bom_read(plan, bom):
    report = dry_run(plan, "p.csv", csv_file([person()], bom=bom))

    assert report.ok, report.errors
    assert report.rows[0]["family_name"] == "SAETANG"
    assert report.rows[0]["native_name"] == "สมชาย แซ่ตั้ง"


def test_import_shift_jis_file_keeps_japanese_names(plan, coordinator):
    row = person(
        family_name="YAMADA",
        given_name="Taro",
        native_name="山田 太郎",
        nationality="BR",
        gender="男性",
        first_stay_in_japan="はい",
        home_institution="",
    )
    content = csv_file([row], encoding="cp932")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")

    report = import_participants(plan, "participants.csv", content, by=coordinator)

    assert report.ok, report.errors
    participant = Participant.objects.get(plan=plan)
    assert participant.native_name == "山田 太郎"
    assert participant.gender == "male"
    assert participant.first_stay_in_japan is True


@pytest.mark.parametrize(
    ("native_name", "nationality"),
    [
        ("สมชาย ใจดี", "TH"),
        ("Nguyễn Văn An", "VN"),
        ("अमित शर्मा", "IN"),
        ("王小明", "CN"),
    ],
    ids=["thai", "vietnamese", "hindi", "chinese"],
)
def test_import_native_names_survive_byte_for_byte(plan, coordinator, native_name, nationality):
    content = csv_file([person(native_name=native_name, nationality=nationality)])

    report = import_participants(plan, "participants.csv", content, by=coordinator)

    assert report.ok, report.errors
    stored = Participant.objects.get(plan=plan).native_name
    assert stored.encode("utf-8") == native_name.encode("utf-8")


def test_dry_run_xlsx_with_date_cell_and_text_date(plan):
    first = person(date_of_birth=datetime(2003, 4, 15))
    second = person(family_name="B", email="b@example.ac.th", date_of_birth="2004-05-16")

    report = dry_run(plan, "participants.xlsx", xlsx_file([first, second]))

    assert report.ok, report.errors
    assert [row["date_of_birth"] for row in report.rows] == [date(2003, 4, 15), date(2004, 5, 16)]
    assert report.rows[0]["native_name"] == "สมชาย แซ่ตั้ง"


def test_dry_run_xlsx_errors_by_spreadsheet_row(plan):
    content = xlsx_file([person(), person(family_name="B", date_of_birth="15/04/2003")])

    assert errors_of(plan, content, name="participants.xlsx") == [
        (3, "date_of_birth", "Not a date: write it as YYYY-MM-DD.")
    ]


# All or nothing.


def test_import_file_with_one_bad_row_imports_nothing(plan, coordinator):
    rows = people(3)
    rows[1]["nationality"] = "Atlantis"

    report = import_participants(plan, "participants.csv", csv_file(rows), by=coordinator)

    assert not report.ok
    assert report.errors == [
        (3, "nationality", "Unknown country: use its two-letter code, e.g. TH.")
    ]
    assert not Participant.objects.exists()


def test_import_clean_file_imports_every_row_with_passport_encrypted(plan, coordinator):
    rows = people(3)
    for n, row in enumerate(rows):
        row["passport_number"] = f"AA000000{n}"

    report = import_participants(plan, "participants.csv", csv_file(rows), by=coordinator)

    assert report.ok, report.errors
    stored = Participant.objects.filter(plan=plan).order_by("family_name")
    assert [p.family_name for p in stored] == ["PERSON0", "PERSON1", "PERSON2"]
    for n, participant in enumerate(stored):
        assert participant.passport_number_encrypted
        assert f"AA000000{n}" not in participant.passport_number_encrypted
        assert participant.passport_number == f"AA000000{n}"
        assert participant.home_institution.name == PARTNER


# The import registers every row through the form's service (registry.save_participant).


def test_import_refuses_an_email_the_participant_form_refuses(plan, coordinator):
    """The form refuses an address without a proper domain: so does the import."""
    content = csv_file([person(email="somchai@example")])

    assert errors_of(plan, content) == [(2, "email", "Enter a valid email address.")]
    report = import_participants(plan, "p.csv", content, by=coordinator)
    assert report.errors == [(2, "email", "Enter a valid email address.")]
    assert not Participant.objects.exists()


def test_import_refuses_a_person_already_registered_in_the_plan(plan, coordinator):
    import_participants(plan, "p.csv", csv_file([person()]), by=coordinator)

    again = csv_file([person(family_name="Saetang", email="other@example.ac.th")])

    assert errors_of(plan, again) == [(2, "family_name", "Already registered in this plan.")]
    assert Participant.objects.filter(plan=plan).count() == 1


def test_import_more_rows_than_places_refused(plan, coordinator):
    report = import_participants(plan, "p.csv", csv_file(people(PLACES + 1)), by=coordinator)

    assert report.errors == [(0, "", "6 people in the file, but only 5 places are left.")]
    assert not Participant.objects.exists()


def test_import_counts_places_already_taken(plan, coordinator):
    register_many(plan, 3)

    report = import_participants(plan, "p.csv", csv_file(people(3)), by=coordinator)

    assert report.errors == [(0, "", "3 people in the file, but only 2 places are left.")]
    assert Participant.objects.filter(plan=plan).count() == 3


def test_import_exactly_the_places_left_accepted(plan, coordinator):
    register_many(plan, 3)

    report = import_participants(plan, "p.csv", csv_file(people(2)), by=coordinator)

    assert report.ok, report.errors
    assert Participant.objects.filter(plan=plan).count() == PLACES


def test_import_by_coordinator_of_another_institution_refused(plan, other_coordinator):
    with pytest.raises(PermissionDenied):
        import_participants(plan, "p.csv", csv_file([person()]), by=other_coordinator)

    assert not Participant.objects.exists()


def test_import_into_plan_not_approved_refused(institution, coordinator):
    draft = PlanFactory(host=institution, lead=coordinator)

    with pytest.raises(ValidationError):
        import_participants(draft, "p.csv", csv_file([person()]), by=coordinator)

    assert not Participant.objects.exists()


# The templates.


def test_template_csv_starts_with_bom_and_header():
    content = importing.template_csv()

    assert content.startswith(b"\xef\xbb\xbf")
    first_line = content[3:].decode("utf-8").splitlines()[0]
    assert first_line == ",".join(importing.COLUMNS)


def test_template_xlsx_header_is_the_columns():
    sheet = load_workbook(io.BytesIO(importing.template_xlsx())).active

    header = [cell.value for cell in sheet[1]]

    assert header == importing.COLUMNS


@pytest.mark.parametrize(
    ("name", "template"),
    [("template.csv", importing.template_csv), ("template.xlsx", importing.template_xlsx)],
)
def test_template_example_row_passes_dry_run(institution, coordinator, name, template):
    course = CourseFactory(eligible_categories=["undergraduate"], eligible_countries=["VN"])
    plan = approved(PlanFactory(host=institution, lead=coordinator, course=course))
    PlannedInvitees.objects.create(plan=plan, country="VN", category="undergraduate", count=2)
    plan.partners.add(
        PartnerInstitutionFactory(
            host=institution, name="Vietnam National University, Hanoi", country="VN"
        )
    )

    report = dry_run(plan, name, template())

    assert report.ok, report.errors
    assert report.rows[0]["family_name"] == "NGUYEN"
    assert report.rows[0]["native_name"] == "Nguyễn Văn An"
    assert report.rows[0]["date_of_birth"] == date(2003, 4, 15)
    assert report.rows[0]["home_institution"].name == "Vietnam National University, Hanoi"


# Files bigger than they look: a sheet's claimed size and a file's length are not trusted.


def dimension_bomb(rows):
    """A small XLSX of `rows` whose sheet claims A1:XFD1048576 (16,384 columns, 1,048,576
    rows) and holds one more cell, in the very last row and column, as such files do."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_file(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb'<dimension ref="[^"]+" ?/>', b'<dimension ref="A1:XFD1048576"/>', data
                )
                data = data.replace(
                    b"</sheetData>",
                    b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                    b"</sheetData>",
                )
            bomb.writestr(entry, data)
    return out.getvalue()


def test_dry_run_xlsx_claiming_a_whole_sheet_read_quickly_in_little_memory(plan):
    content = dimension_bomb([person()])
    assert len(content) < 10_000
    assert b"A1:XFD1048576" in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")

    tracemalloc.start()
    started = time.monotonic()
    try:
        report = dry_run(plan, "participants.xlsx", content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert time.monotonic() - started < 5
    assert peak < 20 * 1024 * 1024
    # Only the template's columns and the first rows are read: the cell far away is not.
    assert report.ok, report.errors
    assert [row["family_name"] for row in report.rows] == ["SAETANG"]


def test_dry_run_xlsx_unpacking_to_more_than_50_mb_refused_before_it_is_read(plan):
    # 60 MB of one repeated letter, deflated to some 60 kB: a zip bomb in small.
    book = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(xlsx_file([person()])))
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as bomb:
        for entry in source.infolist():
            bomb.writestr(entry, source.read(entry.filename))
        bomb.writestr("xl/padding.xml", b"x" * (60 * 1024 * 1024))
    assert len(book.getvalue()) < 1024 * 1024

    with pytest.raises(UnreadableFile, match="The file is too large."):
        dry_run(plan, "participants.xlsx", book.getvalue())


def test_dry_run_xlsx_with_a_person_below_the_row_limit_refused(plan):
    limit = 1 + COURSE_MAXIMUM + importing.ROW_MARGIN  # the header, the people, blank lines
    book = Workbook()
    sheet = book.active
    sheet.append(importing.COLUMNS)
    sheet.append(list(person().values()))
    sheet.cell(row=limit + 1, column=1, value="FAR")
    out = io.BytesIO()
    book.save(out)

    assert errors_of(plan, out.getvalue(), name="participants.xlsx") == [
        (
            0,
            "",
            f"The file is longer than {limit} rows; this plan has only {PLACES} places left. "
            "Remove the rows of people who are not coming.",
        )
    ]


def test_dry_run_xlsx_claiming_a_whole_sheet_reads_only_the_template_columns(plan):
    rows = importing.read_table(
        "participants.xlsx",
        dimension_bomb([person()]),
        max_rows=10,
        max_columns=len(importing.COLUMNS),
    )

    # The header, the person and blank rows up to one past the limit; no further.
    assert len(rows) == 10 + 1
    assert rows[1] == list(person().values())
    assert not any(any(row) for row in rows[2:])
    assert all(len(row) == len(importing.COLUMNS) for row in rows)


def test_dry_run_long_csv_refused_before_any_row_is_checked(plan, django_assert_max_num_queries):
    # 30,000 rows in under 2 MB: a query per row would keep the worker busy for minutes.
    header = ["family_name", "date_of_birth", "gender", "nationality", "category", "email"]
    rows = [[f"P{n}", "2003-04-15", "m", "TH", "graduate", f"p{n}@x.th"] for n in range(30_000)]
    content = csv_file(rows, header=header)
    assert len(content) < 2 * 1024 * 1024

    # A handful, whatever the length (the course's rules in force are one of them).
    with django_assert_max_num_queries(6):
        errors = errors_of(plan, content)

    assert len(errors) == 1
    assert errors[0][2].startswith(
        f"The file is longer than {1 + COURSE_MAXIMUM + importing.ROW_MARGIN} rows"
    )


def test_dry_run_more_people_than_places_refused_before_any_row_is_checked(
    plan, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        errors = errors_of(plan, csv_file(people(PLACES + 3)))

    assert errors == [
        (0, "", f"{PLACES + 3} people in the file, but only {PLACES} places are left.")
    ]


# Names lost to Shift_JIS: Japanese Excel's "CSV" writes "?" for each letter it cannot hold.

QUESTION_MARK = (
    "has “?” where a letter should be: Excel's “CSV” (Shift_JIS) writes “?” for the letters "
    "it cannot hold. Type the name as in the passport; to import a file, save it as “CSV UTF-8”."
)


def as_japanese_excel_saves(text):
    """The text after Excel in Japan saved it as "CSV": Shift_JIS, "?" for what it lacks."""
    return text.encode("cp932", errors="replace").decode("cp932")


@pytest.mark.parametrize(
    "column, name",
    [
        ("family_name", "Trần"),
        ("given_name", "Văn Hùng"),
        ("native_name", "สมชาย แซ่ตั้ง"),
    ],
)
def test_dry_run_name_turned_to_question_marks_by_shift_jis_refused_at_its_row_and_column(
    plan, column, name
):
    garbled = as_japanese_excel_saves(name)
    assert "?" in garbled  # "Tr?n", "V?n H?ng", "????? ??????"
    content = csv_file([person(**{"native_name": "", column: garbled})], encoding="cp932")

    assert errors_of(plan, content) == [(2, column, f"“{garbled}” {QUESTION_MARK}")]
    assert not Participant.objects.exists()


@pytest.mark.parametrize("column", ["family_name", "native_name", "dietary_needs"])
def test_dry_run_replacement_character_refused_at_its_row_and_column(plan, column):
    text = "Nguy\ufffdn"
    errors = errors_of(plan, csv_file([person(**{column: text})]))

    assert errors == [
        (
            2,
            column,
            f"“{text}” has “\ufffd” where a letter was lost to a wrong encoding. Type it again; "
            "to import a file, save it as “CSV UTF-8”.",
        )
    ]


@pytest.mark.parametrize("born", ["0001-01-01", "9999-12-31"])
def test_dry_run_date_of_birth_in_no_sane_year_refused(plan, born):
    assert errors_of(plan, csv_file([person(date_of_birth=born)])) == [
        (2, "date_of_birth", "Enter a date between the years 1900 and 2100.")
    ]


@pytest.mark.parametrize("rows", [1, PLACES])
def test_dry_run_queries_do_not_grow_with_the_rows(plan, rows, django_assert_num_queries):
    register_many(PlanFactory(call=plan.call, course=plan.course), 2)  # people elsewhere
    content = csv_file(people(rows))

    with django_assert_num_queries(QUERIES_PER_FILE):
        report = dry_run(plan, "participants.csv", content)

    assert report.ok, report.errors
    assert len(report.rows) == rows


def test_dry_run_flags_a_person_who_took_part_in_another_plan_that_year(plan):
    other = approved(PlanFactory(call=plan.call, course=plan.course))
    Participant.objects.create(
        plan=other,
        family_name="Saetang",  # the same person, written in another case
        given_name="SOMCHAI",
        date_of_birth=date(2003, 4, 15),
        gender="male",
        nationality="TH",
        category="undergraduate",
        email="somchai@example.ac.th",
    )

    report = dry_run(plan, "participants.csv", csv_file([person(), person(family_name="OTHER")]))

    assert report.ok, report.errors
    repeats = [row for row, flag in report.flags if flag.startswith("Took part")]
    assert repeats == [2]
    assert (2, "Took part in this program already in fiscal year 2026.") in report.flags
