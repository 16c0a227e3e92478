"""A release held by an external SPARQL 1.1 server, asked over the SPARQL 1.1 Protocol with SPARQLWrapper.

Every query names the release's graph as its only default graph (``default-graph-uri``), so the answers
are the same as from the embedded store, also on servers whose default graph is the union of all graphs
(Virtuoso). Where ``GRAPH ?g`` reaches graphs a request did not name (Virtuoso again; a probe asks once),
queries also name one graph that never holds anything (``named-graph-uri``). Queries go as form POSTs,
never "POST directly", which Virtuoso does not answer. Answers are read with pyoxigraph, which also takes
Virtuoso's older SPARQL JSON (``typed-literal``); ``CanonicalSolutions`` writes booleans ``true``/``false``
where Virtuoso says ``1``/``0``. Documents are made by fetching what ``describe`` reads about a thing with
one CONSTRUCT into a small in-memory store and describing it there: the same code makes the same document
in both modes.
"""

from __future__ import annotations

import logging
import math
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.client import HTTPResponse
from urllib.error import HTTPError, URLError

import pyoxigraph as ox
import requests
from SPARQLWrapper import BASIC, DIGEST, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from publisher.errors import ReleaseError
from publisher.store.answers import RememberedAnswers
from publisher.store.describe import Description, DocumentFacts, Lookups, describe
from publisher.store.embedded import FIGURES

log = logging.getLogger(__name__)

SOLUTIONS = "application/sparql-results+json"
TRIPLES = "application/n-triples"
# How Virtuoso words the error for a query stopped at its own time limit ("S1T00 Error SR171: Transaction
# timed out", HTTP 500): answered as a timeout, as embedded
SERVER_TIMEOUTS = ("S1T00", "SR171")
XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
BOOLEANS = {"1": ox.Literal("true", datatype=XSD_BOOLEAN), "0": ox.Literal("false", datatype=XSD_BOOLEAN)}

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


@dataclass(frozen=True)
class Credentials:
    """How to log in to the external SPARQL server: HTTP ``digest`` (Virtuoso) or ``basic`` authentication.

    The password is left out of ``repr``, so it cannot reach a log line by accident.
    """

    user: str
    password: str = field(repr=False)
    scheme: str = "digest"

    def for_requests(self) -> requests.auth.AuthBase:
        """A fresh ``requests`` authenticator (a digest one keeps the server's nonce for later requests)."""
        if self.scheme == "basic":
            return requests.auth.HTTPBasicAuth(self.user, self.password)
        return requests.auth.HTTPDigestAuth(self.user, self.password)

    def apply_to(self, wrapper: SPARQLWrapper) -> None:
        wrapper.setHTTPAuth(BASIC if self.scheme == "basic" else DIGEST)
        wrapper.setCredentials(self.user, self.password)


class RemoteStore:
    """One release's graph on an external SPARQL server, with the interface of the embedded store."""

    def __init__(
        self, query_url: str, graph: str, timeout: float, credentials: Credentials | None = None
    ) -> None:
        self.query_url = query_url
        self.graph = graph
        self.timeout = timeout
        self.credentials = credentials
        self._answers = RememberedAnswers()
        self._graph_reaches_beyond: bool | None = None

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
        if not isinstance(result, ox.QueryBoolean):
            raise RemoteStoreError(_ASK_AS_TABLE.format(url=self.query_url), self.query_url)
        return bool(result)

    def figures_about(self, thing: str, language: str) -> list[dict[str, str]]:
        """The figures (observations) about ``thing``: value, qualifier, date, statement and source."""
        return self.select(figures_query(thing, language))

    def count(self) -> int:
        """The number of triples in the release's graph."""
        rows = self._run_select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"]) if rows else 0

    @contextmanager
    def open(self, query: str, accept: str, timeout: float | None = None) -> Iterator[HTTPResponse]:
        """Send ``query`` over the release's graph; yield the server's answer, a readable stream.

        Raises RemoteStoreError when the server cannot be reached, answers an error or runs out of time.
        """
        with self._request(query, accept, timeout, self.graph_reaches_beyond()) as response:
            yield response

    def graph_reaches_beyond(self) -> bool:
        """Whether the server lets ``GRAPH`` reach graphs a request did not name (Virtuoso); then queries
        name an empty graph as their only named graph."""
        if self._graph_reaches_beyond is None:
            self._graph_reaches_beyond = self._probe_graph_isolation()
        return self._graph_reaches_beyond

    def _probe_graph_isolation(self) -> bool:
        """Whether ``GRAPH ?g`` reaches graphs the request did not name (Virtuoso), asked once per store.

        A server that follows the protocol sees no named graph when only ``default-graph-uri`` is given;
        one that does not sees at least the release's own graph.
        """
        with self._request("ASK { GRAPH ?g { ?s ?p ?o } }", SOLUTIONS, None, False) as answer:
            reaches = bool(ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON))
        if reaches:
            log.info("%s lets GRAPH ?g reach graphs not named: naming an empty one", self.query_url)
        return reaches

    @contextmanager
    def _request(
        self, query: str, accept: str, timeout: float | None, name_no_graph: bool
    ) -> Iterator[HTTPResponse]:
        wrapper = SPARQLWrapper(self.query_url)
        wrapper.setMethod(POST)  # a form POST: no URL length limit, every server takes it (not POSTDIRECTLY)
        wrapper.setOnlyConneg(True)
        wrapper.addDefaultGraph(self.graph)
        if name_no_graph:
            wrapper.addNamedGraph(no_graph(self.graph))
        if self.credentials is not None:
            self.credentials.apply_to(wrapper)
        wrapper.setQuery(query)
        wrapper.addCustomHttpHeader("Accept", accept)
        wrapper.setTimeout(max(1, math.ceil(timeout or self.timeout)))
        try:
            response: HTTPResponse = wrapper.query().response
        except (SPARQLWrapperException, OSError) as error:
            raise _translated(error, self.query_url) from error
        state = response.headers.get("X-SQL-State")
        if state:  # Virtuoso's "anytime" answer: partial results after its own time limit, with status 200
            response.close()
            message = f"the SPARQL server at {self.query_url} answered incomplete results ({state})"
            raise RemoteStoreError(message, self.query_url, 200, timed_out=state == "S1TAT")
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
            return canonical_rows(solutions)


