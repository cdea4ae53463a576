"""Text typed by hosts, reviewers and participants is never run as a formula by a spreadsheet
(OWASP, "CSV Injection"): a cell beginning with =, +, -, @, a tab or a carriage return."""

import io

import pytest

from common.spreadsheets import csv_writer, looks_like_formula, safe_cell, unescaped

FORMULAS = [
    '=HYPERLINK("https://evil.example/","Click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_safe_cell_puts_an_apostrophe_before_formula_like_text(text):
    assert safe_cell(text) == "'" + text
    assert unescaped(safe_cell(text)) == text


@pytest.mark.parametrize(
    "value", ["NGUYEN", "Nguyễn Văn An", "a=b", "O'Brien", "", None, 42, -7, "-12", "3.5", "1,000"]
)
def test_safe_cell_leaves_other_values_and_plain_numbers_as_they_are(value):
    assert safe_cell(value) == value
    assert not looks_like_formula(value)


def test_csv_writer_writes_formula_like_text_as_text():
    out = io.StringIO()
    csv_writer(out).writerows([["=1+1", "NGUYEN", 5]])
    assert out.getvalue() == "'=1+1,NGUYEN,5\r\n"
