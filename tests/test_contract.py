"""One contract (issue 11, item 5): every rule of data/README.md, both ways. Each rule has inputs that are
read as the contract says, and inputs that are refused with exactly the problems the contract promises: file,
row and column, a hint, and nothing that merely follows from it.

Each case changes a copy of tests/fixtures/minimal as a spreadsheet user would; the rules' names are the
first column of the general rules' table in data/README.md (section 1) and the rules of sections 2 and 3.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import hypothesis
import pyoxigraph as ox
import pytest
import requests
from hypothesis import strategies as st
from rdflib import Graph

from publisher.cells import PartialDate
from publisher.errors import SourceDataError
from publisher.hints import PLACEHOLDERS
from publisher.read import SourceData, read_sources
from publisher.tables import PUBLICATION, REPLACEMENTS, TABLES, Column, Table, ValueType
from tests.conftest import MINIMAL, PROJECT
from tests.server import running_server

README = PROJECT / "data" / "README.md"
COMMAS = (
    "save it as 'CSV UTF-8 (comma-separated)' with ',' as the field delimiter "
    "(a spreadsheet set to German writes ';' unless its list separator is ',')"
)
ONE_LINE = (
    "write it on one line (only description_de and note may hold paragraphs); "
    "a spreadsheet puts a line break into a cell with Alt+Enter"
)
# Rules outside the general rules' table, each with the words of data/README.md that state it
OTHER_RULES = {
    "References": "Every reference must\npoint to an existing row of the right table",
    "One row per URL": "No URL\n  may appear twice",
    "A document is its own source": "A document's own `source` is its own id, and only its own id",
    "Identifiers": "Every identifier cell is checked against its authority's pattern",
}


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def table(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def write(path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> None:
    """Write as a spreadsheet does: CRLF line ends, quotes only where needed."""
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))


def set_cell(path: Path, row_id: str, column: str, value: str) -> None:
    """Set one cell, written back as a spreadsheet writes it (quoted where needed)."""
    rows = table(path)
    position = rows[0].index(column)
    row = next(r for r in rows if r[0] == row_id)
    row[position] = value
    write(path, rows)


def report(data: Path) -> list[str]:
    """The problems ``read_sources`` raises, as the CLI lists them; fails when the data is read."""
    with pytest.raises(SourceDataError) as raised:
        read_sources(data)
    lines = []
    for problem in raised.value.problems:
        lines.append(str(problem))
        if problem.follow_ons:
            lines.append(f"  ({problem.follow_ons})")
    return lines


@dataclass(frozen=True)
class Case:
    rule: str
    name: str
    change: Callable[[Path], None]
    check: Callable[[SourceData], bool] | None = None  # accepted: what was read
    problems: tuple[str, ...] = ()  # refused: every line reported


def accepted(
    rule: str, name: str, change: Callable[[Path], None], check: Callable[[SourceData], bool]
) -> Case:
    return Case(rule, name, change, check=check)


def refused(rule: str, name: str, change: Callable[[Path], None], *problems: str) -> Case:
    return Case(rule, name, change, problems=problems)


def value(key: str, column: str) -> Callable[[SourceData], object]:
    return lambda data: data.by_id[key].get(column)


def _reordered(data: Path) -> None:
    rows = table(data / "fields.csv")
    write(data / "fields.csv", [list(reversed(row)) for row in rows])


def _without_label_en(data: Path) -> None:
    write(data / "fields.csv", [row[:2] + row[3:] for row in table(data / "fields.csv")])


def _field_loop(data: Path) -> None:
    replace(
        data / "fields.csv",
        "field-x,Testfeld X,Test field X,field-top",
        "field-x,Testfeld X,Test field X,field-y",
    )
    append(data / "fields.csv", "field-y,Testfeld Y,,field-x,doc-a")


def _url(url: str) -> Callable[[Path], None]:
    return lambda data: replace(data / "documents.csv", "https://example.org/synthetic/a", url)


def _cp1252(data: Path) -> None:
    write(data / "events.csv", table(data / "events.csv"), encoding="cp1252")


ACCEPTED = [
    accepted(
        "Files",
        "a table with its header only",
        lambda d: (d / "observations.csv").write_text(
            "id,about,measure,value,qualifier,ref_date,label_de,label_en,source\n", encoding="utf-8"
        ),
        lambda data: data.table("observations") == [],
    ),
    accepted(
        "Files",
        "replacements.csv with its header only",
        lambda d: (d / "replacements.csv").write_text("id,replaced_by,source\n", encoding="utf-8"),
        lambda data: data.replacements == [],
    ),
    accepted(
        "Encoding",
        "a byte-order mark, as Excel's 'CSV UTF-8' writes it",
        lambda d: (d / "people.csv").write_bytes(b"\xef\xbb\xbf" + (d / "people.csv").read_bytes()),
        lambda data: data.by_id["person-a"].get("id") == "person-a",
    ),
    accepted(
        "Encoding",
        "umlauts and typographic quotes as they are",
        lambda d: set_cell(d / "events.csv", "opening", "venue", "„Haus der Wirtschaft“ \u2013 Süd"),
        lambda data: value("opening", "venue")(data) == "„Haus der Wirtschaft“ \u2013 Süd",
    ),
    accepted(
        "Format",
        "CRLF line ends and quotes where needed, as a spreadsheet writes",
        lambda d: write(d / "events.csv", table(d / "events.csv")),
        lambda data: value("week", "label_de")(data) == "Testwoche",
    ),
    accepted(
        "Format",
        "an empty row and spaces around a cell",
        lambda d: (
            append(d / "fields.csv", ",,,,"),
            replace(d / "fields.csv", "field-top,Testfelder,", "field-top,  Testfelder ,"),
        ),
        lambda data: value("field-top", "label_de")(data) == "Testfelder" and len(data.table("fields")) == 2,
    ),
    accepted(
        "Quoting",
        "a comma and doubled quotes in a quoted cell",
        lambda d: replace(d / "events.csv", ",Testhaus,", ',"Testhaus, ""Mitte""",'),
        lambda data: value("opening", "venue")(data) == 'Testhaus, "Mitte"',
    ),
    accepted(
        "Quoting",
        "a semicolon without quotes",
        lambda d: replace(d / "initiatives.csv", ",Spitzencluster,", ",Spitzencluster; CE-BW,"),
        lambda data: value("ini-one", "status")(data) == "Spitzencluster; CE-BW",
    ),
    accepted(
        "Line breaks",
        "paragraphs in description_de",
        lambda d: set_cell(
            d / "events.csv", "week", "description_de", "Erster Absatz.\r\n\r\nZweiter Absatz."
        ),
        lambda data: value("week", "description_de")(data) == "Erster Absatz.\n\nZweiter Absatz.",
    ),
    accepted(
        "Line breaks",
        "a line break in note",
        lambda d: set_cell(d / "initiatives.csv", "ini-one", "note", "Zeile eins\nZeile zwei"),
        lambda data: value("ini-one", "note")(data) == "Zeile eins\nZeile zwei",
    ),
    accepted(
        "Control characters",
        "a non-breaking space and a soft hyphen are read as they are",
        lambda d: set_cell(d / "people.csv", "person-a", "family_name", "Mus\u00adter\u00a0A"),
        lambda data: value("person-a", "family_name")(data) == "Mus\u00adter\u00a0A",
    ),
    accepted(
        "Columns",
        "columns in another order",
        _reordered,
        lambda data: value("field-x", "broader")(data) == "field-top",
    ),
    accepted(
        "Columns",
        "an optional column left out",
        _without_label_en,
        lambda data: value("field-x", "label_en")(data) is None,
    ),
    accepted(
        "Cell size",
        "a cell of 32,767 characters",
        lambda d: replace(d / "events.csv", "Eine synthetische Testwoche.", "x" * 32_767),
        lambda data: len(str(value("week", "description_de")(data))) == 32_767,
    ),
    accepted(
        "`id`",
        "a slug with digits and hyphens",
        lambda d: replace(d / "posts.csv", "post-a,", "post-2017-a,"),
        lambda data: "post-2017-a" in data.by_id,
    ),
    accepted(
        "`source`",
        "several documents",
        lambda d: replace(d / "people.csv", "Muster,doc-a", 'Muster,"doc-a;doc-b"'),
        lambda data: data.by_id["person-a"].refs("source") == ("doc-a", "doc-b"),
    ),
    accepted(
        "Lists",
        "spaces around the values",
        lambda d: replace(d / "initiatives.csv", "TC ; Test-Cluster", "TC;Test-Cluster"),
        lambda data: data.by_id["ini-one"].refs("alt_labels") == ("TC", "Test-Cluster"),
    ),
    accepted(
        "Dates",
        "a month in a year-ish column",
        lambda d: replace(d / "initiatives.csv", ",2006,", ",2002-12,"),
        lambda data: value("ini-one", "founded")(data) == PartialDate("2002-12", "month"),
    ),
    accepted(
        "Integers",
        "a stated zero",
        lambda d: replace(d / "observations.csv", "events,127", "events,0"),
        lambda data: value("obs-events", "value")(data) == 0,
    ),
    accepted(
        "URLs",
        "a space and a '|' are percent-encoded",
        _url("https://example.org/a b|c"),
        lambda data: value("doc-a", "url")(data) == "https://example.org/a%20b%7Cc",
    ),
    accepted(
        "URLs",
        "square brackets and a lone '%' are percent-encoded",
        _url("https://example.org/x?n[id]=1&p=5%"),
        lambda data: value("doc-a", "url")(data) == "https://example.org/x?n%5Bid%5D=1&p=5%25",
    ),
    accepted(
        "URLs",
        "what is percent-encoded already, and umlauts, stay",
        _url("https://example.org/M%C3%BCller/für"),
        lambda data: value("doc-a", "url")(data) == "https://example.org/M%C3%BCller/für",
    ),
    accepted(
        "URLs",
        "http stays http",
        _url("http://example.org/a"),
        lambda data: value("doc-a", "url")(data) == "http://example.org/a",
    ),
    accepted(
        "Empty cell",
        "an empty optional cell is absent",
        lambda d: None,
        lambda data: "end" not in data.by_id["post-a"].values,
    ),
    accepted(
        "Hierarchies",
        "a chain of three levels",
        lambda d: append(d / "fields.csv", "field-y,Testfeld Y,,field-x,doc-a"),
        lambda data: value("field-y", "broader")(data) == "field-x",
    ),
    accepted(
        "References",
        "a reference to a row of the right table",
        lambda d: None,
        lambda data: data.by_id["post-a"].refs("holder") == ("person-a",),
    ),
    accepted(
        "One row per URL",
        "http and https of one path are two documents",
        lambda d: append(d / "documents.csv", "doc-c,C,de,Test,,http://example.org/synthetic/a,doc-c"),
        lambda data: "doc-c" in data.by_id,
    ),
    accepted(
        "A document is its own source",
        "its own id",
        lambda d: None,
        lambda data: data.by_id["doc-b"].refs("source") == ("doc-b",),
    ),
    accepted(
        "Identifiers",
        "a municipality key with its leading zero",
        lambda d: None,
        lambda data: value("place-town", "ags")(data) == "08111000",
    ),
]

