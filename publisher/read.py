"""Stage 1, read: source tables (CSV) become typed records; every problem is reported, all at once."""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from publisher.between_rows import check_between_rows
from publisher.cells import parse_cell
from publisher.errors import Problem, SourceDataError
from publisher.follow_ons import Problems
from publisher.hints import (
    COMMAS,
    MAX_CELL,
    SAVE_AS_CSV_UTF8,
    close_column,
    csv_error_hint,
    not_utf8,
    other_delimiter,
)
from publisher.tables import PUBLICATION, REPLACEMENTS, TABLES, TABLES_BY_NAME, Table

log = logging.getLogger(__name__)

_BAD_BYTES = re.compile("[\udc80-\udcff]")  # undecodable bytes, kept by errors="surrogateescape"


@dataclass(frozen=True)
class Record:
    """One row of a source table with its values typed; empty cells are absent."""

    table: str
    id: str
    row: int
    values: dict[str, object]

    def get(self, name: str) -> object | None:
        return self.values.get(name)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if isinstance(value, str) else None

    def refs(self, name: str) -> tuple[str, ...]:
        value = self.values.get(name)
        if value is None:
            return ()
        return value if isinstance(value, tuple) else (str(value),)


@dataclass
class SourceData:
    """Every record read from a data folder, by table and by id."""

    folder: Path
    records: dict[str, list[Record]] = field(default_factory=dict)
    by_id: dict[str, Record] = field(default_factory=dict)
    replacements: list[Record] = field(default_factory=list)  # the optional replacements.csv
    publication: list[Record] | None = None  # the optional publication.csv; None when there is none

    @property
    def rows_read(self) -> int:
        return sum(len(rows) for rows in self.records.values())

    def table(self, name: str) -> list[Record]:
        return self.records.get(name, [])


def read_sources(folder: Path) -> SourceData:
    """Read every table in ``folder``; raise SourceDataError listing every problem found, causes first."""
    problems = Problems()
    data = SourceData(folder)
    if not folder.is_dir():
        raise SourceDataError([Problem(str(folder), 0, "", "data folder not found")])
    for path in sorted(folder.glob("*.csv")):
        if path.stem not in TABLES_BY_NAME and path.name not in (
            REPLACEMENTS.file_name,
            PUBLICATION.file_name,
        ):
            known = ", ".join(t.file_name for t in (*TABLES, REPLACEMENTS, PUBLICATION))
            problems.add(Problem(path.name, 0, "", f"unknown table; expected one of {known}", rank=0))
    for table in TABLES:
        path = folder / table.file_name
        if not path.exists() and table.optional:
            data.records[table.name] = []
            continue
        if not path.exists():
            message = "file missing: every table needs at least its header"
            _unread(
                problems, table, Problem(table.file_name, 0, "", message, rank=0), "because it is missing"
            )
            continue
        data.records[table.name] = _read_table(table, path, problems)
    if (folder / REPLACEMENTS.file_name).exists():
        data.replacements = _read_table(REPLACEMENTS, folder / REPLACEMENTS.file_name, problems)
    if (folder / PUBLICATION.file_name).exists():
        data.publication = _read_table(PUBLICATION, folder / PUBLICATION.file_name, problems)
    check_between_rows(data, problems)
    if len(problems):
        raise SourceDataError(problems.result())
    log.info("read %d rows from %d tables in %s", data.rows_read, len(data.records), folder)
    return data


def _unread(problems: Problems, table: Table, problem: Problem, why: str) -> None:
    """Report a problem that keeps the whole table from being read."""
    problems.table_unread(table.name, problems.add(problem), why)


@contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Let the csv module read a cell as long as the file, so that a long cell is ours to report."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, size + 1))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _read_table(table: Table, path: Path, problems: Problems) -> list[Record]:
    raw = path.read_bytes()
    name = table.file_name
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        message = f"{not_utf8(raw)}: {SAVE_AS_CSV_UTF8}"
        _unread(problems, table, Problem(name, 0, "", message, rank=0), "because it is not UTF-8")
        return []
    text = raw.decode("utf-8-sig", errors="surrogateescape")
    known = {c.name for c in table.columns}
    separator = other_delimiter(text.split("\n", 1)[0].rstrip("\r"), known)
    if separator:
        message = f"the columns are separated by {separator}, not by commas: {COMMAS}"
        _unread(problems, table, Problem(name, 1, "", message, rank=0), "because it is not comma-separated")
        return []
    with _field_limit(len(text)):
        return list(_read_rows(table, raw, csv.reader(io.StringIO(text, newline=""), strict=True), problems))


