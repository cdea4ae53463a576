"""Bulk registration from CSV or XLSX: a dry run that names every problem, then all or nothing.

CSV may be UTF-8 (with or without BOM) or Shift_JIS (Excel in Japan); XLSX is read with
openpyxl. Row numbers are those a spreadsheet shows: the header is row 1.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from zipfile import BadZipFile, ZipFile

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries
from openpyxl import Workbook, load_workbook

from common.forms import BIRTH_YEARS, YearRangeValidator
from common.spreadsheets import looks_like_formula, unescaped
from programs.domain.rules import plan_rules
from programs.models import ParticipantCategory

from ..models import Participant
from . import columns as file_columns
from .columns import COLUMNS, REQUIRED  # noqa: F401 (COLUMNS: read from here by tests)
from .eligibility import approved_places, normalized, places_left
from .registry import (
    identity,
    known_people,
    lock_places,
    may_register,
    registration_problems,
    save_participant,
)

# A file is read no wider than the template plus what the coordinator's export adds and a
# few notes, and no longer than the plan's places plus blank lines and notes: a sheet that
# claims A1:XFD1048576 (a few kilobytes on disk) is never padded out to 16,384 columns.
COLUMN_MARGIN = 10
ROW_MARGIN = 50
# An XLSX is a zip: what its parts unpack to is checked before openpyxl reads any of them (a
# filled-in template of a few hundred people unpacks to well under a megabyte).
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024

YES = {"yes", "y", "true", "1", "はい"}
NO = {"no", "n", "false", "0", "いいえ"}


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)  # cleaned dicts, one per data row
    errors: list = field(default_factory=list)  # (row, column, message)
    flags: list = field(default_factory=list)  # (row, message) for staff, not blocking
    row_numbers: list = field(default_factory=list)  # the spreadsheet row of each of `rows`

    @property
    def ok(self):
        return not self.errors


class UnreadableFile(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def plan_columns(plan):
    """The columns of `plan`'s files (`columns.columns_of`); None: a plan of no activities."""
    uses_activities = plan is not None and plan_rules(plan).uses_activities
    return file_columns.columns_of(uses_activities)


def template_rows(plan=None):
    """The template's header and example row (for a plan made of activities, the example's
    activity is the plan's first dispatch, if it has one)."""
    columns = plan_columns(plan)
    example = [column.example for column in columns]
    if columns is not file_columns.PARTICIPANT_COLUMNS:
        dispatch = plan.activities.filter(kind="dispatch").first()
        if dispatch is not None:
            example[0] = dispatch.title_en
    return file_columns.names(columns), example


