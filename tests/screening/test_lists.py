"""Staff upload the End User List as CSV or XLSX; a bad file is refused with every problem at
its row and column, and nothing is saved."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from screening.domain.lists import ListRefused, read_list, upload_list
from screening.domain.matching import list_in_force
from screening.models import EndUserList

pytestmark = pytest.mark.django_db

GOOD = (
    "name,aliases,country,concerns\n"
    "Kestrel Dynamics Research Center,Kestrel Research Centre; KDRC,Zephyria (fictional),Chemical\n"
)


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_csv_list_is_read_with_aliases():
    [entry] = read_list("list.csv", GOOD.encode())

    assert entry == {
        "row": 2,
        "name": "Kestrel Dynamics Research Center",
        "aliases": ["Kestrel Research Centre", "KDRC"],
        "country": "Zephyria (fictional)",
        "concerns": "Chemical",
    }


def test_xlsx_list_with_japanese_headers_is_read():
    content = xlsx(
        [
            ["企業名", "別名", "国名", "懸念区分"],
            ["Aurora Fictional Defence Laboratory", None, "X", "C"],
        ]
    )

    [entry] = read_list("list.xlsx", content)

    assert entry["name"] == "Aurora Fictional Defence Laboratory"
    assert entry["aliases"] == []


def test_wrong_columns_refused_at_their_column():
    with pytest.raises(ListRefused) as refused:
        read_list("list.csv", b"entity,country,aliases,concerns\nA,B,C,D\n")

    columns = [(row, column) for row, column, _message in refused.value.errors]
    assert columns == [(1, 1), (1, 2), (1, 3)]


def test_missing_name_and_country_refused_at_their_row_and_column():
    content = b"name,aliases,country,concerns\nGood One,,X,\n,,X,\nNo Country,,,\n"

    with pytest.raises(ListRefused) as refused:
        read_list("list.csv", content)

    assert [(row, column) for row, column, _m in refused.value.errors] == [(3, 1), (4, 3)]


def test_a_file_that_is_not_a_spreadsheet_is_refused():
    with pytest.raises(ListRefused) as refused:
        read_list("list.xlsx", b"PK\x03\x04 not really a zip")

    assert refused.value.errors[0][2] == "This is not a readable XLSX file."


def test_refused_upload_saves_nothing():
    with pytest.raises(ListRefused):
        upload_list("x.csv", b"a,b\n", version="1", published_on=date(2026, 1, 1), by=None)

    assert not EndUserList.objects.exists()


def test_the_newest_list_is_in_force():
    upload_list("a.csv", GOOD.encode(), version="old", published_on=date(2025, 1, 1), by=None)
    upload_list("b.csv", GOOD.encode(), version="new", published_on=date(2026, 1, 1), by=None)
    upload_list("c.csv", GOOD.encode(), version="late", published_on=date(2024, 1, 1), by=None)

    assert list_in_force().version == "new"