REFUSED = [
    refused(
        "Files",
        "a table missing",
        lambda d: (d / "posts.csv").unlink(),
        "posts.csv: file missing: every table needs at least its header",
    ),
    refused(
        "Files",
        "an empty file",
        lambda d: (d / "observations.csv").write_bytes(b""),
        "observations.csv:1: empty file: expected a header row",
    ),
    refused(
        "Files",
        "a file that is no table",
        lambda d: (d / "members.csv").write_text("id,source\n"),
        "members.csv: unknown table; expected one of "
        + ", ".join(t.file_name for t in (*TABLES, REPLACEMENTS, PUBLICATION)),
    ),
    refused(
        "Encoding",
        "Windows-1252 ('ANSI')",
        _cp1252,
        "events.csv:3 column 'label_de': the file is not UTF-8 (it looks like Windows-1252, "
        "'ANSI'): 1 cell in 1 row "
        "has bytes that are not UTF-8, the first here; save it as 'CSV UTF-8 (comma-separated)'",
    ),
    refused(
        "Encoding",
        "UTF-16 ('Unicode text')",
        lambda d: write(d / "people.csv", table(d / "people.csv"), "utf-16"),
        "people.csv: the file is not UTF-8 (it looks like UTF-16, a spreadsheet's 'Unicode text'): "
        "save it as 'CSV UTF-8 (comma-separated)'",
        "  (2 references to people.csv could not be checked because it is not UTF-8)",
    ),
    refused(
        "Format",
        "semicolons between the columns",
        lambda d: write(d / "people.csv", table(d / "people.csv"), delimiter=";"),
        f"people.csv:1: the columns are separated by semicolons, not by commas: {COMMAS}",
        "  (2 references to people.csv could not be checked because it is not comma-separated)",
    ),
    refused(
        "Format",
        "a row with too few cells",
        lambda d: append(d / "fields.csv", "field-y,Testfeld Y"),
        "fields.csv:4 column 'label_en': row has 2 cells; the header has 5",
    ),
    refused(
        "Quoting",
        "a quote never closed",
        lambda d: replace(d / "events.csv", "Eine synthetische Testwoche.", '"Eine synthetische Testwoche.'),
        "events.csv:2: not readable as CSV: unexpected end of data: a cell opens a '\"' that is "
        "never closed; "
        "close it, or double a '\"' inside a quoted cell",
        "  (1 reference to events.csv could not be checked because it could not be read past row 1)",
    ),
    refused(
        "Quoting",
        "a quote inside a quoted cell not doubled",
        lambda d: replace(d / "events.csv", ",Testhaus,", ',"Testhaus" Mitte,'),
        "events.csv:3: not readable as CSV: ',' expected after '\"': a '\"' inside a quoted cell "
        "must be doubled "
        '("")',
    ),
    refused(
        "Line breaks",
        "a line break in a label",
        lambda d: set_cell(d / "fields.csv", "field-x", "label_de", "Test\nfeld"),
        f"fields.csv:3 column 'label_de': the cell holds a line break: {ONE_LINE}",
        "  (1 reference to 'field-x' could not be checked until this row is fixed)",
    ),
    refused(
        "Line breaks",
        "a line break in a list of ids",
        lambda d: set_cell(d / "initiatives.csv", "ini-one", "source", "doc-a\ndoc-b"),
        f"initiatives.csv:2 column 'source': the cell holds a line break: {ONE_LINE}",
        "  (2 references to 'ini-one' could not be checked until this row is fixed)",
    ),
    refused(
        "Columns",
        "a misspelt column",
        lambda d: replace(d / "fields.csv", "id,label_de,label_en", "id,label_de,lable_en"),
        "fields.csv:1 column 'lable_en': unknown column; did you mean label_en?",
        "  (1 reference to fields.csv could not be checked because its header is wrong)",
    ),
    refused(
        "Columns",
        "a column named twice",
        lambda d: replace(d / "people.csv", "family_name,source", "family_name,name,source"),
        "people.csv:1 column 'name': column appears twice in the header",
        "  (2 references to people.csv could not be checked because its header is wrong)",
    ),
    refused(
        "Cell size",
        "a cell of 32,768 characters",
        lambda d: replace(d / "events.csv", "Eine synthetische Testwoche.", "x" * 32_768),
        "events.csv:2 column 'description_de': the cell has 32,768 characters; a cell may hold at "
        "most 32,767, as "
        "in a spreadsheet: shorten it, or close a '\"' that a cell before it left open",
        "  (2 references to 'week' could not be checked until this row is fixed)",
    ),
    refused(
        "`id`",
        "an id that is no slug",
        lambda d: replace(d / "posts.csv", "post-a,", "Post A,"),
        "posts.csv:2 column 'id': 'Post A' is not an id: expected lowercase letters, digits and '-'",
    ),
    refused(
        "`id`",
        "an id in two tables",
        lambda d: append(d / "fields.csv", "ini-one,Feld,,field-top,doc-a"),
        "initiatives.csv:2 column 'id': duplicate id 'ini-one'; first in fields.csv row 4",
    ),
    refused(
        "`source`",
        "no source",
        lambda d: replace(d / "posts.csv", "2017-04-19,doc-a", "2017-04-19,"),
        "posts.csv:2 column 'source': required value is empty",
    ),
    refused(
        "`source`",
        "a source that is no document",
        lambda d: replace(d / "posts.csv", "2017-04-19,doc-a", "2017-04-19,week"),
        "posts.csv:2 column 'source': refers to 'week', which is not an id in documents.csv (it is "
        "in events.csv)",
    ),
    refused(
        "Lists",
        "an empty item",
        lambda d: replace(d / "initiatives.csv", "TC ; Test-Cluster", "TC;;Test-Cluster"),
        "initiatives.csv:2 column 'alt_labels': empty item in list 'TC;;Test-Cluster': separate "
        "values with ';'",
        "  (2 references to 'ini-one' could not be checked until this row is fixed)",
    ),
    refused(
        "Dates",
        "a German date",
        lambda d: replace(d / "posts.csv", "2017-04-19", "19.04.2017"),
        "posts.csv:2 column 'attested': '19.04.2017' is not a date: expected YYYY-MM-DD; write 2017-04-19",
    ),
    refused(
        "Dates",
        "a date that does not exist",
        lambda d: replace(d / "posts.csv", "2017-04-19", "2017-02-30"),
        "posts.csv:2 column 'attested': '2017-02-30' is not a date that exists",
    ),
    refused(
        "Dates",
        "a month that does not exist",
        lambda d: replace(d / "initiatives.csv", ",2006,", ",2006-13,"),
        "initiatives.csv:2 column 'founded': '2006-13' is not a month that exists",
        "  (2 references to 'ini-one' could not be checked until this row is fixed)",
    ),
    refused(
        "Integers",
        "thousands separators",
        lambda d: replace(d / "observations.csv", "events,127", "events,1.270"),
        "observations.csv:2 column 'value': '1.270' is not a non-negative whole number; write 1270 "
        "(digits only, "
        "no separators)",
    ),
    refused(
        "Integers",
        "a negative number",
        lambda d: replace(d / "observations.csv", "events,127", "events,-127"),
        "observations.csv:2 column 'value': '-127' is not a non-negative whole number",
    ),
    refused(
        "URLs",
        "no scheme",
        _url("www.example.org/a"),
        "documents.csv:2 column 'url': 'www.example.org/a' is not a web address: expected an "
        "absolute http(s) URL; "
        "write https://www.example.org/a (or http://, as the page has it)",
        "  (11 references to 'doc-a' could not be checked until this row is fixed)",
    ),
    refused(
        "URLs",
        "a space in the host name",
        _url("https://exam ple.org/a"),
        "documents.csv:2 column 'url': 'https://exam ple.org/a' is not a web address: expected an "
        "absolute http(s) "
        "URL such as https://example.org/page",
        "  (11 references to 'doc-a' could not be checked until this row is fixed)",
    ),
    refused(
        "Control characters",
        "a tab copied into a URL",
        _url("https://example.org/a\tb"),
        "documents.csv:2 column 'url': the cell holds a control character, U+0009: "
        "delete it (a spreadsheet does not show it; copied text brings it along, a tab most often)",
        "  (11 references to 'doc-a' could not be checked until this row is fixed)",
    ),
    refused(
        "Control characters",
        "a vertical tab in a label",
        lambda d: set_cell(d / "people.csv", "person-a", "family_name", "Mus\x0bter"),
        "people.csv:2 column 'family_name': the cell holds a control character, U+000B: "
        "delete it (a spreadsheet does not show it; copied text brings it along, a tab most often)",
        "  (2 references to 'person-a' could not be checked until this row is fixed)",
    ),
    refused(
        "Empty cell",
        "a dash for 'not stated'",
        lambda d: replace(d / "fields.csv", "Testfeld X,Test field X", "Testfeld X,-"),
        "fields.csv:3 column 'label_en': '-' is a placeholder: leave the cell empty when no source "
        "states the fact",
        "  (1 reference to 'field-x' could not be checked until this row is fixed)",
    ),
    refused(
        "Empty cell",
        "'k. A.' for 'not stated'",
        lambda d: replace(d / "posts.csv", "Test minister", "k. A."),
        "posts.csv:2 column 'role_en': 'k. A.' is a placeholder: leave the cell empty when no "
        "source states the fact",
    ),
    refused(
        "Hierarchies",
        "a loop of two fields",
        _field_loop,
        "fields.csv:3 column 'broader': the rows form a loop by broader: field-x (row 3) → field-y "
        "(row 4) → field-x; "
        "a row cannot lie below itself: point one of them elsewhere or leave its broader empty",
    ),
    refused(
        "Hierarchies",
        "a place within itself",
        lambda d: replace(d / "places.csv", "2953481,,doc-a", "2953481,place-state,doc-a"),
        "places.csv:2 column 'within': the rows form a loop by within: place-state (row 2) → place-state; "
        "a row cannot lie below itself: point one of them elsewhere or leave its within empty",
    ),
    refused(
        "Hierarchies",
        "a series in itself",
        lambda d: set_cell(d / "events.csv", "week", "series", "week"),
        "events.csv:2 column 'series': the rows form a loop by series: week (row 2) → week; "
        "a row cannot lie below itself: point one of them elsewhere or leave its series empty",
    ),
    refused(
        "References",
        "an id that exists nowhere",
        lambda d: replace(d / "posts.csv", "post-a,person-a", "post-a,person-z"),
        "posts.csv:2 column 'holder': refers to 'person-z', which is not an id in people.csv",
    ),
    refused(
        "One row per URL",
        "a second row with a document's URL",
        lambda d: append(d / "documents.csv", "doc-c,C,de,Test,,https://example.org/synthetic/a,doc-c"),
        "documents.csv:4 column 'url': the same URL as documents.csv row 2 ('doc-a'): a page has one row; "
        "delete this row and cite 'doc-a' where 'doc-c' is cited",
    ),
    refused(
        "One row per URL",
        "the same URL once percent-encoded",
        lambda d: (
            _url("https://example.org/a b")(d),
            append(d / "documents.csv", "doc-c,C,de,Test,,https://example.org/a%20b,doc-c"),
        ),
        "documents.csv:4 column 'url': the same URL as documents.csv row 2 ('doc-a'): a page has one row; "
        "delete this row and cite 'doc-a' where 'doc-c' is cited",
    ),
    refused(
        "A document is its own source",
        "another document as source",
        lambda d: replace(d / "documents.csv", "synthetic/b,doc-b", "synthetic/b,doc-a"),
        "documents.csv:3 column 'source': a document's source is its own id: write 'doc-b'",
    ),
    refused(
        "A document is its own source",
        "a typo in its own id, one problem",
        lambda d: replace(d / "documents.csv", "synthetic/b,doc-b", "synthetic/b,doc-bb"),
        "documents.csv:3 column 'source': a document's source is its own id: write 'doc-b'",
    ),
    refused(
        "A document is its own source",
        "its own id and another",
        lambda d: replace(d / "documents.csv", "synthetic/b,doc-b", 'synthetic/b,"doc-b;doc-a"'),
        "documents.csv:3 column 'source': a document's source is its own id: write 'doc-b'",
    ),
    refused(
        "Identifiers",
        "a municipality key without its leading zero",
        lambda d: replace(d / "places.csv", "08111000", "8111000"),
        "places.csv:3 column 'ags': '8111000' is not an 8-digit official municipality key such as "
        "08111000; write "
        "08111000: a spreadsheet drops a leading zero unless the column is formatted as text",
        "  (3 references to 'place-town' could not be checked until this row is fixed)",
    ),
]


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda c: f"{c.rule}: {c.name}")
def test_accepted(data_dir: Path, case: Case) -> None:
    case.change(data_dir)
    data = read_sources(data_dir)
    assert case.check is not None and case.check(data)


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: f"{c.rule}: {c.name}")
def test_refused_with_its_cause_only(data_dir: Path, case: Case) -> None:
    case.change(data_dir)
    assert report(data_dir) == list(case.problems)


