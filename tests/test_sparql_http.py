"""The endpoint over HTTP: negotiation, errors a person can act on, caching, CORS, release switching."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
import requests
from rdflib import Graph

from publisher.build import run_pipeline
from publisher.releases import current_release
from publisher.settings import Settings
from tests.server import minimal_site, until

SELECT = (
    "SELECT ?label WHERE { ?s a <https://schema.org/EventSeries> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
)
CONSTRUCT = "CONSTRUCT WHERE { <http://localhost:8080/id/event/week> ?p ?o }"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    with minimal_site(tmp_path_factory.mktemp("http")) as served:
        yield served


@pytest.fixture(scope="module")
def endpoint(site: tuple[str, Settings]) -> str:
    return site[0] + "sparql"


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("*/*", "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ],
)
def test_select_results_by_accept(endpoint: str, accept: str, media_type: str) -> None:
    response = requests.get(endpoint, params={"query": SELECT}, headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert "Testwoche" in response.text


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        ("*/*", "text/turtle", "turtle"),
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/ld+json", "application/ld+json", "json-ld"),
    ],
)
def test_graph_results_by_accept(endpoint: str, accept: str, media_type: str, rdflib_format: str) -> None:
    response = requests.get(endpoint, params={"query": CONSTRUCT}, headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert len(graph) >= 8


@pytest.mark.parametrize(
    ("name", "media_type"), [("csv", "text/csv"), ("json", "application/sparql-results+json")]
)
def test_format_parameter_overrides_accept(endpoint: str, name: str, media_type: str) -> None:
    response = requests.get(
        endpoint, params={"query": SELECT, "format": name}, headers={"Accept": "text/html"}, timeout=30
    )
    assert response.headers["Content-Type"].split(";")[0] == media_type


def test_nothing_acceptable_is_406(endpoint: str) -> None:
    response = requests.get(endpoint, params={"query": SELECT}, headers={"Accept": "image/png"}, timeout=30)
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text
    graph = requests.get(endpoint, params={"query": CONSTRUCT}, headers={"Accept": "text/csv"}, timeout=30)
    assert graph.status_code == 406


def test_relative_iris_resolve_against_the_endpoint(endpoint: str) -> None:
    response = requests.get(
        endpoint,
        params={"query": "SELECT (<id/event/week> AS ?iri) {}"},
        headers={"Accept": "application/json"},
        timeout=30,
    )
    assert response.json()["results"]["bindings"][0]["iri"]["value"] == "http://localhost:8080/id/event/week"


def test_a_syntax_error_names_line_and_column(endpoint: str) -> None:
    query = "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o = )\n}"
    response = requests.get(
        endpoint, params={"query": query}, headers={"Accept": "application/json"}, timeout=30
    )
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert re.match(r"Query syntax error at line \d+, column \d+: expected ", message), message


@pytest.mark.parametrize(
    ("accept", "content_type", "marker"),
    [
        ("application/json", "application/json", '"error"'),
        ("text/plain", "text/plain", "400 Bad Request: Query syntax error"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html", "<h1>400 Bad Request</h1>"),
        ("*/*", "text/plain", "400 Bad Request: Query syntax error"),
    ],
)
def test_one_error_shape_by_accept(endpoint: str, accept: str, content_type: str, marker: str) -> None:
    response = requests.get(
        endpoint,
        params={"query": "SELECT * WHERE {", "format": "json"},
        headers={"Accept": accept},
        timeout=30,
    )
    assert response.status_code == 400
    assert response.headers["Content-Type"].split(";")[0] == content_type
    assert marker in response.text


@pytest.mark.parametrize(
    ("content_type", "status"),
    [("text/plain", 415), ("", 400), ("application/sparql-query; charset=latin-1", 415)],
)
def test_wrong_or_missing_content_type(endpoint: str, content_type: str, status: int) -> None:
    headers = {"Accept": "application/json"}
    if content_type:
        headers["Content-Type"] = content_type
    response = requests.post(endpoint, data=b"ASK {}", headers=headers, timeout=30)
    assert response.status_code == status
    assert (
        "Content-Type" in response.json()["error"]["message"]
        or "UTF-8" in response.json()["error"]["message"]
    )


def test_invalid_utf8_is_refused(endpoint: str) -> None:
    response = requests.post(
        endpoint,
        data=b'ASK { ?s ?p "\xff" }',
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert response.status_code == 400
    assert "UTF-8" in response.text


def test_bad_timeout_parameter(endpoint: str) -> None:
    response = requests.get(endpoint, params={"query": SELECT, "timeout": "soon"}, timeout=30)
    assert response.status_code == 400


def test_conditional_get_answers_304(endpoint: str) -> None:
    first = requests.get(endpoint, params={"query": SELECT}, timeout=30)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"].startswith("public")
    again = requests.get(endpoint, params={"query": SELECT}, headers={"If-None-Match": etag}, timeout=30)
    assert again.status_code == 304
    assert again.content == b""
    other = requests.get(
        endpoint, params={"query": SELECT + " LIMIT 1"}, headers={"If-None-Match": etag}, timeout=30
    )
    assert other.status_code == 200
    csv = requests.get(endpoint, params={"query": SELECT}, headers={"Accept": "text/csv"}, timeout=30)
    assert csv.headers["ETag"] != etag, "the ETag differs per format"


def test_post_results_are_not_cached(endpoint: str) -> None:
    response = requests.post(endpoint, data={"query": SELECT}, timeout=30)
    assert response.status_code == 200
    assert "ETag" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_cors_on_results_errors_and_preflight(endpoint: str) -> None:
    ok = requests.get(
        endpoint, params={"query": SELECT}, headers={"Origin": "https://portal.example"}, timeout=30
    )
    error = requests.get(
        endpoint, params={"query": "SELECT"}, headers={"Origin": "https://portal.example"}, timeout=30
    )
    preflight = requests.options(
        endpoint,
        headers={
            "Origin": "https://portal.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=30,
    )
    for response in (ok, error, preflight):
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Headers"] == "content-type"
    assert "X-Row-Limit-Reached" in ok.headers["Access-Control-Expose-Headers"]


def test_other_methods_are_405(endpoint: str) -> None:
    response = requests.put(endpoint, params={"query": "ASK {}"}, timeout=30)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_a_browser_gets_the_query_page(endpoint: str) -> None:
    page = requests.get(endpoint, headers={"Accept": "text/html,*/*;q=0.8"}, timeout=30)
    assert page.status_code == 200
    assert '<form id="query-form" method="get"' in page.text
    results = requests.get(
        endpoint, params={"query": SELECT}, headers={"Accept": "text/html,*/*;q=0.8"}, timeout=30
    )
    assert "<td>Testwoche</td>" in results.text
    assert "format=csv" in results.text


def test_query_page_escapes_what_it_shows(endpoint: str) -> None:
    hostile = 'SELECT ("<script>alert(1)</script>" AS ?x) {}'
    page = requests.get(endpoint, params={"query": hostile}, headers={"Accept": "text/html"}, timeout=30)
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_a_new_release_is_picked_up_without_a_failed_request(site: tuple[str, Settings]) -> None:
    url, settings = site
    before = current_release(settings.releases_dir)
    statuses: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        with requests.Session() as session:
            while not stop.is_set():
                statuses.append(session.get(url + "sparql", params={"query": SELECT}, timeout=30).status_code)

    threads = [threading.Thread(target=hammer) for _ in range(2)]
    for thread in threads:
        thread.start()
    people = settings.data_dir / "people.csv"
    people.write_text(people.read_text().replace("Erika Muster,Prof.", "Erika Neu,Prof."))
    run_pipeline(settings, release=True)
    label = "SELECT ?l WHERE { ?p <https://schema.org/name> ?l }"
    # taken once the server has prepared it, while the hammering goes on
    until(
        lambda: (
            "Erika Neu"
            in requests.get(url + "sparql", params={"query": label, "format": "csv"}, timeout=30).text
        )
    )
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert current_release(settings.releases_dir) != before
    assert statuses and set(statuses) == {200}, f"{len(statuses)} requests, statuses {set(statuses)}"


def test_without_a_query_machines_get_the_service_description(endpoint: str) -> None:
    for accept in ("*/*", ""):
        response = requests.get(endpoint, headers={"Accept": accept}, timeout=30)
        assert response.headers["Content-Type"].startswith("text/turtle")
        assert "sd:Service" in response.text
