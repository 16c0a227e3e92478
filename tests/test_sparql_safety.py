"""The endpoint is safe to expose: no outbound connections, stoppable queries, limits that answer clearly."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.listener import Listener
from tests.server import running_server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture
def listener() -> Iterator[Listener]:
    watching = Listener()
    yield watching
    watching.close()


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server with small limits, so that limits are reached quickly."""
    import shutil

    from tests.conftest import MINIMAL

    root = tmp_path_factory.mktemp("safety")
    shutil.copytree(MINIMAL, root / "data")
    env = {
        "CLUSTERLOD_QUERY_WORKERS": "2",
        "CLUSTERLOD_QUERY_TIMEOUT": "5",
        "CLUSTERLOD_MAX_ROWS": "7",
        "CLUSTERLOD_MAX_REQUEST_BYTES": "4096",
        "CLUSTERLOD_QUEUE_TIMEOUT": "0.5",
    }
    with running_server(root / "releases", root / "data", env) as url:
        yield url + "sparql"


def ask(endpoint: str, query: str, **params: str) -> requests.Response:
    return requests.get(
        endpoint, params={"query": query, **params}, headers={"Accept": "application/json"}, timeout=30
    )


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
        "PREFIX x: <http://127.0.0.1:{port}/> SELECT * WHERE { SERVICE x:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { BIND(<http://127.0.0.1:{port}/sparql> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    ],
    ids=["service", "service silent", "escaped keyword", "prefixed name", "variable"],
)
def test_service_is_refused_before_anything_runs(endpoint: str, listener: Listener, query: str) -> None:
    response = ask(endpoint, query.replace("{port}", str(listener.port)))
    assert response.status_code == 400
    assert "SERVICE" in response.json()["error"]["message"]
    time.sleep(0.3)
    assert listener.connections == 0


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://127.0.0.1:{port}/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
    ids=["from", "from named"],
)
def test_from_selects_local_graphs_and_fetches_nothing(endpoint: str, listener: Listener, query: str) -> None:
    response = ask(endpoint, query.replace("{port}", str(listener.port)))
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == [], "no graph of that name in the store, so no rows"
    time.sleep(0.3)
    assert listener.connections == 0


def test_protocol_graph_parameters_fetch_nothing(endpoint: str, listener: Listener) -> None:
    graph = f"http://127.0.0.1:{listener.port}/graph"
    response = ask(endpoint, COUNT, **{"default-graph-uri": graph})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "0"
    time.sleep(0.3)
    assert listener.connections == 0


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("update=LOAD <http://127.0.0.1:{port}/x.ttl>", "application/x-www-form-urlencoded"),
        ("LOAD <http://127.0.0.1:{port}/x.ttl>", "application/sparql-update"),
        ("query=LOAD <http://127.0.0.1:{port}/x.ttl>", "application/x-www-form-urlencoded"),
        ("query=INSERT DATA { <a:b> <a:c> <a:d> }", "application/x-www-form-urlencoded"),
    ],
    ids=["update form", "update direct", "load as query", "insert as query"],
)
def test_updates_are_refused_as_read_only(
    endpoint: str, listener: Listener, body: str, content_type: str
) -> None:
    response = requests.post(
        endpoint,
        data=body.replace("{port}", str(listener.port)).encode(),
        headers={"Content-Type": content_type, "Accept": "application/json"},
        timeout=30,
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["error"]["message"]
    time.sleep(0.3)
    assert listener.connections == 0


def test_a_runaway_query_is_stopped_while_others_are_served(endpoint: str) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        started = time.monotonic()
        runaway = pool.submit(ask, endpoint, RUNAWAY, timeout="1.5")
        time.sleep(0.2)
        quick = ask(endpoint, COUNT)
        quick_done = time.monotonic() - started
        stopped = runaway.result()
        stopped_after = time.monotonic() - started
    assert quick.status_code == 200
    assert stopped.status_code == 503
    assert "time limit of 1.5 s" in stopped.json()["error"]["message"]
    assert quick_done < stopped_after, "the quick query did not wait for the runaway one"
    again = ask(endpoint, COUNT)
    assert again.status_code == 200, "the worker that was killed has been replaced"


def test_the_time_limit_cannot_be_raised_by_a_client(endpoint: str) -> None:
    started = time.monotonic()
    response = ask(endpoint, RUNAWAY, timeout="600")
    assert response.status_code == 503
    assert "time limit of 5 s" in response.json()["error"]["message"]
    assert time.monotonic() - started < 60


def test_busy_workers_answer_503_with_retry_after(endpoint: str) -> None:
    with ThreadPoolExecutor(max_workers=3) as pool:
        runaways = [pool.submit(ask, endpoint, RUNAWAY, timeout="3") for _ in range(2)]
        time.sleep(0.5)
        refused = ask(endpoint, COUNT)
        for future in runaways:
            future.result()
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "1"
    assert "busy" in refused.json()["error"]["message"]


def test_the_row_cap_is_signalled_not_silent(endpoint: str) -> None:
    response = ask(endpoint, "SELECT * WHERE { ?s ?p ?o }")
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 7
    assert response.headers["X-Row-Limit"] == "7"
    assert response.headers["X-Row-Limit-Reached"] == "true"
    assert response.json()["head"]["link"] == ["#row-limit"]
    small = ask(endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    assert "X-Row-Limit-Reached" not in small.headers
    assert "link" not in small.json()["head"]


def test_the_row_cap_applies_to_graphs(endpoint: str) -> None:
    response = requests.get(
        endpoint,
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
        timeout=30,
    )
    assert response.status_code == 200
    assert len(response.text.strip().splitlines()) == 7
    assert response.headers["X-Row-Limit-Reached"] == "true"


def test_a_request_too_large_is_refused(endpoint: str) -> None:
    padding = "#" + "x" * 5000 + "\n"
    posted = requests.post(
        endpoint,
        data=(padding + COUNT).encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
        timeout=30,
    )
    assert posted.status_code == 413
    got = ask(endpoint, padding + COUNT)
    assert got.status_code == 414
    assert json.loads(got.text)["error"]["status"] == 414


def test_the_server_survives_all_of_the_above(endpoint: str) -> None:
    assert ask(endpoint, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_allowed_services_are_the_operators_choice(
    tmp_path: Path, data_dir: Path, listener: Listener
) -> None:
    allowed = f"http://127.0.0.1:{listener.port}/sparql"
    with running_server(tmp_path / "releases", data_dir, {"CLUSTERLOD_ALLOWED_SERVICES": allowed}) as url:
        other = ask(url + "sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/other> { ?s ?p ?o } }")
        assert other.status_code == 400
        description = requests.get(url + "sparql", headers={"Accept": "text/turtle"}, timeout=30)
        assert "sd:BasicFederatedQuery" in description.text


def test_queries_read_at_the_same_time_are_each_read_right(endpoint: str) -> None:
    """The guard's parser is shared by the server's threads; concurrent parses must not garble it."""
    cases = [(COUNT, 200), ("ASK { ?s ?p ?o }", 200), ("SELECT * WHERE { ?s ?p ", 400), ("CLEAR ALL", 403)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda case: ask(endpoint, case[0]).status_code, cases * 12))
    assert answers == [status for _, status in cases] * 12