def template_csv(plan=None):
    """The downloadable CSV template: UTF-8 with BOM so that Excel opens it correctly.

    Written with the plain csv module: its text is ours (the columns and examples, an
    activity's title the host wrote aside), never a participant's, and the example phone
    number keeps its "+" (`common.spreadsheets` is for user text)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(template_rows(plan))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(plan=None):
    book = Workbook()
    sheet = book.active
    sheet.title = "participants"
    for row in template_rows(plan):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_limits(plan):
    """(rows, columns): the most of a file the import reads for `plan`, the header included.

    Rows: the plan's places (or the course's maximum, if higher) plus ROW_MARGIN; columns: the
    template's plus COLUMN_MARGIN.
    """
    most_people = max(approved_places(plan), plan_rules(plan).max_invitees or 0)
    return 1 + most_people + ROW_MARGIN, len(plan_columns(plan)) + COLUMN_MARGIN


def read_table(name, content, *, max_rows, max_columns):
    """[[cell, …], …] from a CSV or XLSX upload; UnreadableFile with a clear message.

    At most `max_rows` + 1 rows of at most `max_columns` cells are read (one more row than
    allowed, so the caller can tell that the file is longer), whatever size the file claims.
    """
    if len(content) > settings.MAX_IMPORT_BYTES:
        raise UnreadableFile(_("The file is too large."))
    if name.lower().endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        try:
            unpacked = sum(part.file_size for part in ZipFile(io.BytesIO(content)).infolist())
        except (BadZipFile, ValueError) as error:
            raise UnreadableFile(_("This is not a readable XLSX file.")) from error
        if unpacked > MAX_XLSX_UNPACKED_BYTES:
            # Python's zipfile never unpacks more than a part declares: the sum is a bound.
            raise UnreadableFile(_("The file is too large."))
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            # Bounded on both sides: openpyxl would otherwise pad each row to the width the
            # sheet's <dimension> claims.
            rows = sheet.iter_rows(max_row=max_rows + 1, max_col=max_columns, values_only=True)
            return [["" if cell is None else cell for cell in row] for row in rows]
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise UnreadableFile(_("This is not a readable XLSX file.")) from error
    # UTF-16 (Excel's "Unicode text") decodes as garbage rather than failing: refuse it.
    if content[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        for encoding in ("utf-8-sig", "cp932"):
            try:
                text = content.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" in text:
                break
            try:
                rows = islice(csv.reader(io.StringIO(text)), max_rows + 1)
                return [row[:max_columns] for row in rows]
            except csv.Error as error:
                raise UnreadableFile(_("This is not a readable CSV file.")) from error
    raise UnreadableFile(
        _("The file's encoding is not UTF-8 or Shift_JIS. Save it as “CSV UTF-8” and try again.")
    )


def dry_run(plan, name, content):
    """Check every row as the registration would; nothing is saved. Returns an ImportReport.

    Each row that reads cleanly is asked `registry.registration_problems()`, the checks
    `save_participant()` makes for the form; places are counted for the whole file at once,
    before any row is checked: a file with more people than places left is refused as it is.
    """
    max_rows, max_columns = read_limits(plan)
    # (row number as a spreadsheet shows it, cells): blank rows left out but still counted
    table = [
        (number, row)
        for number, row in enumerate(
            read_table(name, content, max_rows=max_rows, max_columns=max_columns), start=1
        )
        if any(str(c).strip() for c in row)
    ]
    report = ImportReport()
    if not table:
        report.errors.append((1, "", _("The file is empty.")))
        return report
    places = places_left(plan)
    if table[-1][0] > max_rows:
        report.errors.append(
            (
                0,
                "",
                _(
                    "The file is longer than %(rows)s rows; this plan has only %(places)s places "
                    "left. Remove the rows of people who are not coming."
                )
                % {"rows": max_rows, "places": max(places, 0)},
            )
        )
        return report
    header_row, header_cells = table[0]
    header = [normalized(str(cell)).replace(" ", "_") for cell in header_cells]
    required = file_columns.required_of(plan_columns(plan))
    missing = [column for column in required if column not in header]
    if missing:
        report.errors.append(
            (
                header_row,
                ", ".join(sorted(missing)),
                _("Missing columns. Use the template's header row."),
            )
        )
        return report
    if len(table) - 1 > places:
        report.errors.append(too_many_people(len(table) - 1, places))
        return report
    partners = {normalized(p.name): p for p in plan.partners.all()}
    activities = activities_by_title(plan)
    seen = {}
    for number, raw in table[1:]:
        cells = {header[i]: raw[i] if i < len(raw) else "" for i in range(len(header))}
        row, errors = _clean_row(cells, partners)
        if activities is not None:
            errors = _clean_activity_cells(cells, activities, row, errors)
        report.errors.extend((number, column, message) for column, message in errors)
        report.flags.extend((number, message) for message in formula_warnings(cells))
        if errors:
            continue
        person = identity(row["family_name"], row["given_name"], row["date_of_birth"])
        if person in seen:
            report.errors.append(
                (number, "family_name", _("Same person as row %(row)s.") % {"row": seen[person]})
            )
            continue
        seen[person] = number
        report.rows.append(row)
        report.row_numbers.append(number)
    # The registration's own checks for the rows that read cleanly, with what they need from
    # the database read once for all of them: no query per row.
    people = [participant_of(plan, row) for row in report.rows]
    known = known_people(plan, people)
    for number, participant, row in zip(report.row_numbers, people, report.rows, strict=True):
        problems, flags = registration_problems(
            participant,
            check_places=False,
            known=known,
            has_passport=bool(row["passport_number"]),
        )
        report.errors.extend(row_errors(number, problems))
        report.flags.extend((number, message) for message in flags)
    # Each row's problems together, rows in the file's order.
    report.errors.sort(key=lambda error: error[0])
    report.flags.sort(key=lambda flag: flag[0])
    return report


PHONE_NUMBER = re.compile(r"\+?[0-9][0-9 ()-]*")


def formula_warnings(cells):
    """A warning for each cell a spreadsheet would take for a formula (=, +, -, @, a tab or a
    carriage return first): it is saved as text, and every export shows it as text, but the
    coordinator should see whether it is what they meant. A phone number's + is expected."""
    return [
        _(
            "%(column)s begins with “%(start)s”: spreadsheets may take it for a formula. "
            "It is saved as text; check that it is what you meant."
        )
        % {"column": column, "start": repr(value[0])[1:-1]}
        for column, value in cells.items()
        if looks_like_formula(value)
        and not (column == "phone" and PHONE_NUMBER.fullmatch(value.strip()))
    ]