def general_rules() -> list[str]:
    """The first column of the general rules' table of data/README.md."""
    section = README.read_text(encoding="utf-8").split("## 1. General rules", 1)[1].split("\n### ", 1)[0]
    return [m.group(1).strip() for m in re.finditer(r"^\| ([^|]+) \|", section, re.MULTILINE)][1:]


def test_every_rule_of_the_contract_is_tested_both_ways() -> None:
    rules = general_rules()
    assert "Encoding" in rules and "Hierarchies" in rules, rules
    text = README.read_text(encoding="utf-8")
    for rule, words in OTHER_RULES.items():
        assert " ".join(words.split()) in " ".join(text.split()), rule
    expected = set(rules) | set(OTHER_RULES)
    assert {c.rule for c in ACCEPTED} == expected
    assert {c.rule for c in REFUSED} == expected


@pytest.mark.parametrize("case", [c for c in ACCEPTED if c.rule == "URLs"], ids=lambda c: c.name)
def test_every_url_accepted_is_an_iri_the_store_takes(data_dir: Path, case: Case) -> None:
    case.change(data_dir)
    url = str(read_sources(data_dir).by_id["doc-a"].get("url"))
    assert ox.NamedNode(url).value == url


def test_paragraphs_and_encoded_urls_are_published_as_written(data_dir: Path, tmp_path: Path) -> None:
    """Through the real server: paragraphs reach the page as written (the page shows line breaks), and a
    URL with a space and a '|' reaches the store percent-encoded."""
    set_cell(data_dir / "events.csv", "week", "description_de", "Erster Absatz.\r\n\r\nZweiter Absatz.")
    _url("https://example.org/a b|c")(data_dir)
    (data_dir / "people.csv").write_bytes(b"\xef\xbb\xbf" + (data_dir / "people.csv").read_bytes())
    with running_server(tmp_path / "releases", data_dir) as url:
        page = requests.get(f"{url}doc/event/week", headers={"Accept": "text/html"}, timeout=30)
        assert page.status_code == 200
        assert "Erster Absatz.\n\nZweiter Absatz." in page.text
        style = requests.get(f"{url}static/style.css", timeout=30).text
        assert '<dl class="statements">' in page.text
        assert re.search(r"\.statements dd \{[^}]*white-space: pre-line", style)
        turtle = requests.get(f"{url}doc/document/doc-a", headers={"Accept": "text/turtle"}, timeout=30)
        assert "<https://example.org/a%20b%7Cc>" in turtle.text
        assert requests.get(f"{url}doc/person/person-a", timeout=30).status_code == 200


