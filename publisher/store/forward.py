"""Forward a client's query to the external SPARQL server holding the release, and write its answer in the
format the client asked for.

The server answers in one format (SPARQL JSON for SELECT and ASK, N-Triples for CONSTRUCT and DESCRIBE),
read as a stream and written by ``results`` with the same row cap as the embedded store
(``query_run``). The query has passed the guard and the web layer's checks before it gets here
(``publisher.sparql.remote``); nothing of it runs in this process.
"""

from __future__ import annotations

from collections.abc import Iterator
from http.client import HTTPResponse
from typing import cast

import pyoxigraph as ox

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


def forward(store: RemoteStore, job: Job, timeout: float) -> Outcome:
    """The server's answer to ``job``, written as the client asked; "syntax" when the server refused the
    query as bad (HTTP 400). Raises RemoteStoreError for every other failure, ``timed_out`` set for one past
    ``timeout``."""
    returns_graph = job.format_name in OXIGRAPH_FORMATS
    query = f"BASE <{job.base_iri}>\n{job.query}"  # relative IRIs resolve as they do embedded
    try:
        with store.open(query, TRIPLES if returns_graph else SOLUTIONS, timeout) as answer:
            written = _graph(answer, job) if returns_graph else _solutions(answer, job)
    except RemoteStoreError as error:
        if error.status == 400 and not error.timed_out:
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
