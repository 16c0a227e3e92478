"""The problems found while reading, and the follow-ons each of them causes, folded under it.

A table that cannot be read (missing, not comma-separated, a wrong header) or a row that cannot be read (a
bad cell) leaves the references to it unchecked. Those are not causes: each is counted under the problem
that kept it from being checked ("18 references to organisations.csv could not be checked because its
header is wrong"), never reported as a problem of its own.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from publisher.errors import Problem


class Problems:
    """Every problem in the order found; which tables and rows they left unread; the follow-ons counted."""

    def __init__(self) -> None:
        self._found: list[Problem] = []
        self._unread_tables: dict[str, int] = {}  # table name -> index of the problem that left it unread
        self._unread_rows: dict[str, tuple[str, int]] = {}  # id -> (its table, index of its row's problem)
        self._why: dict[int, tuple[str, str]] = {}  # problem index -> (what was not checked, why)
        self._count: Counter[int] = Counter()

    def add(self, problem: Problem) -> int:
        """Record a problem; returns its index, to refer to it later."""
        self._found.append(problem)
        return len(self._found) - 1

    def replace(self, index: int, problem: Problem) -> None:
        self._found[index] = problem

    def __len__(self) -> int:
        return len(self._found)

    def table_unread(self, table: str, index: int, why: str) -> None:
        """Table ``table`` could not be read (or not to its end) because of problem ``index``."""
        self._unread_tables.setdefault(table, index)
        self._why.setdefault(index, (f"{table}.csv", why))

    def row_unread(
        self, table: str, row_id: str, index: int, what: str = "", why: str = "until this row is fixed"
    ) -> None:
        """The row whose id cell says ``row_id`` was not read because of problem ``index``."""
        if row_id:
            self._unread_rows.setdefault(row_id, (table, index))
            self._why.setdefault(index, (what or repr(row_id), why))

    def is_follow_on(self, ref: str, tables: tuple[str, ...]) -> bool:
        """Count a reference that was not found as a follow-on, if an unread row or table may hold it."""
        row = self._unread_rows.get(ref)
        if row is not None and row[0] in tables:
            self._count[row[1]] += 1
            return True
        unread = [self._unread_tables[t] for t in tables if t in self._unread_tables]
        if unread:
            self._count[unread[0]] += 1
            return True
        return False

    def result(self) -> list[Problem]:
        """The problems, each with the follow-ons it caused folded into one line."""
        problems = list(self._found)
        for index, count in self._count.items():
            what, why = self._why[index]
            folded = f"{count} reference{'' if count == 1 else 's'} to {what} could not be checked {why}"
            problems[index] = dataclasses.replace(problems[index], follow_ons=folded)
        return problems
