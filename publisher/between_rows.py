"""The rules of the input contract between rows, checked once every table is read: ids unique across the
tables, references to rows of the right table, one row per document URL, a document its own source, no loop
in a hierarchy (fields.broader, places.within, events.series) and replacements of ids that are gone.

Each problem names the row that breaks the rule and the row it clashes with. A reference into a table or row
that could not be read is a follow-on, counted under its cause (publisher.follow_ons), never reported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from publisher.errors import Problem
from publisher.follow_ons import Problems
from publisher.tables import REPLACEMENTS, TABLES, TABLES_BY_NAME, Table

if TYPE_CHECKING:
    from publisher.read import Record, SourceData

BETWEEN_ROWS = 2  # Problem.rank: after the problems of files, rows and cells


def check_between_rows(data: SourceData, problems: Problems) -> None:
    """Index the records by id and check every rule between rows; add what breaks them to ``problems``."""
    duplicates = _index_ids(data, problems)
    _check_references(data, duplicates, problems)
    _check_documents(data, problems)
    for table in TABLES:
        for column in _hierarchy_columns(table):
            _check_loops(data, table, column, problems)
    _check_replacements(data, problems)


def _add(problems: Problems, table: Table, row: int, column: str, message: str) -> None:
    problems.add(Problem(table.file_name, row, column, message, rank=BETWEEN_ROWS))


def _index_ids(data: SourceData, problems: Problems) -> set[str]:
    """Index records by id (in table order); report and return the ids used twice."""
    duplicates: set[str] = set()
    for table in TABLES:
        for record in data.table(table.name):
            first = data.by_id.get(record.id)
            if first is not None:
                _add(
                    problems, table, record.row, "id", f"duplicate id {record.id!r}; first in {_where(first)}"
                )
                duplicates.add(record.id)
                continue
            data.by_id[record.id] = record
    return duplicates


def _where(record: Record) -> str:
    return f"{record.table}.csv row {record.row}"


def _check_references(data: SourceData, duplicates: set[str], problems: Problems) -> None:
    tables = [(table, data.table(table.name)) for table in TABLES] + [(REPLACEMENTS, data.replacements)]
    for table, records in tables:
        columns = [c for c in table.columns if c.refers_to]
        if table.name == "documents":  # a document's source is its own id: _check_documents says so alone
            columns = [c for c in columns if c.name != "source"]
        for record in records:
            for column in columns:
                for ref in record.refs(column.name):
                    if ref in duplicates:
                        continue  # already reported as a duplicate id
                    target = data.by_id.get(ref)
                    if target is not None and target.table in column.refers_to:
                        continue
                    if not problems.is_follow_on(ref, column.refers_to):
                        allowed = " or ".join(f"{t}.csv" for t in column.refers_to)
                        found = "" if target is None else f" (it is in {target.table}.csv)"
                        message = f"refers to {ref!r}, which is not an id in {allowed}{found}"
                        _add(problems, table, record.row, column.name, message)


def _check_documents(data: SourceData, problems: Problems) -> None:
    """One row per document URL, and each document's source is its own id (data/README.md, section 3)."""
    table = TABLES_BY_NAME["documents"]
    first_with: dict[str, Record] = {}
    for record in data.table("documents"):
        url = str(record.get("url"))
        first = first_with.setdefault(url, record)
        if first is not record:
            message = (
                f"the same URL as {_where(first)} ({first.id!r}): a page has one row; "
                f"delete this row and cite {first.id!r} where {record.id!r} is cited"
            )
            _add(problems, table, record.row, "url", message)
        if record.refs("source") != (record.id,):
            message = f"a document's source is its own id: write {record.id!r}"
            _add(problems, table, record.row, "source", message)


def _hierarchy_columns(table: Table) -> list[str]:
    """The columns by which a row of ``table`` lies below another row of it (one value each)."""
    return [c.name for c in table.columns if c.refers_to == (table.name,) and not c.many]


def _check_loops(data: SourceData, table: Table, column: str, problems: Problems) -> None:
    """Report each loop once, at its first row: a thing that lies (through others) below itself."""
    records = [r for r in data.table(table.name) if data.by_id.get(r.id) is r]  # a duplicate id is reported
    ids = {record.id for record in records}
    above = {r.id: str(r.get(column)) for r in records if r.get(column) is not None and r.get(column) in ids}
    done: set[str] = set()
    for record in records:
        path: list[str] = []
        current: str | None = record.id
        while current is not None and current not in done and current not in path:
            path.append(current)
            current = above.get(current)
        done.update(path)
        if current is None or current not in path:
            continue
        loop = path[path.index(current) :]
        rows = {r.id: r.row for r in records if r.id in loop}
        start = min(loop, key=rows.__getitem__)
        at = loop.index(start)
        ordered = loop[at:] + loop[:at]
        chain = " → ".join(f"{key} (row {rows[key]})" for key in ordered) + f" → {start}"
        message = (
            f"the rows form a loop by {column}: {chain}; a row cannot lie below itself: "
            f"point one of them elsewhere or leave its {column} empty"
        )
        _add(problems, table, rows[start], column, message)


def _check_replacements(data: SourceData, problems: Problems) -> None:
    """A replaced id is gone from the tables and listed once."""
    seen: dict[str, int] = {}
    for record in data.replacements:
        current = data.by_id.get(record.id)
        if current is not None:
            message = (
                f"{record.id!r} is still in {_where(current)}: only an id taken out of the tables is replaced"
            )
            _add(problems, REPLACEMENTS, record.row, "id", message)
        if record.id in seen:
            message = f"{record.id!r} is replaced twice; first in row {seen[record.id]}"
            _add(problems, REPLACEMENTS, record.row, "id", message)
        seen.setdefault(record.id, record.row)
