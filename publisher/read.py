"""Stage 1, read: source tables (CSV) become typed records; every problem is reported, all at once."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from publisher.errors import Problem, SourceDataError
from publisher.tables import (
    LIST_SEPARATOR,
    REPLACEMENTS,
    SLUG_PATTERN,
    TABLES,
    TABLES_BY_NAME,
    Column,
    Table,
    ValueType,
)

log = logging.getLogger(__name__)

_SLUG = re.compile(SLUG_PATTERN)
_YEARISH = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_BAD_BYTES = re.compile("[\udc80-\udcff]")  # undecodable bytes, kept by errors="surrogateescape"


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, month or day, as stated: ``2006``, ``2002-12`` or ``1997-07-04``."""

    text: str
    precision: Literal["year", "month", "day"]


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

    @property
    def rows_read(self) -> int:
        return sum(len(rows) for rows in self.records.values())

    def table(self, name: str) -> list[Record]:
        return self.records.get(name, [])


def read_sources(folder: Path) -> SourceData:
    """Read every table in ``folder``; raise SourceDataError listing every problem found."""
    problems: list[Problem] = []
    data = SourceData(folder)
    if not folder.is_dir():
        raise SourceDataError([Problem(str(folder), 0, "", "data folder not found")])
    for path in sorted(folder.glob("*.csv")):
        if path.stem not in TABLES_BY_NAME and path.name != REPLACEMENTS.file_name:
            known = ", ".join(t.file_name for t in (*TABLES, REPLACEMENTS))
            problems.append(Problem(path.name, 0, "", f"unknown table; expected one of {known}"))
    for table in TABLES:
        path = folder / table.file_name
        if not path.exists():
            problems.append(
                Problem(table.file_name, 0, "", "file missing: every table needs at least its header")
            )
            continue
        data.records[table.name] = list(_read_table(table, path, problems))
    if (folder / REPLACEMENTS.file_name).exists():
        data.replacements = list(_read_table(REPLACEMENTS, folder / REPLACEMENTS.file_name, problems))
    duplicates = _index_ids(data, problems)
    _check_references(data, duplicates, problems)
    _check_replacements(data, problems)
    if problems:
        raise SourceDataError(problems)
    log.info("read %d rows from %d tables in %s", data.rows_read, len(data.records), folder)
    return data


def _read_table(table: Table, path: Path, problems: list[Problem]) -> Iterator[Record]:
    text = path.read_bytes().decode("utf-8-sig", errors="surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    name = table.file_name
    try:
        header = next(reader, None)
    except csv.Error as error:
        problems.append(Problem(name, 1, "", f"not readable as CSV: {error}"))
        return
    if header is None:
        problems.append(Problem(name, 1, "", "empty file: expected a header row"))
        return
    header = [h.strip() for h in header]
    if not _header_ok(table, header, problems):
        return
    row = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(Problem(name, row + 1, "", f"not readable as CSV: {error}"))
            return
        row += 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            column = header[len(cells)] if len(cells) < len(header) else f"#{len(header) + 1}"
            problems.append(
                Problem(name, row, column, f"row has {len(cells)} cells; the header has {len(header)}")
            )
            continue
        record = _read_row(table, row, dict(zip(header, cells, strict=True)), problems)
        if record is not None:
            yield record


def _header_ok(table: Table, header: list[str], problems: list[Problem]) -> bool:
    known = {c.name for c in table.columns}
    ok = True
    for position, name in enumerate(header, start=1):
        if name not in known:
            expected = ", ".join(c.name for c in table.columns)
            problems.append(
                Problem(table.file_name, 1, name or f"#{position}", f"unknown column; expected {expected}")
            )
            ok = False
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem(table.file_name, 1, name, "column appears twice in the header"))
            ok = False
        seen.add(name)
    for column in table.columns:
        if column.required and column.name not in header:
            problems.append(Problem(table.file_name, 1, column.name, "required column missing"))
            ok = False
    return ok


def _read_row(table: Table, row: int, cells: dict[str, str], problems: list[Problem]) -> Record | None:
    values: dict[str, object] = {}
    ok = True
    for column in table.columns:
        raw = cells.get(column.name, "")
        if _BAD_BYTES.search(raw):
            problems.append(
                Problem(table.file_name, row, column.name, "invalid UTF-8: save the file as UTF-8")
            )
            ok = False
            continue
        raw = raw.strip()
        if not raw:
            if column.required:
                problems.append(Problem(table.file_name, row, column.name, "required value is empty"))
                ok = False
            continue
        try:
            values[column.name] = _parse_cell(column, raw)
        except ValueError as error:
            problems.append(Problem(table.file_name, row, column.name, str(error)))
            ok = False
    if not ok or "id" not in values:
        return None
    return Record(table.name, str(values["id"]), row, values)


