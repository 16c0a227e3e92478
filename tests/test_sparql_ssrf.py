"""No query makes the server call another endpoint: the guard refuses SERVICE on its parse of the query, and
the query worker could not open a connection if the guard missed one (issue 12, defect 1)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from publisher.build import run_pipeline
from publisher.settings import Settings
from publisher.sparql.pool import QueryPool
from publisher.sparql.worker import Confinement
from publisher.store import Job
from tests.conftest import MINIMAL
from tests.listener import Listener
from tests.server import running_server

TARGET = "<http://127.0.0.1:{port}/sparql>"
# Each hides a SERVICE call to the listener from one way or another of reading the query by hand.
HIDING = {
    # the reproducer: a backslash escape in a local name read as a comment by the old tokenizer
    "escaped hash in a local name": "PREFIX ex: <http://example.org/> "
    "SELECT * WHERE { BIND(ex:a\\# AS ?d) SERVICE " + TARGET + " { ?s ?p ?o } }",
    "escaped quote in a local name": "PREFIX ex: <http://example.org/> "
    "SELECT * WHERE { BIND(ex:a\\' AS ?d) SERVICE " + TARGET + " { ?s ?p ?o } }",
    "escaped hash, then a quote": "PREFIX ex: <http://example.org/> "
    "SELECT * WHERE { BIND(ex:a\\#' AS ?d) SERVICE " + TARGET + " { ?s ?p ?o } } #'",
    "comment before": "SELECT * WHERE { # a comment\n SERVICE " + TARGET + " { ?s ?p ?o } }",
    "comment between keyword and IRI": "SELECT * WHERE { SERVICE# c\n" + TARGET + " { ?s ?p ?o } }",
    "hash inside a string": "SELECT * WHERE { BIND('#' AS ?x) SERVICE " + TARGET + " { ?s ?p ?o } }",
    "quote inside a long string": 'SELECT * WHERE { BIND("""a"b\'""" AS ?x) SERVICE '
    + TARGET
    + " { ?s ?p ?o } }",
    "escaped quote inside a string": "SELECT * WHERE { BIND('a\\'b' AS ?x) SERVICE "
    + TARGET
    + " { ?s ?p ?o } }",
    "u escape of the keyword": "SELECT * WHERE { \\u0053ERVICE " + TARGET + " { ?s ?p ?o } }",
    "U escape of the keyword": "SELECT * WHERE { \\U00000053ERVICE " + TARGET + " { ?s ?p ?o } }",
    "u escape in the IRI": "SELECT * WHERE { SERVICE <\\u0068ttp://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "mixed case": "SELECT * WHERE { sErViCe " + TARGET + " { ?s ?p ?o } }",
    "silent": "SELECT * WHERE { SERVICE SILENT " + TARGET + " { ?s ?p ?o } }",
    "prefixed name": "PREFIX x: <http://127.0.0.1:{port}/> SELECT * WHERE { SERVICE x:sparql { ?s ?p ?o } }",
    "relative IRI and BASE": "BASE <http://127.0.0.1:{port}/> "
    "SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
    "variable bound by BIND": "SELECT * WHERE { BIND(" + TARGET + " AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "variable bound by VALUES": "SELECT * WHERE { VALUES ?e { " + TARGET + " } SERVICE ?e { ?s ?p ?o } }",
    "nested groups": "SELECT * WHERE { { { { SERVICE " + TARGET + " { ?s ?p ?o } } } } }",
    "optional": "SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE " + TARGET + " { ?s ?p ?o } } }",
    "union": "SELECT * WHERE { { ?a ?b ?c } UNION { SERVICE " + TARGET + " { ?s ?p ?o } } }",
    "minus": "SELECT * WHERE { ?a ?b ?c MINUS { SERVICE " + TARGET + " { ?a ?b ?c } } }",
    "subquery": "SELECT * WHERE { { SELECT * WHERE { SERVICE " + TARGET + " { ?s ?p ?o } } LIMIT 1 } }",
    "filter exists": "SELECT * WHERE { ?a ?b ?c FILTER EXISTS { SERVICE " + TARGET + " { ?a ?b ?c } } }",
    "filter not exists": "SELECT * WHERE { ?a ?b ?c FILTER NOT EXISTS { SERVICE "
    + TARGET
    + " { ?a ?b ?c } } }",
    "after a property path": "SELECT * WHERE { ?a <http://example.org/p>/<http://example.org/q>* ?c . "
    "SERVICE " + TARGET + " { ?s ?p ?o } }",
    "inside a graph pattern": "SELECT * WHERE { GRAPH ?g { SERVICE " + TARGET + " { ?s ?p ?o } } }",
    "ask": "ASK { SERVICE " + TARGET + " { ?s ?p ?o } }",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE " + TARGET + " { ?s ?p ?o } }",
    "describe": "DESCRIBE ?s WHERE { SERVICE " + TARGET + " { ?s ?p ?o } }",
    "nested service": "SELECT * WHERE { SERVICE " + TARGET + " { SERVICE " + TARGET + " { ?s ?p ?o } } }",
}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("ssrf")
    shutil.copytree(MINIMAL, root / "data")
    with running_server(root / "releases", root / "data", {"CLUSTERLOD_QUERY_TIMEOUT": "5"}) as url:
        yield url + "sparql"


