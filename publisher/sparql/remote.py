"""Answer a client's query from the release's graph on an external SPARQL server.

The query has passed the guard, whose SPARQL 1.1 parser reads a server's own extensions of SPARQL
(Virtuoso's ``DEFINE input:default-graph-uri``, which would override the graph we name) as syntax errors;
``calls_sql_functions`` refuses IRIs of Virtuoso's SQL functions (``bif:``, ``sql:``) among the IRIs the
guard found. Nothing of the client's query runs in this process.

The server answers in one format (SPARQL JSON for SELECT and ASK, N-Triples for
CONSTRUCT and DESCRIBE), read as a stream and written by ``results`` in the format the client asked for, with
the same row cap as the embedded store. The concurrency limit is the worker pool's: at most
``query_workers`` queries at once, the rest wait ``queue_timeout`` seconds and are then refused.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.client import HTTPResponse
from typing import cast

import pyoxigraph as ox

from publisher.sparql.pool import PoolBusyError, QueryTimeoutError
from publisher.store.describe import OXIGRAPH_FORMATS
from publisher.store.query_job import Job, Outcome
from publisher.store.remote import (
    SOLUTIONS,
    TRIPLES,
    CanonicalSolutions,
    RemoteStore,
    RemoteStoreError,
    graph_format,
)
from publisher.store.results import Written, write_boolean, write_graph, write_solutions

# Virtuoso's schemes for built-in SQL functions and stored procedures (IRIs are compared lower-cased)
SQL_SCHEMES = ("bif:", "sql:")
SQL_FUNCTIONS_REFUSED = (
    "IRIs in the bif: and sql: schemes (the SPARQL server's SQL functions) are not accepted."
)


class RemoteQueries:
    """Run clients' queries on the external server, at most ``size`` at once."""

    def __init__(self, size: int, queue_timeout: float) -> None:
        self._slots = threading.BoundedSemaphore(size)
        self.queue_timeout = queue_timeout

    def run(self, store: RemoteStore, job: Job, timeout: float) -> Outcome:
        """The written answer; raises PoolBusyError, QueryTimeoutError or RemoteStoreError."""
        if not self._slots.acquire(timeout=self.queue_timeout):
            raise PoolBusyError
        try:
            return run_remote(store, job, timeout)
        finally:
            self._slots.release()


def calls_sql_functions(iris: frozenset[str]) -> bool:
    """Whether any of the query's IRIs (as the guard's parse found them) names one of the server's SQL
    functions."""
    return any(iri.lower().startswith(SQL_SCHEMES) for iri in iris)


def run_remote(store: RemoteStore, job: Job, timeout: float) -> Outcome:
    returns_graph = job.format_name in OXIGRAPH_FORMATS
    query = f"BASE <{job.base_iri}>\n{job.query}"  # relative IRIs resolve as they do embedded
    try:
        with store.open(query, TRIPLES if returns_graph else SOLUTIONS, timeout) as answer:
            written = _graph(answer, job) if returns_graph else _solutions(answer, job)
    except RemoteStoreError as error:
        if error.timed_out:
            raise QueryTimeoutError from error
        if error.status == 400:
            return Outcome("syntax", message=f"The SPARQL server refused the query: {error.body[:300]}")
        raise
    return Outcome("ok", written.body, written.truncated, written.rows)


def _solutions(answer: HTTPResponse, job: Job) -> Written:
    result = ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON)
    if isinstance(result, ox.QueryBoolean):
        return write_boolean(bool(result), job.format_name)
    # the writer reads ``variables`` and rows by name, as CanonicalSolutions offers them
    return write_solutions(cast(ox.QuerySolutions, CanonicalSolutions(result)), job.format_name, job.max_rows)


def _graph(answer: HTTPResponse, job: Job) -> Written:
    triples = _triples(ox.parse(answer, format=graph_format(answer)))
    return write_graph(triples, job.format_name, job.max_rows, job.prefixes)


def _triples(quads: Iterator[ox.Quad]) -> Iterator[ox.Triple]:
    for quad in quads:
        yield quad.triple
