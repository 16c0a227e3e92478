"""Inspect a SPARQL request before it runs: its form, and whether it asks for anything we refuse.

Refused before execution: updates (the endpoint is read-only) and SERVICE calls to endpoints the operator has
not allowed. FROM / FROM NAMED and the protocol's graph parameters only select graphs of the local store; the
engine never fetches them, so they are honoured, not refused (against an external SPARQL server the web layer
refuses them: ``names_dataset`` tells).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][^\s(){}\[\],;.?$<>=!&|+*/^"']+)
  | (?P<word>[^\W\d][\w\-.]*(?::[\w\-.:%\\]*)?|:[\w\-.:%\\]*)
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


class QueryForm(Enum):
    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"

    @property
    def returns_graph(self) -> bool:
        return self in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)


class QueryRefusedError(Exception):
    """A request the endpoint will not run; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    form: QueryForm | None  # None when the form could not be told: the parser will say why
    names_dataset: bool = False  # the query has FROM or FROM NAMED clauses


def check_query(text: str, allowed_services: tuple[str, ...] = ()) -> CheckedQuery:
    """Tell the form of ``text`` and refuse updates and SERVICE calls that are not allowed."""
    tokens = list(_keywords(_unescape(text)))
    form: QueryForm | None = None
    names_dataset = False
    for position, (kind, value) in enumerate(tokens):
        word = value.upper()
        if kind != "word":
            continue
        if form is None and word in _UPDATE_WORDS:
            raise QueryRefusedError(
                403, f"This endpoint is read-only: SPARQL Update ({word}) is not accepted."
            )
        if form is None and word in _QUERY_FORMS:
            form = QueryForm(word)
        if word == "SERVICE":
            _check_service(tokens[position + 1 :], allowed_services)
        names_dataset = names_dataset or word == "FROM"
    return CheckedQuery(text, form, names_dataset)


def _check_service(rest: list[tuple[str, str]], allowed: tuple[str, ...]) -> None:
    following = [(kind, value) for kind, value in rest if not (kind == "word" and value.upper() == "SILENT")]
    target = following[0] if following else ("", "")
    if target[0] == "iri" and target[1][1:-1] in allowed:
        return
    shown = target[1] or "?"
    raise QueryRefusedError(
        400,
        f"SERVICE {shown} is not allowed: this endpoint does not call other endpoints for a query"
        + (f" except {', '.join(allowed)}." if allowed else "."),
    )


def _unescape(text: str) -> str:
    """Apply SPARQL's \\u and \\U escapes, which count before parsing, so they cannot hide a keyword."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _keywords(text: str) -> list[tuple[str, str]]:
    """The query's tokens without comments, strings and white space: (kind, text) with kind word, iri, var."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("word", "iri", "var", "other"):
            found.append((kind, match.group()))
    return found