def too_many_people(rows, places):
    return (
        0,
        "",
        _("%(rows)s people in the file, but only %(places)s places are left.")
        % {"rows": rows, "places": max(places, 0)},
    )


def import_participants(plan, name, content, *, by):
    """Register every row, or none: the dry run again, then each row through
    `registry.save_participant()`, the form's service, in one transaction.

    Side effects: whatever save_participant does for each row (the same lock on the plan's
    places, the same checks, change tracking and letters); if any row is refused after all,
    its problems join the report and nothing is saved.
    """
    may_register(plan, by)
    with transaction.atomic():
        lock_places(plan)
        report = dry_run(plan, name, content)
        if not report.ok:
            return report
        for number, row in zip(report.row_numbers, report.rows, strict=True):
            try:
                save_participant(
                    participant_of(plan, row), by=by, passport_number=row["passport_number"]
                )
            except ValidationError as refusal:
                report.errors.extend(row_errors(number, refusal.message_dict))
        if not report.ok:
            transaction.set_rollback(True)
    return report


def participant_of(plan, row):
    """An unsaved Participant of `plan` from a cleaned row (the passport number aside)."""
    return Participant(
        plan=plan, **{column: value for column, value in row.items() if column != "passport_number"}
    )


def row_errors(number, problems):
    """[(row, column, message)] from {field: [message]}; the person as a whole has no column."""
    return [
        (number, "" if field == NON_FIELD_ERRORS else field, message)
        for field, messages in problems.items()
        for message in messages
    ]


