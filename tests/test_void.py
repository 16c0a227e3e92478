"""VoID at /.well-known/void: its counts equal what the SPARQL endpoint counts in the same release."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from rdflib import Graph, Namespace, URIRef

from publisher.links import AUTHORITIES
from publisher.settings import Settings
from tests.conftest import PROJECT
from tests.server import running_server

VOID = Namespace("http://rdfs.org/ns/void#")
BASE = "http://localhost:8080/"
DATASET = URIRef(f"{BASE}dataset")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Graph]]:
    root = tmp_path_factory.mktemp("void")
    settings = Settings(data_dir=PROJECT / "data", releases_dir=root / "releases")
    with running_server(settings.releases_dir, settings.data_dir) as url:
        answer = requests.get(url + ".well-known/void", headers={"Accept": "text/turtle"}, timeout=60)
        assert answer.headers["Content-Type"].startswith("text/turtle")
        yield url, Graph().parse(data=answer.text, format="turtle")


def count(url: str, query: str) -> int:
    answer = requests.get(url + "sparql", params={"query": query}, headers={"Accept": "text/csv"}, timeout=60)
    return int(answer.text.splitlines()[1])


def number(graph: Graph, subject: object, predicate: URIRef) -> int:
    return int(graph.value(subject, predicate))  # type: ignore[arg-type]


def test_totals_equal_the_store(site: tuple[str, Graph]) -> None:
    url, void = site
    assert number(void, DATASET, VOID.triples) == count(url, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    things = f'FILTER(STRSTARTS(STR(?s), "{BASE}id/"))'
    assert number(void, DATASET, VOID.entities) == count(
        url, f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s a ?c {things} }}"
    )
    assert number(void, DATASET, VOID.properties) == count(
        url, "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o }"
    )


def test_every_class_and_property_partition_equals_the_store(site: tuple[str, Graph]) -> None:
    url, void = site
    classes = list(void.objects(DATASET, VOID.classPartition))
    assert number(void, DATASET, VOID.classes) == len(classes) > 10
    for partition in classes:
        cls = void.value(partition, VOID["class"])
        query = (
            f'SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s a <{cls}> FILTER(STRSTARTS(STR(?s), "{BASE}id/")) }}'
        )
        assert number(void, partition, VOID.entities) == count(url, query), cls
    for partition in void.objects(DATASET, VOID.propertyPartition):
        prop = void.value(partition, VOID.property)
        assert number(void, partition, VOID.triples) == count(
            url, f"SELECT (COUNT(*) AS ?n) {{ ?s <{prop}> ?o }}"
        ), prop


def test_access_and_linksets(site: tuple[str, Graph]) -> None:
    _, void = site
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef(f"{BASE}sparql")
    dumps = {str(dump).rsplit("/", 1)[-1] for dump in void.objects(DATASET, VOID.dataDump)}
    assert dumps == {"data.ttl", "data.ttl.gz", "data.nt.gz", "data.jsonld", "data.jsonld.gz"}
    assert str(void.value(DATASET, VOID.uriSpace)) == f"{BASE}id/"
    assert len(set(void.objects(DATASET, VOID.exampleResource))) == 3
    targets = {
        str(void.value(s, VOID.objectsTarget)): number(void, s, VOID.triples)
        for s in void.subjects(VOID.linkPredicate, None)
    }
    assert targets["http://www.wikidata.org/entity/"] >= 3
    assert targets["http://data.europa.eu/nuts/code/"] >= 5


def test_every_authority_linkset_equals_the_store(site: tuple[str, Graph]) -> None:
    url, void = site
    linksets = list(void.subjects(VOID.linkPredicate, None))
    targets = {str(void.value(s, VOID.objectsTarget)) for s in linksets}
    assert targets == {a.namespace for a in AUTHORITIES}
    for linkset in linksets:
        predicate, target = void.value(linkset, VOID.linkPredicate), void.value(linkset, VOID.objectsTarget)
        query = f'SELECT (COUNT(*) AS ?n) {{ ?s <{predicate}> ?o FILTER(STRSTARTS(STR(?o), "{target}")) }}'
        assert number(void, linkset, VOID.triples) == count(url, query) > 0, linkset