def figures_query(thing: str, language: str) -> str:
    """The embedded store's FIGURES query with ``?thing`` and ``?language`` written in as constants, not
    bound by VALUES: Virtuoso 7.2 fails to compile a VALUES variable used in a FILTER inside an OPTIONAL
    ("SP031 ... Internal error: ssg_print_rvr_fixed_val()")."""
    query = re.sub(r"^\s*VALUES \(\?thing \?language\).*$", "", FIGURES, count=1, flags=re.MULTILINE)
    query = re.sub(r"\?thing\b", str(ox.NamedNode(thing)), query)  # N-Triples terms: always safe to write in
    return re.sub(r"\?language\b", str(ox.Literal(language)), query)


def no_graph(graph: str) -> str:
    """A graph IRI that never holds anything: on a server whose ``GRAPH ?g`` otherwise reaches every graph,
    the only named graph a query may see, so that it finds nothing there, as in the embedded store (which
    keeps the release in its default graph)."""
    return f"{graph}/none"


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class CanonicalSolutions:
    """Solutions as the server sent them, except that every ``xsd:boolean`` is written ``true``/``false``
    (Virtuoso answers ``1``/``0``: the same values in another lexical form). It is read like
    ``ox.QuerySolutions``: ``variables``, then rows indexed by variable name."""

    def __init__(self, solutions: ox.QuerySolutions) -> None:
        self.variables: list[ox.Variable] = solutions.variables
        self._solutions = solutions

    def __iter__(self) -> Iterator[dict[str, Term | None]]:
        names = [v.value for v in self.variables]
        for row in self._solutions:
            yield {name: canonical_term(row[name]) for name in names}


def canonical_term(term: Term | None) -> Term | None:
    """``term``, with an ``xsd:boolean`` ``1``/``0`` written ``true``/``false``."""
    if isinstance(term, ox.Literal) and term.datatype == XSD_BOOLEAN:
        return BOOLEANS.get(term.value, term)
    return term


def canonical_rows(solutions: ox.QuerySolutions) -> list[dict[str, str]]:
    """Each solution as a dict of variable name to lexical value, as ``lexical_rows`` makes them embedded."""
    return [
        {
            name: str(term) if isinstance(term, ox.Triple) else term.value
            for name, term in row.items()
            if term is not None
        }
        for row in CanonicalSolutions(solutions)
    ]


_ASK_AS_TABLE = (
    "the SPARQL server at {url} answered an ASK query with a table, not a boolean "
    "(Virtuoso does this unless its ini file sets CaseMode = 2)"
)


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
        if status == 500 and any(sign in body for sign in SERVER_TIMEOUTS):
            message = f"the SPARQL server at {url} stopped the query at its own time limit"
            return RemoteStoreError(message, url, status, timed_out=True, body=body)
        return RemoteStoreError(f"the SPARQL server at {url} answered HTTP {status}", url, status, body=body)
    if isinstance(error, HTTPError):
        return RemoteStoreError(f"the SPARQL server at {url} answered HTTP {error.code}", url, error.code)
    reason = error.reason if isinstance(error, URLError) else error
    if isinstance(reason, TimeoutError | socket.timeout):
        return RemoteStoreError(f"the SPARQL server at {url} did not answer in time", url, timed_out=True)
    return RemoteStoreError(f"the SPARQL server at {url} could not be reached: {reason}", url)
