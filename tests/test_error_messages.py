"""One mistake, one message (issue 11, item 4): the cause first, with file, row, column and a hint a
spreadsheet user can act on; what it keeps from being checked folded under it, never reported as a cause.

Each case is a file as a spreadsheet writes it, built from tests/fixtures/minimal, run through the real CLI.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT

COMMAS = (
    "save it as 'CSV UTF-8 (comma-separated)' with ',' as the field delimiter "
    "(a spreadsheet set to German writes ';' unless its list separator is ',')"
)


def build(tmp_path: Path, data: Path) -> list[str]:
    """The lines ``clusterlod build`` prints about the source data; it must exit 1."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "publisher",
            "build",
            "--data",
            str(data),
            "--releases",
            str(tmp_path / "rel"),
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Invalid source data"))
    return lines[start:]


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write(path: Path, table: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> None:
    """Write as a spreadsheet does: CRLF line ends, quotes only where needed."""
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    path.write_bytes(text.getvalue().encode(encoding))


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_extra_column_is_one_problem_and_the_references_to_its_table_are_folded(
    tmp_path: Path, data_dir: Path
) -> None:
    table = rows(data_dir / "organisations.csv")
    write(data_dir / "organisations.csv", [table[0] + ["Bemerkung"], table[1] + ["geprüft"]])
    assert build(tmp_path, data_dir) == [
        "Invalid source data: 1 problem(s)",
        "  organisations.csv:1 column 'Bemerkung': unknown column: delete it, or name it as one of id, kind, "
        "label_de, label_en, homepage, place, source",
        "    (3 references to organisations.csv could not be checked because its header is wrong)",
    ]


def test_a_semicolon_separated_excel_export_is_told_to_use_commas(tmp_path: Path, data_dir: Path) -> None:
    path = data_dir / "organisations.csv"
    write(path, rows(path), encoding="utf-8-sig", delimiter=";")  # Excel "CSV UTF-8" in a German Windows
    assert build(tmp_path, data_dir) == [
        "Invalid source data: 1 problem(s)",
        f"  organisations.csv:1: the columns are separated by semicolons, not by commas: {COMMAS}",
        "    (3 references to organisations.csv could not be checked because it is not comma-separated)",
    ]


def test_a_tab_separated_export_is_told_to_use_commas(tmp_path: Path, data_dir: Path) -> None:
    path = data_dir / "people.csv"
    write(path, rows(path), delimiter="\t")
    assert build(tmp_path, data_dir) == [
        "Invalid source data: 1 problem(s)",
        f"  people.csv:1: the columns are separated by tabs, not by commas: {COMMAS}",
        "    (2 references to people.csv could not be checked because it is not comma-separated)",
    ]


def test_a_misspelt_header_asks_did_you_mean(tmp_path: Path, data_dir: Path) -> None:
    replace(data_dir / "fields.csv", "id,label_de,label_en", "id,lable_de,Label_EN")
    assert build(tmp_path, data_dir) == [
        "Invalid source data: 2 problem(s)",
        "  fields.csv:1 column 'Label_EN': unknown column; did you mean label_en?",
        "  fields.csv:1 column 'lable_de': unknown column; did you mean label_de?",
        "    (1 reference to fields.csv could not be checked because its header is wrong)",
    ]


def test_a_windows_1252_file_is_one_message_with_a_count(tmp_path: Path, data_dir: Path) -> None:
    path = data_dir / "events.csv"
    replace(path, "Testwoche,Test week", "Testwoche für Größen,Test week")
    replace(path, "Eine synthetische Testwoche.", "Eine Woche über Äpfel.")
    write(path, rows(path), encoding="cp1252")  # Excel's "CSV (Trennzeichen-getrennt)", but with commas
    assert build(tmp_path, data_dir) == [
        "Invalid source data: 1 problem(s)",
        "  events.csv:2 column 'label_de': the file is not UTF-8 (it looks like Windows-1252, 'ANSI'): "
        "3 cells in 2 rows have bytes that are not UTF-8, the first here; "
        "save it as 'CSV UTF-8 (comma-separated)'",
        "    (1 reference to rows of events.csv that are not UTF-8 could not be checked "
        "until the file is saved as UTF-8)",
    ]


def test_a_utf16_unicode_text_export_is_named(tmp_path: Path, data_dir: Path) -> None:
    path = data_dir / "people.csv"
    write(path, rows(path), encoding="utf-16")
    assert build(tmp_path, data_dir) == [
        "Invalid source data: 1 problem(s)",
        "  people.csv: the file is not UTF-8 (it looks like UTF-16, a spreadsheet's 'Unicode text'): "
        "save it as 'CSV UTF-8 (comma-separated)'",
        "    (2 references to people.csv could not be checked because it is not UTF-8)",
    ]


def test_a_german_date_says_how_to_write_it_and_nothing_else(tmp_path: Path, data_dir: Path) -> None:
    replace(
        data_dir / "events.csv",
        "week,series,Testwoche,Test week,2017-04-20",
        "week,series,Testwoche,Test week,20.04.2017",
    )
    assert build(tmp_path, data_dir) == [
        "Invalid source data: 1 problem(s)",
        "  events.csv:2 column 'start': '20.04.2017' is not a date: expected YYYY-MM-DD; write 2017-04-20",
        "    (2 references to 'week' could not be checked until this row is fixed)",
    ]


def test_a_date_with_a_time_and_a_german_month_say_how_to_write_them(tmp_path: Path, data_dir: Path) -> None:
    replace(data_dir / "posts.csv", "2017-04-19", "2017-04-19 00:00:00")
    replace(data_dir / "initiatives.csv", ",2006,", ",3.2006,")
    assert build(tmp_path, data_dir) == [
        "Invalid source data: 2 problem(s)",
        "  initiatives.csv:2 column 'founded': '3.2006' is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD; "
        "write 2006-03",
        "    (2 references to 'ini-one' could not be checked until this row is fixed)",
        "  posts.csv:2 column 'attested': '2017-04-19 00:00:00' is not a date: expected YYYY-MM-DD; "
        "write 2017-04-19 (the date without the time)",
    ]


def test_a_municipality_key_without_its_leading_zero_comes_first(tmp_path: Path, data_dir: Path) -> None:
    replace(data_dir / "places.csv", "08111000", "8111000")
    replace(data_dir / "events.csv", "person-a,org-ministry", "person-b,org-ministry")  # a real second cause
    assert build(tmp_path, data_dir) == [
        "Invalid source data: 2 problem(s)",
        "  places.csv:3 column 'ags': '8111000' is not an 8-digit official municipality key "
        "such as 08111000; write 08111000: a spreadsheet drops a leading zero "
        "unless the column is formatted as text",
        "    (3 references to 'place-town' could not be checked until this row is fixed)",
        "  events.csv:2 column 'patrons': refers to 'person-b', which is not an id in people.csv",
    ]


def test_a_5_mb_cell_is_named_by_file_row_and_column(tmp_path: Path, data_dir: Path) -> None:
    replace(data_dir / "events.csv", "Eine synthetische Testwoche.", "x" * 5_000_000)
    assert build(tmp_path, data_dir) == [
        "Invalid source data: 1 problem(s)",
        "  events.csv:2 column 'description_de': the cell has 5,000,000 characters; a cell may hold at most "
        "32,767, as in a spreadsheet: shorten it, or close a '\"' that a cell before it left open",
        "    (2 references to 'week' could not be checked until this row is fixed)",
    ]


def test_a_cell_of_32767_characters_is_read(tmp_path: Path, data_dir: Path) -> None:
    replace(data_dir / "events.csv", "Eine synthetische Testwoche.", "x" * 32_767)
    done = subprocess.run(
        [sys.executable, "-m", "publisher", "validate", "--data", str(data_dir)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_a_quote_never_closed_is_named_with_the_rest_of_the_file_folded(
    tmp_path: Path, data_dir: Path
) -> None:
    replace(data_dir / "events.csv", "Eine synthetische Testwoche.", '"Eine synthetische Testwoche.')
    assert build(tmp_path, data_dir) == [
        "Invalid source data: 1 problem(s)",
        "  events.csv:2: not readable as CSV: unexpected end of data: "
        "a cell opens a '\"' that is never closed; close it, or double a '\"' inside a quoted cell",
        "    (1 reference to events.csv could not be checked because it could not be read past row 1)",
    ]


def test_a_reference_to_a_row_that_was_read_is_still_checked(tmp_path: Path, data_dir: Path) -> None:
    """Folding is no blanket: a bad cell in one row keeps references to other rows checked."""
    replace(
        data_dir / "events.csv",
        "week,series,Testwoche,Test week,2017-04-20",
        "week,series,Testwoche,Test week,20.04.2017",
    )
    replace(data_dir / "observations.csv", "obs-members,ini-one", "obs-members,ini-two")
    assert build(tmp_path, data_dir)[3:] == [
        "  observations.csv:3 column 'about': refers to 'ini-two', which is not an id in initiatives.csv or "
        "organisations.csv or places.csv or events.csv or people.csv or fields.csv or documents.csv",
    ]


def test_a_quote_inside_a_cell_that_is_not_doubled_is_named(tmp_path: Path, data_dir: Path) -> None:
    replace(data_dir / "events.csv", ",Testhaus,", ',"Testhaus" Mitte,')
    assert build(tmp_path, data_dir) == [
        "Invalid source data: 1 problem(s)",
        "  events.csv:3: not readable as CSV: ',' expected after '\"': "
        'a \'"\' inside a quoted cell must be doubled ("")',
    ]


def test_a_loop_in_the_field_hierarchy_is_named_with_every_row_of_it(tmp_path: Path, data_dir: Path) -> None:
    """Built, a loop made the fields in it (and the initiatives in them) vanish from the home page."""
    replace(
        data_dir / "fields.csv",
        "field-top,Testfelder,Test fields,,",
        "field-top,Testfelder,Test fields,field-x,",
    )
    assert build(tmp_path, data_dir) == [
        "Invalid source data: 1 problem(s)",
        "  fields.csv:2 column 'broader': the rows form a loop by broader: "
        "field-top (row 2) → field-x (row 3) → field-top; a row cannot lie below itself: "
        "point one of them elsewhere or leave its broader empty",
    ]


def test_a_second_row_for_a_document_s_url_names_the_first(tmp_path: Path, data_dir: Path) -> None:
    path = data_dir / "documents.csv"
    table = rows(path)
    write(path, [*table, ["doc-c", "Noch einmal A", "de", "Testverlag", "", table[1][5], "doc-c"]])
    assert build(tmp_path, data_dir) == [
        "Invalid source data: 1 problem(s)",
        "  documents.csv:4 column 'url': the same URL as documents.csv row 2 ('doc-a'): a page has one row; "
        "delete this row and cite 'doc-a' where 'doc-c' is cited",
    ]
