"""Stage read: valid tables become typed records; every bad input is refused with file, row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from publisher.cells import PartialDate
from publisher.errors import Problem, SourceDataError
from publisher.read import read_sources


def test_minimal_tables_become_typed_records(data_dir: Path) -> None:
    data = read_sources(data_dir)
    assert data.rows_read == 14
    initiative = data.by_id["ini-one"]
    assert initiative.table == "initiatives"
    assert initiative.row == 2
    assert initiative.get("founded") == PartialDate("2006", "year")
    assert initiative.refs("source") == ("doc-a", "doc-b")
    assert initiative.refs("alt_labels") == ("TC", "Test-Cluster")
    assert data.by_id["week"].get("start") == dt.date(2017, 4, 20)
    assert data.by_id["obs-events"].get("value") == 127
    assert "end" not in data.by_id["post-a"].values, "empty cells are absent, not empty strings"


def test_partial_dates_keep_their_precision(data_dir: Path) -> None:
    _replace(data_dir / "initiatives.csv", ",2006,", ",2002-12,")
    assert read_sources(data_dir).by_id["ini-one"].get("founded") == PartialDate("2002-12", "month")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def _write_bytes(path: Path, old: bytes, new: bytes) -> None:
    path.write_bytes(path.read_bytes().replace(old, new, 1))


# (case, change to the minimal dataset, expected file, row, column, words in the message)
BAD_INPUTS = [
    (
        "missing column",
        lambda d: _replace(d / "documents.csv", "id,title,title_lang", "id,title_lang"),
        "documents.csv",
        1,
        "title",
        "required column missing",
    ),
    (
        "unknown column",
        lambda d: _replace(d / "people.csv", "family_name,source", "family_name,source,age"),
        "people.csv",
        1,
        "age",
        "unknown column",
    ),
    (
        "empty required value",
        lambda d: _replace(d / "places.csv", "place-town,municipality,Teststadt", "place-town,municipality,"),
        "places.csv",
        3,
        "label_de",
        "required value is empty",
    ),
    (
        "impossible date",
        lambda d: _replace(d / "events.csv", "2017-04-20,2017-04-28", "2017-02-30,2017-04-28"),
        "events.csv",
        2,
        "start",
        "not a date that exists",
    ),
    (
        "date in the wrong format",
        lambda d: _replace(d / "posts.csv", "2017-04-19", "19.04.2017"),
        "posts.csv",
        2,
        "attested",
        "expected YYYY-MM-DD",
    ),
    (
        "not a number",
        lambda d: _replace(d / "observations.csv", "events,127", "events,viele"),
        "observations.csv",
        2,
        "value",
        "not a non-negative whole number",
    ),
    (
        "negative number",
        lambda d: _replace(d / "observations.csv", "events,127", "events,-127"),
        "observations.csv",
        2,
        "value",
        "not a non-negative whole number",
    ),
    (
        "invalid UTF-8",
        lambda d: _write_bytes(d / "fields.csv", b"Testfeld X", b"Testfeld \xff"),
        "fields.csv",
        3,
        "label_de",
        "the file is not UTF-8",
    ),
    (
        "ragged row",
        lambda d: _append(d / "fields.csv", "field-y,Testfeld Y"),
        "fields.csv",
        4,
        "label_en",
        "row has 2 cells; the header has 5",
    ),
    (
        "duplicate id in one table",
        lambda d: _append(d / "fields.csv", "field-x,Nochmal X,,field-top,doc-a"),
        "fields.csv",
        4,
        "id",
        "duplicate id 'field-x'; first in fields.csv row 3",
    ),
    (
        "duplicate id across tables",
        lambda d: _append(d / "fields.csv", "ini-one,Feld,,field-top,doc-a"),
        "initiatives.csv",
        2,
        "id",
        "duplicate id 'ini-one'; first in fields.csv row 4",
    ),
    (
        "reference to an id that exists nowhere",
        lambda d: _replace(d / "posts.csv", "post-a,person-a", "post-a,person-z"),
        "posts.csv",
        2,
        "holder",
        "refers to 'person-z', which is not an id in people.csv",
    ),
    (
        "reference to an id of the wrong table",
        lambda d: _replace(d / "posts.csv", "post-a,person-a", "post-a,org-ministry"),
        "posts.csv",
        2,
        "holder",
        "(it is in organisations.csv)",
    ),
    (
        "source that is not a document",
        lambda d: _replace(d / "people.csv", "Muster,doc-a", "Muster,doc-zz"),
        "people.csv",
        2,
        "source",
        "refers to 'doc-zz'",
    ),
    (
        "homepage that is not a web address",
        lambda d: _replace(d / "organisations.csv", "https://example.org/ministry", "www.example.org"),
        "organisations.csv",
        2,
        "homepage",
        "not a web address",
    ),
    (
        "value outside the allowed choices",
        lambda d: _replace(d / "events.csv", "week,series", "week,festival"),
        "events.csv",
        2,
        "kind",
        "expected one of series, event",
    ),
    (
        "municipality key of the wrong shape",
        lambda d: _replace(d / "places.csv", "08111000", "8111000"),
        "places.csv",
        3,
        "ags",
        "8-digit official municipality key",
    ),
    (
        "id that cannot be a URI key",
        lambda d: _replace(d / "people.csv", "person-a,Prof.", "Person A,Prof."),
        "people.csv",
        2,
        "id",
        "expected lowercase letters, digits and '-'",
    ),
    (
        "empty list item",
        lambda d: _replace(d / "initiatives.csv", "doc-a ; doc-b", "doc-a ; ; doc-b"),
        "initiatives.csv",
        2,
        "source",
        "empty item in list",
    ),
    (
        "unknown table",
        lambda d: (d / "members.csv").write_text("id,source\nm-1,doc-a\n", encoding="utf-8"),
        "members.csv",
        0,
        "",
        "unknown table",
    ),
]


@pytest.mark.parametrize(
    ("change", "file", "row", "column", "words"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_input_is_refused_with_its_location(
    data_dir: Path, change: object, file: str, row: int, column: str, words: str
) -> None:
    change(data_dir)  # type: ignore[operator]
    with pytest.raises(SourceDataError) as raised:
        read_sources(data_dir)
    located = [p for p in raised.value.problems if (p.file, p.row, p.column) == (file, row, column)]
    assert located, f"no problem at {file}:{row} {column!r} in {[str(p) for p in raised.value.problems]}"
    assert any(words in p.message for p in located), [p.message for p in located]


def test_every_problem_is_reported_at_once(data_dir: Path) -> None:
    _replace(data_dir / "events.csv", "2017-04-20,2017-04-28", "2017-02-30,2017-04-28")
    _replace(data_dir / "observations.csv", "events,127", "events,viele")
    _replace(data_dir / "posts.csv", "post-a,person-a", "post-a,person-z")
    with pytest.raises(SourceDataError) as raised:
        read_sources(data_dir)
    where = {(p.file, p.row, p.column) for p in raised.value.problems}
    assert {
        ("events.csv", 2, "start"),
        ("observations.csv", 2, "value"),
        ("posts.csv", 2, "holder"),
    } <= where


def test_problem_reads_as_file_row_and_column() -> None:
    problem = Problem("events.csv", 7, "start", "'2017-02-30' is not a date that exists")
    assert str(problem) == "events.csv:7 column 'start': '2017-02-30' is not a date that exists"


def test_quoted_cells_may_hold_commas_and_line_breaks(data_dir: Path) -> None:
    _replace(
        data_dir / "events.csv",
        "Eine synthetische Testwoche.",
        '"Eine synthetische Testwoche, mit\nZeilenumbruch."',
    )
    data = read_sources(data_dir)
    assert data.by_id["week"].text("description_de") == "Eine synthetische Testwoche, mit\nZeilenumbruch."
    assert data.by_id["opening"].row == 3, "rows count records as a spreadsheet does, not physical lines"


def test_a_byte_order_mark_is_accepted(data_dir: Path) -> None:
    path = data_dir / "people.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert "person-a" in read_sources(data_dir).by_id


def test_a_missing_table_is_reported(data_dir: Path) -> None:
    (data_dir / "posts.csv").unlink()
    with pytest.raises(SourceDataError) as raised:
        read_sources(data_dir)
    assert [(p.file, p.message) for p in raised.value.problems] == [
        ("posts.csv", "file missing: every table needs at least its header")
    ]


def test_square_brackets_in_a_url_are_percent_encoded(data_dir: Path) -> None:
    _replace(
        data_dir / "documents.csv", "https://example.org/synthetic/a", "https://example.org/x?news[id]=1"
    )
    assert read_sources(data_dir).by_id["doc-a"].get("url") == "https://example.org/x?news%5Bid%5D=1"
