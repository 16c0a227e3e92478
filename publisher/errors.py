"""The exceptions clusterlod raises, each saying when to catch it.

::

    ClusterlodError              anything the publisher refuses; exit 2 unless a subclass says otherwise
    ├── SettingsError            a setting or configuration file is wrong (exit 2)
    ├── SourceDataError          the source tables are invalid: carries every Problem at once (exit 1)
    ├── ValidationError         the mapped graph violates the SHACL shapes: carries the Violations (exit 1)
    └── ReleaseError             a release cannot be written, found or activated (exit 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in the source tables, located by file, row (header = row 1) and column.

    ``rank`` orders causes before what they may cause: 0 a whole file (its format, encoding or header), 1 a
    row or cell, 2 between rows (duplicate ids, references). ``follow_ons`` names, in one line, the checks
    this problem kept from running (references into a table that could not be read); they are no problems
    of their own.
    """

    file: str
    row: int
    column: str
    message: str
    rank: int = 1
    follow_ons: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        if self.column:
            where += f" column {self.column!r}"
        return f"{where}: {self.message}"


class ClusterlodError(Exception):
    """Base class of every error the publisher raises on purpose."""


class SettingsError(ClusterlodError):
    """A setting, flag, environment variable or configuration file has an unusable value."""


class ReleaseError(ClusterlodError):
    """A release folder cannot be written, found or activated."""


class SourceDataError(ClusterlodError):
    """The source tables are invalid; ``problems`` lists all of them, causes first, then by file and row."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.rank, p.file, p.row, p.column, p.message))
        super().__init__(f"{len(self.problems)} problem(s) in the source tables")


class ValidationError(ClusterlodError):
    """The mapped graph does not conform to the shapes; ``violations`` lists every result."""

    def __init__(self, violations: Sequence[object]) -> None:
        self.violations = list(violations)
        super().__init__(f"{len(self.violations)} SHACL violation(s)")
