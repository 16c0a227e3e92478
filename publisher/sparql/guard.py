"""Inspect a SPARQL request before it runs, on the parse tree of a real SPARQL 1.1 parser (rdflib's).

Every decision rests on that parse, never on a reading of the text by hand: the query form, updates (the
endpoint is read-only: refused), SERVICE calls (refused unless the operator allowed the endpoint), and the
dataset clauses. A query the parser cannot read is refused too, with the parser's position: what we cannot
read we cannot vouch for. FROM / FROM NAMED and the protocol's graph parameters only select graphs of the
local store; the engine never fetches them, so they are honoured, not refused (against an external SPARQL
server the web layer refuses them: ``names_dataset`` tells).

This is the first wall. The second stands behind it whatever this parser reads: when no SERVICE is allowed,
the query worker runs the engine in a process that cannot open a socket (``publisher.sandbox``).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

# rdflib's parser (pyparsing, with its packrat cache) is not safe to run in several threads at once: two
# parses at the same time break the grammar's state for every later parse. One parse at a time, then.
_PARSER = threading.Lock()


class QueryForm(Enum):
    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"

    @property
    def returns_graph(self) -> bool:
        return self in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)


_FORMS = {
    "SelectQuery": QueryForm.SELECT,
    "AskQuery": QueryForm.ASK,
    "ConstructQuery": QueryForm.CONSTRUCT,
    "DescribeQuery": QueryForm.DESCRIBE,
}


class QueryRefusedError(Exception):
    """A request the endpoint will not run; ``status`` is the HTTP status to answer with. ``unreadable``
    tells a query the parser could not read, whose error the engine may word more precisely."""

    def __init__(self, status: int, message: str, unreadable: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.unreadable = unreadable


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    form: QueryForm
    names_dataset: bool = False  # the query has FROM or FROM NAMED clauses
    iris: frozenset[str] = frozenset()  # every IRI the query uses, prefixes resolved


def check_query(
    text: str, allowed_services: tuple[str, ...] = (), base_iri: str | None = None
) -> CheckedQuery:
    """Parse ``text`` as a SPARQL query; refuse it unless it is a query we may run.

    ``base_iri`` resolves relative IRIs as the engine resolves them (a relative SERVICE IRI included).
    The decision on a text is remembered (by its SHA-256, with the settings it was made under): the parse
    costs 2-30 ms, and portals and query pages send the same queries again and again.
    """
    if len(text) > REMEMBERED_CHARS:
        return _check(text, allowed_services, base_iri)
    key = (hashlib.sha256(text.encode()).digest(), allowed_services, base_iri)
    with _DECIDED_LOCK:
        found = _DECIDED.get(key)
        if found is not None:
            _DECIDED.move_to_end(key)
            return found
    checked = _check(text, allowed_services, base_iri)
    with _DECIDED_LOCK:
        _DECIDED[key] = checked
        while len(_DECIDED) > DECISIONS_KEPT:
            _DECIDED.popitem(last=False)
    return checked


DECISIONS_KEPT = 1024  # with REMEMBERED_CHARS: at most about 16 MB of query text kept
REMEMBERED_CHARS = 16_000
_DECIDED: OrderedDict[tuple[bytes, tuple[str, ...], str | None], CheckedQuery] = OrderedDict()
_DECIDED_LOCK = threading.Lock()


def _check(text: str, allowed_services: tuple[str, ...], base_iri: str | None) -> CheckedQuery:
    algebra = _parse(text, base_iri)
    for target in _services(algebra):
        if not (isinstance(target, URIRef) and str(target) in allowed_services):
            shown = f"<{target}>" if isinstance(target, URIRef) else target.n3()
            raise QueryRefusedError(
                400,
                f"SERVICE {shown} is not allowed: this endpoint does not call other endpoints for a query"
                + (f" except {', '.join(allowed_services)}." if allowed_services else "."),
            )
    return CheckedQuery(
        text,
        _FORMS[algebra.name],
        names_dataset=bool(algebra.get("datasetClause")),
        iris=frozenset(str(node) for node in _nodes(algebra) if isinstance(node, URIRef)),
    )


def _parse(text: str, base_iri: str | None) -> CompValue:
    try:
        with _PARSER:
            algebra: CompValue = translateQuery(parseQuery(text), base=base_iri).algebra
    except ParseBaseException as error:
        if _is_update(text):
            raise QueryRefusedError(
                403, "This endpoint is read-only: SPARQL Update is not accepted."
            ) from None
        raise QueryRefusedError(400, syntax_error(error), unreadable=True) from None
    except RecursionError:
        raise QueryRefusedError(400, "The query is nested too deeply to be read.", unreadable=True) from None
    except Exception as error:  # rdflib's checks after parsing: an undeclared prefix, a misused aggregate
        raise QueryRefusedError(400, f"The query cannot be run: {error}") from None
    return algebra


def syntax_error(error: ParseBaseException) -> str:
    """The parser's complaint as a sentence naming line and column."""
    return f"Query syntax error at line {error.lineno}, column {error.col}: {error.msg}" + (
        f", found {error.found}" if getattr(error, "found", "") else ""
    )


def _is_update(text: str) -> bool:
    try:
        with _PARSER:
            parseUpdate(text)
    except (ParseBaseException, RecursionError):
        return False
    return True


def _services(algebra: CompValue) -> Iterator[URIRef | Variable]:
    """The target of every SERVICE pattern, wherever it sits (subqueries, EXISTS, OPTIONAL, MINUS...)."""
    for node in _nodes(algebra):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            yield node["term"]


def _nodes(node: object) -> Iterator[object]:
    """Every node of a parse tree or algebra expression, depth first, without recursion (a deeply nested
    query must not exhaust the stack here after the parser read it)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, CompValue | dict):
            stack.extend(current.values())
        elif isinstance(current, list | tuple | set | frozenset | ParseResults):
            stack.extend(current)
