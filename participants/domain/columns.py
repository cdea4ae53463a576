"""The participant columns of the spreadsheet files, defined once.

The import template (CSV and XLSX), the importer, the participant form (same fields, same
order) and the coordinator's export all read this list, so a file exported from one plan
can be corrected and imported into another.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str  # the header cell, and the Participant field (or form field) it fills
    required: bool = False
    example: str = ""  # the template's example row
    exported: bool = True  # passport numbers are never exported


PARTICIPANT_COLUMNS = (
    Column("family_name", required=True, example="NGUYEN"),
    Column("given_name", example="Van An"),
    Column("native_name", example="Nguyễn Văn An"),
    Column("date_of_birth", required=True, example="2003-04-15"),
    Column("gender", required=True, example="male"),
    Column("nationality", required=True, example="VN"),
    Column("home_institution", example="Vietnam National University, Hanoi"),
    Column("category", required=True, example="undergraduate"),
    Column("email", required=True, example="an.nguyen@example.edu.vn"),
    Column("phone", example="+84 90 000 0000"),
    Column("passport_number", example="C1234567", exported=False),
    Column("first_stay_in_japan", example="yes"),
    Column("dietary_needs", example="halal"),
    Column("accessibility_needs"),
)

# A plan made of activities (course D) has these too: the activity (by its English or Japanese
# title, as the plan names it) decides the direction; the travel columns are for dispatched
# participants (Japanese, so their nationality may be left empty: JP).
ACTIVITY_COLUMN = Column("activity", required=True, example="Field study at IIT Example")
TRAVEL_COLUMNS = (
    Column("passport_valid_until", example="2031-05-31"),
    Column("emergency_contact_name", example="山田 花子"),
    Column("emergency_contact_phone", example="+81 90 0000 0000"),
    Column("travel_insurance", example="Sakura Insurance 123-456"),
    Column("travel_registration_done", example="yes"),
)

COLUMNS = [column.name for column in PARTICIPANT_COLUMNS]
REQUIRED = {column.name for column in PARTICIPANT_COLUMNS if column.required}
EXAMPLE = [column.example for column in PARTICIPANT_COLUMNS]
EXPORTED = [column.name for column in PARTICIPANT_COLUMNS if column.exported]
TRAVEL = [column.name for column in TRAVEL_COLUMNS]

YES_NO = {True: "yes", False: "no", None: ""}


def columns_of(uses_activities):
    """The file's columns: the participant columns, and for a plan made of activities the
    activity first and the travel columns last."""
    if not uses_activities:
        return PARTICIPANT_COLUMNS
    return (ACTIVITY_COLUMN, *PARTICIPANT_COLUMNS, *TRAVEL_COLUMNS)


def names(columns):
    return [column.name for column in columns]


def required_of(columns):
    """The header cells a file must have."""
    return {column.name for column in columns if column.required}


def exported_of(columns):
    return [column.name for column in columns if column.exported]


def file_values(participant, exported=EXPORTED):
    """{column: text} of one participant in the import's formats (ISO dates, codes, yes/no),
    for every `exported` column."""
    values = {
        "family_name": participant.family_name,
        "given_name": participant.given_name,
        "native_name": participant.native_name,
        "date_of_birth": participant.date_of_birth.isoformat(),
        "gender": participant.gender,
        "nationality": participant.nationality.code,
        "home_institution": (
            participant.home_institution.name if participant.home_institution else ""
        ),
        "category": participant.category,
        "email": participant.email,
        "phone": participant.phone,
        "first_stay_in_japan": YES_NO[participant.first_stay_in_japan],
        "dietary_needs": participant.dietary_needs,
        "accessibility_needs": participant.accessibility_needs,
        "activity": participant.activity.title_en if participant.activity_id else "",
        "passport_valid_until": (
            participant.passport_valid_until.isoformat() if participant.passport_valid_until else ""
        ),
        "emergency_contact_name": participant.emergency_contact_name,
        "emergency_contact_phone": participant.emergency_contact_phone,
        "travel_insurance": participant.travel_insurance,
        "travel_registration_done": YES_NO[participant.travel_registration_done],
    }
    return {name: values[name] for name in exported}