def _read_rows(table: Table, raw: bytes, reader: Iterator[list[str]], problems: Problems) -> Iterator[Record]:
    name = table.file_name
    try:
        header = next(reader, None)
    except csv.Error as error:
        message = f"not readable as CSV: {error}{csv_error_hint(str(error))}"
        _unread(problems, table, Problem(name, 1, "", message, rank=0), "because it could not be read")
        return
    if header is None:
        message = "empty file: expected a header row"
        _unread(problems, table, Problem(name, 1, "", message, rank=0), "because it is empty")
        return
    header = [h.strip() for h in header]
    if not _header_ok(table, header, problems):
        return
    encoding = _Encoding(table, raw)
    row = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            message = f"not readable as CSV: {error}{csv_error_hint(str(error))}"
            index = problems.add(Problem(name, row + 1, "", message, rank=0))
            problems.table_unread(table.name, index, f"because it could not be read past row {row}")
            break
        row += 1
        if not any(c.strip() for c in cells):
            continue
        row_id = cells[header.index("id")].strip() if len(cells) > header.index("id") else ""
        if len(cells) != len(header):
            column = header[len(cells)] if len(cells) < len(header) else f"#{len(header) + 1}"
            message = f"row has {len(cells)} cells; the header has {len(header)}"
            problems.row_unread(table.name, row_id, problems.add(Problem(name, row, column, message)))
            continue
        named = dict(zip(header, cells, strict=True))
        if encoding.bad(row, named, row_id, problems) or _too_long(table, row, named, row_id, problems):
            continue
        before = len(problems)
        record = _read_row(table, row, named, problems)
        if record is not None:
            yield record
        elif len(problems) > before:
            problems.row_unread(table.name, row_id, before)
    encoding.report(problems)


class _Encoding:
    """The cells of one file that are not UTF-8: one problem for the file, with a count and the first."""

    def __init__(self, table: Table, raw: bytes) -> None:
        self.table = table
        self.raw = raw
        self.cells = 0
        self.rows = 0
        self.index = -1
        self.first = (0, "because it is empty")

    def bad(self, row: int, cells: dict[str, str], row_id: str, problems: Problems) -> bool:
        """Count the row's cells that are not UTF-8; True if there are any (the row is not read)."""
        bad = [name for name, value in cells.items() if _BAD_BYTES.search(value)]
        if not bad:
            return False
        if self.index < 0:
            self.first = (row, bad[0])
            self.index = problems.add(Problem(self.table.file_name, row, bad[0], "", rank=0))
        self.cells += len(bad)
        self.rows += 1
        what = f"rows of {self.table.file_name} that are not UTF-8"
        problems.row_unread(self.table.name, row_id, self.index, what, "until the file is saved as UTF-8")
        return True

    def report(self, problems: Problems) -> None:
        if self.index < 0:
            return
        cells = f"{_count(self.cells, 'cell')} in {_count(self.rows, 'row')}"
        message = (
            f"{not_utf8(self.raw)}: {cells} {'has' if self.cells == 1 else 'have'} bytes that are not UTF-8, "
            f"the first here; {SAVE_AS_CSV_UTF8}"
        )
        row, column = self.first
        problems.replace(self.index, Problem(self.table.file_name, row, column, message, rank=0))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _too_long(table: Table, row: int, cells: dict[str, str], row_id: str, problems: Problems) -> bool:
    """Report the cells longer than a spreadsheet cell can be; True if there are any."""
    long = [(name, len(value)) for name, value in cells.items() if len(value) > MAX_CELL]
    for name, length in long:
        message = (
            f"the cell has {length:,} characters; a cell may hold at most {MAX_CELL:,}, as in a spreadsheet: "
            "shorten it, or close a '\"' that a cell before it left open"
        )
        problems.row_unread(table.name, row_id, problems.add(Problem(table.file_name, row, name, message)))
    return bool(long)


def _header_ok(table: Table, header: list[str], problems: Problems) -> bool:
    name = table.file_name
    columns = [c.name for c in table.columns]
    first = len(problems)
    meant: set[str] = set()
    for position, column in enumerate(header, start=1):
        if column in columns:
            continue
        guess = close_column(column, [c for c in columns if c not in header and c not in meant])
        if guess:
            meant.add(guess)
            message = f"unknown column; did you mean {guess}?"
        else:
            message = f"unknown column: delete it, or name it as one of {', '.join(columns)}"
        problems.add(Problem(name, 1, column or f"#{position}", message, rank=0))
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.add(Problem(name, 1, column, "column appears twice in the header", rank=0))
        seen.add(column)
    for spec in table.columns:
        if spec.required and spec.name not in header and spec.name not in meant:
            problems.add(Problem(name, 1, spec.name, "required column missing", rank=0))
    if len(problems) == first:
        return True
    problems.table_unread(table.name, first, "because its header is wrong")
    return False


def _read_row(table: Table, row: int, cells: dict[str, str], problems: Problems) -> Record | None:
    values: dict[str, object] = {}
    ok = True
    for column in table.columns:
        raw = cells.get(column.name, "").strip()
        if not raw:
            if column.required:
                problems.add(Problem(table.file_name, row, column.name, "required value is empty"))
                ok = False
            continue
        try:
            values[column.name] = parse_cell(column, raw)
        except ValueError as error:
            problems.add(Problem(table.file_name, row, column.name, str(error)))
            ok = False
    if not ok or "id" not in values:
        return None
    return Record(table.name, str(values["id"]), row, values)