def _clean_row(cells, partners):
    """(cleaned dict, [(column, message)])."""
    errors, row = [], {}

    def text(column, limit):
        # The apostrophe our exports put before formula-like text is not part of the value.
        value = unescaped(str(cells.get(column, "") or "")).strip()
        if column in REQUIRED and not value:
            errors.append((column, _("Required.")))
        elif len(value) > limit:
            errors.append((column, _("At most %(limit)s characters.") % {"limit": limit}))
        return value

    row["family_name"] = text("family_name", 100)
    row["given_name"] = text("given_name", 100)
    row["native_name"] = text("native_name", 200)
    row["email"] = text("email", 254)  # its format: the registration's own check
    row["phone"] = text("phone", 40)
    row["passport_number"] = text("passport_number", 30)
    row["dietary_needs"] = text("dietary_needs", 300)
    row["accessibility_needs"] = text("accessibility_needs", 300)

    born = cells.get("date_of_birth", "")
    row["date_of_birth"] = _date(born)
    if row["date_of_birth"] is None:
        errors.append(("date_of_birth", _("Not a date: write it as YYYY-MM-DD.")))
    else:
        try:
            YearRangeValidator(*BIRTH_YEARS)(row["date_of_birth"])
        except ValidationError as refusal:
            errors.extend(("date_of_birth", message) for message in refusal.messages)

    gender = normalized(str(cells.get("gender", "")))
    genders = {
        "female": "female",
        "f": "female",
        "male": "male",
        "m": "male",
        "other": "other",
        "女": "female",
        "女性": "female",
        "男": "male",
        "男性": "male",
    }
    row["gender"] = genders.get(gender)
    if row["gender"] is None:
        errors.append(("gender", _("Write female, male or other.")))

    nationality = str(cells.get("nationality", "")).strip()
    code = (
        nationality.upper()
        if nationality.upper() in dict(countries)
        else countries.by_name(nationality)
    )
    if not nationality:
        errors.append(("nationality", _("Required.")))
    elif not code:
        errors.append(("nationality", _("Unknown country: use its two-letter code, e.g. TH.")))
    row["nationality"] = code

    category = normalized(str(cells.get("category", "")))
    by_label = {normalized(str(label)): value for value, label in ParticipantCategory.choices}
    row["category"] = category if category in ParticipantCategory.values else by_label.get(category)
    if row["category"] is None:
        errors.append(
            (
                "category",
                _("Unknown category: use one of %(values)s.")
                % {"values": ", ".join(ParticipantCategory.values)},
            )
        )

    home = normalized(str(cells.get("home_institution", "")))
    row["home_institution"] = partners.get(home) if home else None
    if home and row["home_institution"] is None:
        errors.append(("home_institution", _("Not a partner institution of this plan.")))

    first = normalized(str(cells.get("first_stay_in_japan", "")))
    row["first_stay_in_japan"] = True if first in YES else False if first in NO else None
    if first and row["first_stay_in_japan"] is None:
        errors.append(("first_stay_in_japan", _("Write yes or no.")))
    return row, errors


def activities_by_title(plan):
    """{normalized title, English and Japanese: activity} of the invitations and dispatches
    of a plan made of activities (one query); None for any other plan."""
    if not plan_rules(plan).uses_activities:
        return None
    found = {}
    for activity in plan.activities.exclude(kind="online"):
        for title in (activity.title_en, activity.title_ja):
            if title:
                found.setdefault(normalized(title), activity)
    return found


def _clean_activity_cells(cells, activities, row, errors):
    """Fill `row` with the activity and the travel columns; returns the row's errors, the
    participant columns' (`errors`) and these, as [(column, message)].

    The activity decides the direction (`travel.direction_of`); a dispatched participant's
    empty nationality is Japan's (`travel.settle_direction`), so it is no error."""
    title = normalized(unescaped(str(cells.get("activity", "") or "")))
    row["activity"] = activities.get(title)
    if not title:
        errors.append(("activity", _("Required.")))
    elif row["activity"] is None:
        errors.append(
            (
                "activity",
                _("Not an invitation or dispatch of this plan: write its title as the plan does."),
            )
        )
    dispatched = row["activity"] is not None and row["activity"].is_dispatch
    if dispatched and not str(cells.get("nationality", "") or "").strip():
        errors = [error for error in errors if error[0] != "nationality"]
    for column, limit in [
        ("emergency_contact_name", 200),
        ("emergency_contact_phone", 40),
        ("travel_insurance", 200),
    ]:
        value = unescaped(str(cells.get(column, "") or "")).strip()
        if len(value) > limit:
            errors.append((column, _("At most %(limit)s characters.") % {"limit": limit}))
        row[column] = value
    valid = cells.get("passport_valid_until", "")
    row["passport_valid_until"] = _date(valid) if str(valid or "").strip() else None
    if str(valid or "").strip() and row["passport_valid_until"] is None:
        errors.append(("passport_valid_until", _("Not a date: write it as YYYY-MM-DD.")))
    elif row["passport_valid_until"] is not None:
        try:
            YearRangeValidator()(row["passport_valid_until"])
        except ValidationError as refusal:
            errors.extend(("passport_valid_until", message) for message in refusal.messages)
    done = normalized(str(cells.get("travel_registration_done", "") or ""))
    row["travel_registration_done"] = True if done in YES else False if done in NO else None
    if done and row["travel_registration_done"] is None:
        errors.append(("travel_registration_done", _("Write yes or no.")))
    return errors


def _date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