# A valid first row for each optional table the minimal fixture leaves out (the dated statements)
OPTIONAL_ROWS = {
    "labels": {"id": "award-a", "holder": "ini-one", "label": "esca-gold", "source": "doc-a"},
    "statuses": {"id": "status-a", "about": "ini-one", "status": "dissolved", "source": "doc-a"},
    "names": {"id": "name-a", "about": "ini-one", "name": "Testcluster alt", "lang": "de", "source": "doc-a"},
    "roles": {
        "id": "role-a",
        "role": "operator",
        "in": "ini-one",
        "agents": "org-ministry",
        "source": "doc-a",
    },
}


def with_table(data: Path, spec: Table) -> Path:
    """The table's file in ``data``, with one valid row written for an optional table the fixture lacks."""
    path = data / spec.file_name
    if not path.exists():
        row = OPTIONAL_ROWS[spec.name]
        write(path, [[c.name for c in spec.columns], [row.get(c.name, "") for c in spec.columns]])
        read_sources(data)  # valid as written
    return path


def test_every_optional_table_the_fixture_lacks_has_a_row_here() -> None:
    assert {t.name for t in TABLES if not (MINIMAL / t.file_name).exists()} == set(OPTIONAL_ROWS)


REQUIRED = [(t, c) for t in TABLES for c in t.columns if c.required and c.name != "id"]
CHOICES = [(t, c) for t in TABLES for c in t.columns if c.type is ValueType.CHOICE]


