"""The remote-store mode: releases loaded into a real Oxigraph server and served from it.

The bundled data is built once into an Oxigraph server; one publisher serves it from there (remote mode) and
another from the same release's embedded store. Documents, pages, VoID and SPARQL answers must be the same;
the endpoint must never show another graph of the server; a build against a server that is down must fail
without touching ``current``; pruning drops old graphs and a rollback serves the older graph.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from publisher.build import run_pipeline
from publisher.errors import SettingsError
from publisher.release import Release, current_release, list_releases
from publisher.settings import Settings
from publisher.store.graphstore import graph_of, read_record
from tests.conftest import BASE, MINIMAL, PROJECT
from tests.rdf_compare import assert_isomorphic
from tests.remote import OxigraphServer, oxigraph_server
from tests.server import free_port, running_server

pytestmark = pytest.mark.slow

OTHER_GRAPH = "http://example.org/another-dataset"
HIDDEN = "label-from-another-dataset"
TIMEOUT = 60
MAX_ROWS = 50
TYPES = ["initiative", "organisation", "person", "post", "place", "event", "field", "document", "observation"]


@dataclass(frozen=True)
class Site:
    oxigraph: OxigraphServer
    settings: Settings
    release: Release
    remote: str  # the publisher answering from the Oxigraph server
    embedded: str  # the publisher answering from the release's embedded store


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("remote")
    with oxigraph_server(root / "oxigraph", query_timeout=5) as oxigraph:
        settings = Settings(
            data_dir=PROJECT / "data",
            releases_dir=root / "releases",
            remote_query_url=oxigraph.query_url,
            remote_store_url=oxigraph.store_url,
        )
        release = run_pipeline(settings, release=True).release
        assert release is not None
        hidden = f'<{BASE}id/initiative/x> <http://www.w3.org/2000/01/rdf-schema#label> "{HIDDEN}" .\n'
        put = requests.put(
            oxigraph.store_url,
            params={"graph": OTHER_GRAPH},
            data=hidden.encode(),
            headers={"Content-Type": "application/n-triples"},
            timeout=TIMEOUT,
        )
        assert put.status_code in (201, 204)
        limits = {"CLUSTERLOD_MAX_ROWS": str(MAX_ROWS)}
        with (
            running_server(settings.releases_dir, env=oxigraph.env() | limits) as remote,
            running_server(settings.releases_dir, env=limits) as embedded,
        ):
            yield Site(oxigraph, settings, release, remote, embedded)


def _things(release: Release) -> list[str]:
    store = ox.Store.read_only(str(release.folder / "store"))
    return sorted(
        {
            quad.subject.value
            for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
            if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(f"{BASE}id/")
        }
    )


def _turtle(url: str) -> Graph:
    answer = requests.get(url, headers={"Accept": "text/turtle"}, timeout=TIMEOUT)
    assert answer.status_code == 200, url
    return Graph().parse(data=answer.text, format="turtle")


def test_the_release_is_one_named_graph_on_the_server_with_every_triple(site: Site) -> None:
    record = read_record(site.release.folder)
    assert record is not None
    assert record.graph == graph_of(BASE, site.release.id) == f"{BASE}graph/release/{site.release.id}"
    assert record.query_url == site.oxigraph.query_url
    assert site.oxigraph.graphs()[record.graph] == site.release.manifest["triples"] == record.triples
    assert "remote.json" in site.release.manifest["files"]


def test_every_document_is_the_same_in_both_modes(site: Site) -> None:
    things = _things(site.release)
    assert len(things) > 100
    for thing in things:
        path = thing.removeprefix(f"{BASE}id/")
        assert_isomorphic(_turtle(f"{site.remote}doc/{path}"), _turtle(f"{site.embedded}doc/{path}"))
        page = requests.get(f"{site.remote}doc/{path}", headers={"Accept": "text/html"}, timeout=TIMEOUT)
        assert page.status_code == 200, thing
        assert (
            requests.get(f"{site.remote}id/{path}", allow_redirects=False, timeout=TIMEOUT).status_code == 303
        )


@pytest.mark.parametrize(
    "path",
    ["", *(f"doc/{t}/" for t in TYPES), "search?q=cluster", "dataset", "sitemap.xml"],
)
def test_pages_answer_in_remote_mode_as_they_do_embedded(site: Site, path: str) -> None:
    remote = requests.get(site.remote + path, headers={"Accept": "text/html"}, timeout=TIMEOUT)
    embedded = requests.get(site.embedded + path, headers={"Accept": "text/html"}, timeout=TIMEOUT)
    assert remote.status_code == embedded.status_code == 200
    assert remote.text.replace(site.remote, "") == embedded.text.replace(site.embedded, "")


def test_void_counts_are_the_same_in_both_modes(site: Site) -> None:
    remote = _turtle(f"{site.remote}.well-known/void")
    assert len(remote) > 50
    assert_isomorphic(remote, _turtle(f"{site.embedded}.well-known/void"))


SELECT = """SELECT ?thing ?label WHERE {
  ?thing <http://www.w3.org/2000/01/rdf-schema#label> ?label . FILTER(isIRI(?thing))
} ORDER BY ?thing ?label LIMIT 40"""
ASK = "ASK { ?s a <http://www.w3.org/2004/02/skos/core#ConceptScheme> }"
CONSTRUCT = """CONSTRUCT { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }
WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?s ?l LIMIT 40"""


def _raw(endpoint: str, query: str, return_format: str) -> bytes:
    wrapper = SPARQLWrapper(f"{endpoint}sparql")
    wrapper.setQuery(query)
    wrapper.setReturnFormat(return_format)
    body: bytes = wrapper.query().response.read()
    return body


@pytest.mark.parametrize(
    ("query", "return_format"),
    [(SELECT, JSON), (SELECT, XML), (SELECT, CSV), (SELECT, TSV), (ASK, JSON), (ASK, XML)],
)
def test_sparql_answers_are_the_same_in_both_modes(site: Site, query: str, return_format: str) -> None:
    remote = _raw(site.remote, query, return_format)
    assert remote == _raw(site.embedded, query, return_format)
    if query is SELECT and return_format == JSON:
        assert len(json.loads(remote)["results"]["bindings"]) == 40
    if query is ASK and return_format == JSON:
        assert json.loads(remote)["boolean"] is True


def test_construct_answers_are_the_same_in_both_modes(site: Site) -> None:
    remote = Graph().parse(data=_raw(site.remote, CONSTRUCT, TURTLE), format="turtle")
    assert len(remote) == 40
    assert_isomorphic(remote, Graph().parse(data=_raw(site.embedded, CONSTRUCT, TURTLE), format="turtle"))


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "ttl"])
def test_the_row_cap_is_signalled_in_remote_mode(site: Site, fmt: str) -> None:
    query = "SELECT * { ?s ?p ?o }" if fmt != "ttl" else "CONSTRUCT WHERE { ?s ?p ?o }"
    answer = requests.get(f"{site.remote}sparql", params={"query": query, "format": fmt}, timeout=TIMEOUT)
    assert answer.status_code == 200
    assert answer.headers["X-Row-Limit"] == str(MAX_ROWS)
    assert answer.headers["X-Row-Limit-Reached"] == "true"
    if fmt == "json":
        assert len(answer.json()["results"]["bindings"]) == MAX_ROWS
        assert answer.json()["head"]["link"] == ["#row-limit"]
    if fmt == "ttl":
        assert len(Graph().parse(data=answer.text, format="turtle")) == MAX_ROWS


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"query": "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}, 400),
        ({"query": "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }"}, 403),
        ({"update": "DROP ALL"}, 403),
        ({"query": "SELEC * { ?s ?p ?o }"}, 400),
    ],
)
def test_service_updates_and_bad_syntax_are_refused_as_embedded(
    site: Site, params: dict[str, str], status: int
) -> None:
    remote = requests.post(
        f"{site.remote}sparql", data=params, headers={"Accept": "application/json"}, timeout=TIMEOUT
    )
    embedded = requests.post(
        f"{site.embedded}sparql", data=params, headers={"Accept": "application/json"}, timeout=TIMEOUT
    )
    assert remote.status_code == embedded.status_code == status
    assert remote.json() == embedded.json()
    assert site.oxigraph.graphs()[graph_of(BASE, site.release.id)] == site.release.manifest["triples"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"query": "SELECT * { GRAPH ?g { ?s ?p ?o } }"}, 200),
        ({"query": "SELECT ?g { GRAPH ?g { } }"}, 200),
        ({"query": "SELECT * FROM <http://example.org/another-dataset> { ?s ?p ?o }"}, 400),
        (
            {"query": "SELECT * FROM NAMED <http://example.org/another-dataset> { GRAPH ?g { ?s ?p ?o } }"},
            400,
        ),
        ({"query": "SELECT * { ?s ?p ?o }", "default-graph-uri": OTHER_GRAPH}, 400),
        ({"query": "SELECT * { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": OTHER_GRAPH}, 400),
        ({"query": f'SELECT * {{ ?s ?p "{HIDDEN}" }}'}, 200),
        ({"query": f"ASK {{ GRAPH <{OTHER_GRAPH}> {{ ?s ?p ?o }} }}"}, 200),
    ],
)
def test_no_query_reaches_another_graph_on_the_server(
    site: Site, params: dict[str, str], status: int
) -> None:
    assert site.oxigraph.graphs()[OTHER_GRAPH] == 1  # the hidden is there, asked directly
    answer = requests.post(
        f"{site.remote}sparql", data=params, headers={"Accept": "application/json"}, timeout=TIMEOUT
    )
    assert answer.status_code == status
    assert HIDDEN not in answer.text
    assert OTHER_GRAPH not in answer.text
    if status == 200:
        body = answer.json()
        assert body.get("boolean") is False or body["results"]["bindings"] == []


def test_a_query_past_its_time_limit_answers_503_as_embedded(site: Site) -> None:
    params = {"query": "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "timeout": "1"}
    answers = [
        requests.post(f"{url}sparql", data=params, headers={"Accept": "application/json"}, timeout=TIMEOUT)
        for url in (site.remote, site.embedded)
    ]
    assert [a.status_code for a in answers] == [503, 503]
    assert answers[0].json() == answers[1].json()
    assert "time limit of 1 s" in answers[0].json()["error"]["message"]


def test_a_server_that_stops_answering_gives_502_in_the_error_shape(site: Site) -> None:
    dead = f"http://127.0.0.1:{free_port()}/"
    env = {"CLUSTERLOD_REMOTE_QUERY_URL": f"{dead}query", "CLUSTERLOD_REMOTE_STORE_URL": f"{dead}store"}
    with running_server(site.settings.releases_dir, env=env) as url:
        for path in ("doc/initiative/", "sparql?query=ASK%20%7B%7D", "search?q=cluster"):
            answer = requests.get(
                url + path, headers={"Accept": "application/json, text/html;q=0.9"}, timeout=TIMEOUT
            )
            assert answer.status_code == 502, path
            assert answer.json()["error"]["status"] == 502
            assert "SPARQL server" in answer.json()["error"]["message"]
            assert dead not in answer.text  # the server's address is logged, not shown
        assert requests.get(f"{url}dumps/latest/data.ttl", timeout=TIMEOUT).status_code == 200


def test_a_build_while_the_server_is_down_fails_and_keeps_current(site: Site) -> None:
    dead = f"http://127.0.0.1:{free_port()}/"
    before = current_release(site.settings.releases_dir)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")},
        "CLUSTERLOD_REMOTE_QUERY_URL": f"{dead}query",
        "CLUSTERLOD_REMOTE_STORE_URL": f"{dead}store",
    }
    command = ["build", "--data", str(PROJECT / "data"), "--releases", str(site.settings.releases_dir)]
    build = subprocess.run(
        [sys.executable, "-m", "publisher", *command], env=env, capture_output=True, text=True, timeout=300
    )
    assert build.returncode == 2  # a tool error, the data is fine (docs/decisions/20261128-remote-store.md)
    assert f"{dead}store" in build.stderr
    assert current_release(site.settings.releases_dir) == before
    assert [r.id for r in list_releases(site.settings.releases_dir)] == [site.release.id]
    assert not list(site.settings.releases_dir.glob(".building-*"))
    assert set(site.oxigraph.graphs()) == {graph_of(BASE, site.release.id), OTHER_GRAPH}
    thing = _things(site.release)[0].removeprefix(f"{BASE}id/")
    assert (
        requests.get(
            f"{site.remote}doc/{thing}", headers={"Accept": "text/turtle"}, timeout=TIMEOUT
        ).status_code
        == 200
    )


def _edit(data: Path, old: str, new: str) -> None:
    path = data / "people.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _activate(settings: Settings, env: dict[str, str], release_id: str) -> subprocess.CompletedProcess[str]:
    command = ["release", "--releases", str(settings.releases_dir), "--activate", release_id]
    return subprocess.run(
        [sys.executable, "-m", "publisher", *command], env=env, capture_output=True, text=True, timeout=120
    )


def test_pruning_drops_old_graphs_and_a_rollback_serves_the_older_graph(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "data")
    with oxigraph_server(tmp_path / "oxigraph") as oxigraph:
        settings = Settings(
            data_dir=tmp_path / "data",
            releases_dir=tmp_path / "releases",
            keep_releases=2,
            remote_query_url=oxigraph.query_url,
            remote_store_url=oxigraph.store_url,
        )
        first = run_pipeline(settings, release=True).release
        _edit(settings.data_dir, "Erika Muster,", "Erika Mustermann,")
        second = run_pipeline(settings, release=True).release
        _edit(settings.data_dir, "Erika Mustermann,", "Erika Musterfrau,")
        third = run_pipeline(replace(settings), release=True).release
        assert first and second and third
        assert [r.id for r in list_releases(settings.releases_dir)] == [second.id, third.id]
        assert set(oxigraph.graphs()) == {graph_of(BASE, second.id), graph_of(BASE, third.id)}

        env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
        rollback = _activate(settings, env | oxigraph.env(), second.id)
        assert rollback.returncode == 0, rollback.stderr
        for release in (second, third):  # served from the server only: the embedded stores are gone
            shutil.rmtree(release.folder / "store")
        with running_server(settings.releases_dir, env=oxigraph.env()) as url:
            person = requests.get(
                f"{url}doc/person/person-a", headers={"Accept": "text/turtle"}, timeout=TIMEOUT
            )
            assert person.status_code == 200
            assert "Erika Mustermann" in person.text
            assert "Erika Musterfrau" not in person.text

        requests.delete(
            oxigraph.store_url, params={"graph": graph_of(BASE, third.id)}, timeout=TIMEOUT
        ).raise_for_status()
        broken = _activate(settings, env | oxigraph.env(), third.id)
        assert broken.returncode == 2
        assert oxigraph.query_url in broken.stderr
        assert current_release(settings.releases_dir).id == second.id  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("query_url", "store_url", "named"),
    [
        ("http://127.0.0.1:7878/query", "", "remote_store_url is not"),
        ("", "http://127.0.0.1:7878/store", "remote_query_url is not"),
        ("127.0.0.1:7878/query", "http://127.0.0.1:7878/store", "remote_query_url '127.0.0.1:7878/query'"),
        ("http://127.0.0.1:7878/query", "ftp://host/store", "remote_store_url 'ftp://host/store'"),
    ],
)
def test_remote_settings_need_both_absolute_http_urls(query_url: str, store_url: str, named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        Settings(remote_query_url=query_url, remote_store_url=store_url)
