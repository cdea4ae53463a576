"""Cells that a spreadsheet shows as text and never runs as a formula.

A name, title or report text beginning with =, +, -, @, a tab or a carriage return is read by
Excel and LibreOffice as a formula (`=HYPERLINK(…)` sends whoever clicks to another site;
OWASP, "CSV Injection"). Every CSV and XLSX the portal writes goes through this module: CSV
through defusedcsv's writer with `safe_cell()` in front of it, XLSX through `xlsx_row()`, which
stores such a value as a string cell with its text unchanged.
"""

import re

from defusedcsv import csv as defused_csv
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number (-12, 3.5, 1,000) is not a formula in any spreadsheet: left as it is.
PLAIN_NUMBER = re.compile(r"-?[0-9][0-9,.]*")


def looks_like_formula(value):
    """Whether a spreadsheet would take this text for a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value)
    )


def safe_cell(value):
    """The value for a CSV cell: text that looks like a formula gets a leading apostrophe,
    which spreadsheets read as "this is text" (the rest of the text is kept as it was)."""
    return "'" + value if looks_like_formula(value) else value


def unescaped(text):
    """The text as it was before `safe_cell()`: an exported file imports back unchanged."""
    if text.startswith("'") and looks_like_formula(text[1:]):
        return text[1:]
    return text


class SafeCsvWriter:
    """csv.writer's `writerow` and `writerows`, every cell through `safe_cell()` and defusedcsv."""

    def __init__(self, out, **options):
        self.writer = defused_csv.writer(out, **options)

    def writerow(self, row):
        return self.writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **options):
    return SafeCsvWriter(out, **options)


def xlsx_row(sheet, values):
    """The cells of one row for `sheet.append()`: text that looks like a formula is stored as a
    string cell (never `<f>`), its visible text unchanged."""
    cells = []
    for value in values:
        if looks_like_formula(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells
