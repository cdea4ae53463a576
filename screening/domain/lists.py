"""Uploading METI's End User List (外国ユーザーリスト) as CSV or XLSX.

The file is read as the participants' import reads spreadsheets (`read_table`: size, zip bomb,
encoding and bounds checked); every problem is reported as row N, column C, and nothing is saved
until the whole file is clean. A saved list is in force at once: every partner institution is
matched against it.
"""

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from participants.domain.importing import UnreadableFile, read_table

from ..models import EndUserList, ListedEntity
from .matching import screen_everyone

# The columns of the file, in this order, with these headers (English or Japanese).
COLUMNS = ["name", "aliases", "country", "concerns"]
HEADERS = {
    "name": {"name", "entity name", "企業名", "名称"},
    "aliases": {"aliases", "other names", "別名"},
    "country": {"country", "country or region", "国名", "国・地域"},
    "concerns": {"concerns", "types of concern", "懸念区分"},
}
MAX_ENTRIES = 5000
# A small, entirely fictional list (invented names and countries) for the demo and the tests.
FICTIONAL_LIST = Path(__file__).resolve().parent.parent / "fixtures" / "fictional_end_user_list.csv"
ALIAS_SEPARATORS = (";", "；", "|")


class ListRefused(Exception):
    """The file cannot become a list: `errors` is [(row, column, message)]."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def _text(cell):
    return str(cell).strip() if cell is not None else ""


def _aliases(cell):
    text = _text(cell)
    for separator in ALIAS_SEPARATORS[1:]:
        text = text.replace(separator, ALIAS_SEPARATORS[0])
    return [alias.strip() for alias in text.split(ALIAS_SEPARATORS[0]) if alias.strip()]


def read_list(name, content):
    """[{name, aliases, country, concerns, row}] from the file; ListRefused with every problem."""
    try:
        table = read_table(name, content, max_rows=MAX_ENTRIES + 1, max_columns=len(COLUMNS) + 5)
    except UnreadableFile as refused:
        raise ListRefused([(None, None, refused.message)]) from refused
    if not table:
        raise ListRefused([(1, None, _("The file is empty."))])
    errors = []
    header = [_text(cell).casefold() for cell in table[0]]
    for index, column in enumerate(COLUMNS):
        found = header[index] if index < len(header) else ""
        if found not in HEADERS[column]:
            errors.append(
                (
                    1,
                    index + 1,
                    _("Column %(number)s must be “%(column)s”, not “%(found)s”.")
                    % {"number": index + 1, "column": column, "found": found},
                )
            )
    if errors:
        raise ListRefused(errors)
    if len(table) > MAX_ENTRIES + 1:
        raise ListRefused(
            [(None, None, _("The list has more than %(n)s entries.") % {"n": MAX_ENTRIES})]
        )
    entries = []
    for number, cells in enumerate(table[1:], start=2):
        cells = list(cells) + [""] * (len(COLUMNS) - len(cells))
        if not any(_text(cell) for cell in cells):
            continue
        entry = {
            "row": number,
            "name": _text(cells[0]),
            "aliases": _aliases(cells[1]),
            "country": _text(cells[2]),
            "concerns": _text(cells[3]),
        }
        if not entry["name"]:
            errors.append((number, 1, _("The entity name is missing.")))
        if not entry["country"]:
            errors.append((number, 3, _("The country or region is missing.")))
        for column, limit in (("name", 300), ("country", 100), ("concerns", 200)):
            if len(entry[column]) > limit:
                errors.append(
                    (
                        number,
                        COLUMNS.index(column) + 1,
                        _("At most %(limit)s characters.") % {"limit": limit},
                    )
                )
        entries.append(entry)
    if not entries and not errors:
        errors.append((2, None, _("The list has no entries.")))
    if errors:
        raise ListRefused(errors)
    return entries


def upload_list(name, content, *, version, published_on, by):
    """Save a new End User List from a file and match every partner institution against it.

    Side effects, in one transaction: an EndUserList with its ListedEntity rows; every
    partner's ScreeningMatch rows replaced (resolutions kept for the same entity name).
    Raises ListRefused with [(row, column, message)]; nothing is saved then.
    """
    entries = read_list(name, content)
    with transaction.atomic():
        end_user_list = EndUserList.objects.create(
            version=version, published_on=published_on, original_name=name[:255], uploaded_by=by
        )
        ListedEntity.objects.bulk_create(
            ListedEntity(source_list=end_user_list, **entry) for entry in entries
        )
        if end_user_list == EndUserList.objects.first():
            screen_everyone(end_user_list)
    return end_user_list
