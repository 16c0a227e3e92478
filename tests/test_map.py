"""Stage map: records become the expected triples under the configured base, each entity with its sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from publisher.map import Origin, map_sources
from publisher.read import read_sources
from publisher.uris import UriScheme
from publisher.vocab import PROV, RDF, SDO, load_ontology
from tests.conftest import BASE, FIXTURES
from tests.rdf_compare import assert_isomorphic


def _mapped_without_ontology(data_dir: Path, base: str) -> Graph:
    uris = UriScheme(base)
    mapping = map_sources(read_sources(data_dir), uris)
    return mapping.graph - load_ontology(str(uris.ontology))


def test_minimal_dataset_maps_to_the_expected_graph(data_dir: Path) -> None:
    expected = Graph().parse(FIXTURES / "minimal-expected.ttl")
    assert_isomorphic(_mapped_without_ontology(data_dir, BASE), expected)


def test_the_base_is_configurable(data_dir: Path) -> None:
    graph = _mapped_without_ontology(data_dir, "https://lod.example.org/cluster/")
    subjects = {str(s) for s in graph.subjects(RDF.type, None)}
    assert "https://lod.example.org/cluster/id/initiative/ini-one" in subjects
    assert not any(s.startswith(BASE) for s in subjects)
    measured = graph.value(
        URIRef("https://lod.example.org/cluster/id/observation/obs-events"), SDO.measuredProperty
    )
    assert measured == URIRef("https://lod.example.org/cluster/def/cluster#numberOfEvents")


def test_every_entity_is_derived_from_its_sources(data_dir: Path) -> None:
    graph = _mapped_without_ontology(data_dir, BASE)
    things = {s for s in graph.subjects(RDF.type, None) if str(s).startswith(f"{BASE}id/")}
    documents = {s for s in things if "/id/document/" in str(s)}
    for thing in things - documents:
        assert set(graph.objects(thing, PROV.wasDerivedFrom)) <= documents
        assert graph.value(thing, PROV.wasDerivedFrom) is not None, f"{thing} has no source"


def test_origins_name_the_source_row(data_dir: Path) -> None:
    mapping = map_sources(read_sources(data_dir), UriScheme(BASE))
    assert mapping.origins[URIRef(f"{BASE}id/event/opening")] == Origin("events.csv", 3)


@pytest.mark.parametrize("base", ["localhost:8080/", "http://localhost:8080", "ftp://example.org/"])
def test_a_base_must_be_an_http_iri_ending_in_a_slash(base: str) -> None:
    from publisher.errors import SettingsError

    with pytest.raises(SettingsError):
        UriScheme(base)