@pytest.mark.parametrize(("spec", "column"), REQUIRED, ids=[f"{t.name}.{c.name}" for t, c in REQUIRED])
def test_every_required_column_refuses_an_empty_cell(data_dir: Path, spec: Table, column: Column) -> None:
    """Section 4, "req.": the cell must not be empty; the problem names file, row and column."""
    path = with_table(data_dir, spec)
    first = table(path)[1][0]
    set_cell(path, first, column.name, "")
    assert f"{spec.file_name}:2 column '{column.name}': required value is empty" in report(data_dir)


@pytest.mark.parametrize(("spec", "column"), CHOICES, ids=[f"{t.name}.{c.name}" for t, c in CHOICES])
def test_every_allowed_value_is_read_and_another_refused(data_dir: Path, spec: Table, column: Column) -> None:
    """Section 4, "allowed values": each is read as it is; anything else is refused, listing them."""
    path = with_table(data_dir, spec)
    first = table(path)[1][0]
    for allowed in column.choices:
        set_cell(path, first, column.name, allowed)
        assert read_sources(data_dir).by_id[first].get(column.name) == allowed
    set_cell(path, first, column.name, "Sonstiges")
    expected = f"'Sonstiges' is not allowed; expected one of {', '.join(column.choices)}"
    assert f"{spec.file_name}:2 column '{column.name}': {expected}" in report(data_dir)


