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

COLUMNS = [column.name for column in PARTICIPANT_COLUMNS]
REQUIRED = {column.name for column in PARTICIPANT_COLUMNS if column.required}
EXAMPLE = [column.example for column in PARTICIPANT_COLUMNS]
EXPORTED = [column.name for column in PARTICIPANT_COLUMNS if column.exported]

YES_NO = {True: "yes", False: "no", None: ""}


def file_values(participant):
    """{column: text} of one participant in the import's formats (ISO dates, codes, yes/no),
    for every exported column."""
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
    }
    return {name: values[name] for name in EXPORTED}
