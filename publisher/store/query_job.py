"""A client's query as the engine receives it, and what came of it: picklable, so a worker process can take
one and send the other back."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Job:
    """One query to run: everything the engine needs, picklable."""

    store_folder: str
    query: str
    base_iri: str
    format_name: str  # a name from publisher.formats
    max_rows: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    prefixes: dict[str, str] = field(default_factory=dict)
    syntax_only: bool = False  # only tell the engine's syntax error, if any (``store_folder`` is unused)


@dataclass(frozen=True)
class Outcome:
    """What came of a job: a written result, or the query's syntax error, or running out of memory, or another
    error."""

    kind: str  # "ok", "syntax", "memory" or "error"
    body: bytes = b""
    truncated: bool = False
    rows: int = 0
    message: str = ""
