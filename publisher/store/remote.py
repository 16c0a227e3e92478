"""A release held by an external SPARQL 1.1 server, asked over the SPARQL 1.1 Protocol with SPARQLWrapper.

Every query names the release's graph as its only default graph (``default-graph-uri``, no named graphs),
so the answers are the same as from the embedded store. Documents are made by fetching what ``describe``
reads about a thing with one CONSTRUCT into a small in-memory store and describing it there: the same code
makes the same document in both modes.
"""

from __future__ import annotations

import logging
import math
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from http.client import HTTPResponse
from urllib.error import HTTPError, URLError

import pyoxigraph as ox
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from publisher.errors import ReleaseError
from publisher.store.answers import RememberedAnswers
from publisher.store.describe import Description, DocumentFacts, Lookups, describe
from publisher.store.embedded import FIGURES, lexical_rows

log = logging.getLogger(__name__)

SOLUTIONS = "application/sparql-results+json"
TRIPLES = "application/n-triples"

# Everything ``describe`` reads about THING: its statements, the blank nodes they lead to, its inbound links,
# the labels of what it links to and what links to it, and the title and address of its sources.
DESCRIBE = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
CONSTRUCT {
  ?thing ?p ?o . ?b ?bp ?bo . ?s ?ip ?thing . ?x rdfs:label ?label .
  ?source dcterms:title ?title . ?source schema:url ?url .
} WHERE {
  VALUES ?thing { THING }
  { ?thing ?p ?o }
  UNION { ?thing ?p0 ?b . FILTER(isBlank(?b)) ?b ?bp ?bo }
  UNION { ?s ?ip ?thing }
  UNION {
    { ?thing ?x ?any } UNION { ?thing ?any ?x } UNION { ?x ?any ?thing } UNION { ?any ?x ?thing }
    FILTER(isIRI(?x)) ?x rdfs:label ?label
  }
  UNION {
    ?thing prov:wasDerivedFrom ?source . { ?source dcterms:title ?title } UNION { ?source schema:url ?url }
  }
}
"""


class RemoteStoreError(ReleaseError):
    """The external SPARQL server could not be reached or answered with an error.

    ``url`` names the server, ``status`` is the HTTP status it answered (None when it did not answer),
    ``timed_out`` tells a request that ran past its time limit, ``body`` is the start of its answer.
    """

    def __init__(
        self, message: str, url: str, status: int | None = None, timed_out: bool = False, body: str = ""
    ) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.timed_out = timed_out
        self.body = body

    @property
    def gateway_status(self) -> int:
        """How the web layer answers: 504 past the time limit, otherwise 502 (bad or no answer upstream)."""
        return 504 if self.timed_out else 502


class RemoteStore:
    """One release's graph on an external SPARQL server, with the interface of the embedded store."""

    def __init__(self, query_url: str, graph: str, timeout: float) -> None:
        self.query_url = query_url
        self.graph = graph
        self.timeout = timeout
        self._answers = RememberedAnswers()

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT query; each row maps variable names to lexical values (small answers remembered)."""
        return self._answers.get(query, self._run_select)

    def describe(
        self, thing: str, facts: DocumentFacts, page: int = 1, page_size: int = 100
    ) -> Description | None:
        """What the server holds about ``thing``, described as the embedded store describes it."""
        local = ox.Store()
        with self.open(DESCRIBE.replace("THING", str(ox.NamedNode(thing))), TRIPLES) as answer:
            local.load(answer, format=graph_format(answer), to_graph=ox.DefaultGraph())
        return describe(Lookups(local), thing, facts, page, page_size)

    def knows(self, thing: str) -> bool:
        """Whether the release holds any statement about ``thing``."""
        with self.open(f"ASK {{ {ox.NamedNode(thing)} ?p ?o }}", SOLUTIONS) as answer:
            result = ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON)
        return bool(result)

    def figures_about(self, thing: str, language: str) -> list[dict[str, str]]:
        """The figures (observations) about ``thing``: value, qualifier, date, statement and source."""
        values = f"{ox.NamedNode(thing)} {ox.Literal(language)}"  # written as N-Triples terms: always safe
        return self.select(FIGURES.replace("THING_AND_LANGUAGE", values))

    def count(self) -> int:
        """The number of triples in the release's graph."""
        rows = self._run_select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"]) if rows else 0

    @contextmanager
    def open(self, query: str, accept: str, timeout: float | None = None) -> Iterator[HTTPResponse]:
        """Send ``query`` over the release's graph; yield the server's answer, a readable stream.

        Raises RemoteStoreError when the server cannot be reached, answers an error or runs out of time.
        """
        wrapper = SPARQLWrapper(self.query_url)
        wrapper.setMethod(POST)  # a form POST: no URL length limit, and every server takes it
        wrapper.setOnlyConneg(True)
        wrapper.addDefaultGraph(self.graph)
        wrapper.setQuery(query)
        wrapper.addCustomHttpHeader("Accept", accept)
        wrapper.setTimeout(max(1, math.ceil(timeout or self.timeout)))
        try:
            response: HTTPResponse = wrapper.query().response
        except (SPARQLWrapperException, OSError) as error:
            raise _translated(error, self.query_url) from error
        try:
            yield response
        except OSError as error:  # a timeout or reset while reading the answer
            raise _translated(error, self.query_url) from error
        finally:
            response.close()

    def _run_select(self, query: str) -> list[dict[str, str]]:
        with self.open(query, SOLUTIONS) as answer:
            solutions = ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON)
            if not isinstance(solutions, ox.QuerySolutions):
                raise TypeError("select() takes SELECT queries only")
            return lexical_rows(solutions)


def graph_format(answer: HTTPResponse) -> ox.RdfFormat:
    """The RDF format of a CONSTRUCT answer: N-Triples as asked, or what the server chose instead."""
    media_type = (answer.headers.get("Content-Type") or TRIPLES).split(";")[0].strip()
    return ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE


def _translated(error: Exception, url: str) -> RemoteStoreError:
    """A SPARQLWrapper or network error as a RemoteStoreError naming the server and its status."""
    if isinstance(error, SPARQLWrapperException):
        status = {
            "QueryBadFormed": 400,
            "Unauthorized": 401,
            "EndPointNotFound": 404,
            "URITooLong": 414,
            "EndPointInternalError": 500,
        }.get(type(error).__name__, 500)
        body = str(error).split("Response:\n", 1)[-1][:500]
        return RemoteStoreError(f"the SPARQL server at {url} answered HTTP {status}", url, status, body=body)
    if isinstance(error, HTTPError):
        return RemoteStoreError(f"the SPARQL server at {url} answered HTTP {error.code}", url, error.code)
    reason = error.reason if isinstance(error, URLError) else error
    if isinstance(reason, TimeoutError | socket.timeout):
        return RemoteStoreError(f"the SPARQL server at {url} did not answer in time", url, timed_out=True)
    return RemoteStoreError(f"the SPARQL server at {url} could not be reached: {reason}", url)