def _parse_cell(column: Column, raw: str) -> object:
    if column.many:
        parts = [part.strip() for part in raw.split(LIST_SEPARATOR)]
        if any(not part for part in parts):
            raise ValueError(f"empty item in list {raw!r}: separate values with '{LIST_SEPARATOR}'")
        return tuple(_parse_value(column, part) for part in parts)
    return _parse_value(column, raw)


def _parse_value(column: Column, raw: str) -> object:
    kind = column.type
    if kind is ValueType.TEXT:
        return raw
    if kind is ValueType.SLUG:
        if not _SLUG.fullmatch(raw):
            what = "an id" if not column.refers_to else "a reference to an id"
            raise ValueError(f"{raw!r} is not {what}: expected lowercase letters, digits and '-'")
        return raw
    if kind is ValueType.DATE:
        return _parse_date(raw)
    if kind is ValueType.YEARISH:
        return _parse_partial_date(raw)
    if kind is ValueType.COUNT:
        if not raw.isdigit():
            raise ValueError(f"{raw!r} is not a non-negative whole number")
        return int(raw)
    if kind is ValueType.IRI:
        return _check_iri(raw)
    if kind is ValueType.CHOICE:
        if raw not in column.choices:
            raise ValueError(f"{raw!r} is not allowed; expected one of {', '.join(column.choices)}")
        return raw
    if not re.fullmatch(column.pattern, raw):
        raise ValueError(f"{raw!r} is not {column.expected}")
    return raw


def _parse_date(raw: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise ValueError(f"{raw!r} is not a date: expected YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a date that exists") from None


def _parse_partial_date(raw: str) -> PartialDate:
    match = _YEARISH.fullmatch(raw)
    if not match:
        raise ValueError(f"{raw!r} is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    if day:
        _parse_date(raw)
        return PartialDate(raw, "day")
    if month:
        if not 1 <= int(month) <= 12:
            raise ValueError(f"{raw!r} is not a month that exists")
        return PartialDate(raw, "month")
    return PartialDate(year, "year")


def _check_iri(raw: str) -> str:
    """Check a web address; square brackets in its path or query (common in CMS links) are percent-encoded."""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"[\s<>\"{}|\\^`]", raw):
        raise ValueError(f"{raw!r} is not a web address: expected an absolute http(s) IRI")
    start = len(f"{parts.scheme}://{parts.netloc}")
    return raw[:start] + raw[start:].replace("[", "%5B").replace("]", "%5D")


def _index_ids(data: SourceData, problems: list[Problem]) -> set[str]:
    """Index records by id (in table order); report and return the ids used twice."""
    duplicates: set[str] = set()
    for table in TABLES:
        for record in data.table(table.name):
            first = data.by_id.get(record.id)
            if first is not None:
                where = f"{first.table}.csv row {first.row}"
                problems.append(
                    Problem(
                        table.file_name, record.row, "id", f"duplicate id {record.id!r}; first in {where}"
                    )
                )
                duplicates.add(record.id)
                continue
            data.by_id[record.id] = record
    return duplicates


def _check_references(data: SourceData, duplicates: set[str], problems: list[Problem]) -> None:
    tables = [(table, data.table(table.name)) for table in TABLES] + [(REPLACEMENTS, data.replacements)]
    for table, records in tables:
        columns = [c for c in table.columns if c.refers_to]
        for record in records:
            for column in columns:
                for ref in record.refs(column.name):
                    if ref in duplicates:
                        continue  # already reported as a duplicate id
                    target = data.by_id.get(ref)
                    if target is None or target.table not in column.refers_to:
                        allowed = " or ".join(f"{t}.csv" for t in column.refers_to)
                        found = "" if target is None else f" (it is in {target.table}.csv)"
                        message = f"refers to {ref!r}, which is not an id in {allowed}{found}"
                        problems.append(Problem(table.file_name, record.row, column.name, message))


def _check_replacements(data: SourceData, problems: list[Problem]) -> None:
    """A replaced id is gone from the tables and listed once."""
    seen: dict[str, int] = {}
    for record in data.replacements:
        current = data.by_id.get(record.id)
        if current is not None:
            where = f"{current.table}.csv row {current.row}"
            message = f"{record.id!r} is still in {where}: only an id taken out of the tables is replaced"
            problems.append(Problem(REPLACEMENTS.file_name, record.row, "id", message))
        if record.id in seen:
            message = f"{record.id!r} is replaced twice; first in row {seen[record.id]}"
            problems.append(Problem(REPLACEMENTS.file_name, record.row, "id", message))
        seen.setdefault(record.id, record.row)
