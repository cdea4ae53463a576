"""A letter's text layer gives back the participant's name as typed, in every script.

Consulates search and copy names out of the PDF and screen readers read them aloud: the text
extracted from the letter must be the name itself, not the glyphs as drawn. Shaped scripts
reorder and join glyphs (Devanagari's reph, Bengali's and Sinhala's vowel signs, Myanmar's
medials, Khmer's subscripts), so this is read with poppler's pdftotext, as a reader that
honours the PDF's /ActualText does.
"""

import shutil
import subprocess

import pytest

from letters.domain.letters import issue_letter
from tests.participants.builders import registered

pytestmark = pytest.mark.django_db

NAMES = [
    # (nationality, family name, given name, native name). Before the fix pdftotext gave
    # e.g. "प्रिया श ार्मा", "নি র্মল সেনিগুপ্ত" and "දි නේෂ් ප්‍රියනේත".
    ("IN", "SHARMA", "Priya", "प्रिया शर्मा"),
    ("MM", "AUNG", "San Suu", "အောင်ဆန်းစုကြည်"),
    ("KH", "SOK", "Chandara", "សុខ ចាន់ដារ៉ា"),
    ("BD", "SENGUPTA", "Nirmal", "নির্মল সেনগুপ্ত"),
    ("LK", "PRIYANTHA", "Dinesh", "දිනේෂ් ප්‍රියන්ත"),
    ("TH", "SAETANG", "Somchai", "สมชาย แซ่ตั้ง"),
]


def extracted_text(letter):
    """The letter's text as poppler's pdftotext gives it (Debian poppler-utils)."""
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed: make test installs it"
    with letter.file.open("rb") as stream:
        pdf = stream.read()
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


@pytest.mark.parametrize(
    ("nationality", "family_name", "given_name", "native_name"),
    NAMES,
    ids=[row[0] for row in NAMES],
)
def test_native_name_reads_back_from_the_letter(
    plan, nationality, family_name, given_name, native_name
):
    participant = registered(
        plan,
        family_name=family_name,
        given_name=given_name,
        native_name=native_name,
        nationality=nationality,
        email=f"{family_name.lower()}@example.org",
    )

    text = extracted_text(issue_letter(participant))

    assert native_name in text
    assert f"{family_name} {given_name}" in text