def _documented_required(spec: Table) -> set[str]:
    """The columns whose "req." cell says yes in the table's section of data/README.md."""
    text = README.read_text(encoding="utf-8")
    section = re.search(rf"^###[^\n]*\b{spec.file_name}\b.*?(?=^### |^## |\Z)", text, re.S | re.M)
    assert section, spec.file_name
    return set(re.findall(r"^\| `?([a-z_]+)`? \| yes \|", section.group(0), re.M))


@pytest.mark.parametrize("spec", TABLES, ids=[t.name for t in TABLES])
def test_the_columns_the_contract_requires_are_the_columns_checked(spec: Table) -> None:
    assert _documented_required(spec) == {c.name for c in spec.columns if c.required}


def test_the_columns_that_may_hold_paragraphs_are_the_ones_the_contract_names() -> None:
    rule = next(
        line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| Line breaks")
    )
    named = set(re.findall(r"`([a-z_]+)`", rule))
    assert named == {c.name for t in TABLES for c in t.columns if c.paragraphs}
    assert f"only {' and '.join(sorted(named))} may hold paragraphs" in ONE_LINE


def test_the_placeholders_refused_are_the_ones_the_contract_lists(data_dir: Path) -> None:
    rule = next(
        line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| Empty cell")
    )
    listed = set(re.findall(r"`([^`]+)`", rule.split("A placeholder", 1)[1].split(")", 1)[0]))
    assert {word.lower() for word in listed} == PLACEHOLDERS
    path = data_dir / "posts.csv"
    for word in sorted(listed):
        set_cell(path, "post-a", "role_en", word)
        assert report(data_dir) == [
            f"posts.csv:2 column 'role_en': {word!r} is a placeholder: "
            "leave the cell empty when no source states the fact"
        ]