@pytest.fixture
def listener() -> Iterator[Listener]:
    watching = Listener()
    yield watching
    watching.close()


def _send(endpoint: str, method: str, query: str) -> requests.Response:
    if method == "GET":
        return requests.get(
            endpoint, params={"query": query}, headers={"Accept": "application/json"}, timeout=30
        )
    if method == "POST form":
        return requests.post(
            endpoint, data={"query": query}, headers={"Accept": "application/json"}, timeout=30
        )
    if method == "POST direct":
        headers = {"Content-Type": "application/sparql-query", "Accept": "application/json"}
        return requests.post(endpoint, data=query.encode(), headers=headers, timeout=30)
    return requests.get(endpoint, params={"query": query}, headers={"Accept": "text/html"}, timeout=30)


@pytest.mark.parametrize("method", ["GET", "POST form", "POST direct", "query page"])
@pytest.mark.parametrize("query", list(HIDING.values()), ids=list(HIDING))
def test_no_hidden_service_call_opens_a_connection(
    endpoint: str, listener: Listener, query: str, method: str
) -> None:
    response = _send(endpoint, method, query.replace("{port}", str(listener.port)))
    assert response.status_code == 400, response.text[:300]
    time.sleep(0.05)  # the answer came after any attempt; give the listener's thread a moment to count it
    assert listener.connections == 0


def test_a_refused_service_call_is_named_in_the_answer(endpoint: str, listener: Listener) -> None:
    response = _send(endpoint, "GET", HIDING["escaped quote inside a string"].replace("{port}", "1"))
    assert "SERVICE <http://127.0.0.1:1/sparql> is not allowed" in response.json()["error"]["message"]
    page = _send(endpoint, "query page", HIDING["mixed case"].replace("{port}", "1"))
    assert "is not allowed" in page.text


def _job(folder: Path, base: str, query: str) -> Job:
    return Job(str(folder / "store"), query, base + "sparql", "json", 10)


def test_the_query_worker_cannot_reach_the_network_even_past_the_guard(
    settings: Settings, listener: Listener
) -> None:
    """The second wall: a SERVICE query handed straight to a worker, as if the guard had missed it."""
    release = run_pipeline(settings, release=True).release
    assert release is not None
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    closed = QueryPool(1, 5.0, Confinement(network=False, memory_bytes=2**30))
    try:
        outcome = closed.run(_job(release.folder, settings.base, query), timeout=20)
        assert outcome.kind == "error"
        assert "Permission denied" in outcome.message
        assert closed.run(_job(release.folder, settings.base, "ASK { ?s ?p ?o }"), timeout=20).kind == "ok"
    finally:
        closed.close()
    time.sleep(0.2)
    assert listener.connections == 0
    # the control: a worker allowed onto the network does reach the listener, so the count above is real
    open_pool = QueryPool(1, 5.0, Confinement(network=True, memory_bytes=2**30))
    try:
        open_pool.run(_job(release.folder, settings.base, query), timeout=20)
    finally:
        open_pool.close()
    time.sleep(0.2)
    assert listener.connections >= 1