@hypothesis.settings(max_examples=150, derandomize=True, database=None, deadline=None)
@hypothesis.given(text=st.text(max_size=30))
@hypothesis.example(text="Zeile\neins")
@hypothesis.example(text="Mus\x0bter")
@hypothesis.example(text="Muster\ufffe")
@hypothesis.example(text="\x00")
@hypothesis.example(text=' "A", B; C ')
def test_any_text_in_a_cell_is_published_as_read_or_refused_at_that_cell(text: str) -> None:
    """Whatever a spreadsheet writes into a text cell is either read (as written, spaces at its ends
    ignored) and then travels through every RDF format, or refused with one problem at that very cell."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(MINIMAL, data)
        set_cell(data / "fields.csv", "field-x", "label_de", text)
        try:
            label = read_sources(data).by_id["field-x"].get("label_de")
        except SourceDataError as error:
            where = [(p.file, p.row, p.column) for p in error.problems]
            assert where == [("fields.csv", 3, "label_de")], [str(p) for p in error.problems]
            return
    assert label == text.strip()
    triple = ox.Triple(
        ox.NamedNode("https://example.org/x"), ox.NamedNode("https://example.org/p"), ox.Literal(label)
    )
    for fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.JSON_LD):
        assert [t.object.value for t in ox.parse(ox.serialize([triple], format=fmt), format=fmt)] == [label]
    xml = Graph().parse(data=ox.serialize([triple], format=ox.RdfFormat.RDF_XML).decode(), format="xml")
    assert [str(o) for o in xml.objects()] == [label]  # a strict XML parser (expat), as consumers use
