"""Links out: every link of the bundled data is well-formed for its authority; `clusterlod links` counts what
SPARQL counts; a bad identifier in a table is a read error naming file, row and column."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from publisher.build import run_pipeline
from publisher.links import (
    AUTHORITIES,
    AUTHORITIES_BY_KEY,
    OWL_SAME_AS,
    SKOS_BROAD,
    SKOS_CLOSE,
    SKOS_EXACT,
    links_in_graph,
)
from publisher.map import map_sources
from publisher.read import read_sources
from publisher.settings import Settings
from publisher.store import EmbeddedStore
from publisher.uris import UriScheme
from tests.conftest import BASE, PROJECT

DATA = PROJECT / "data"
THEMES = "http://publications.europa.eu/resource/authority/data-theme/"


def _bundled_graph() -> Graph:
    return map_sources(read_sources(DATA), UriScheme(BASE)).graph


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
    return subprocess.run(
        [sys.executable, "-m", "publisher", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_every_link_of_the_bundled_data_matches_its_authority() -> None:
    report = links_in_graph(_bundled_graph(), BASE)
    assert report.problems == []
    assert all(link.authority is not None for link in report.links)
    assert report.by_authority() == {
        "wikidata": 3,
        "gnd": 1,
        "geonames": 1,
        "nuts": 5,
        "state-key": 1,
        "municipality-key": 18,
        "eu-data-theme": 8,
    }


def test_baden_wuerttemberg_carries_its_verified_identifiers_only() -> None:
    graph = _bundled_graph()
    state = URIRef(f"{BASE}id/place/baden-wuerttemberg")
    assert set(graph.objects(state, URIRef(OWL_SAME_AS))) == {
        URIRef("http://www.wikidata.org/entity/Q985"),
        URIRef("https://d-nb.info/gnd/4004176-1"),
        URIRef("http://sws.geonames.org/2953481/"),
    }
    assert set(graph.objects(state, URIRef(SKOS_EXACT))) == {
        URIRef("http://data.europa.eu/nuts/code/DE1"),
        URIRef("http://dcat-ap.de/def/politicalGeocoding/stateKey/08"),
    }
    stuttgart = URIRef(f"{BASE}id/place/stuttgart")
    assert set(graph.objects(stuttgart, URIRef(OWL_SAME_AS))) == set()  # GND of Stuttgart is unconfirmed
    assert set(graph.objects(stuttgart, URIRef(SKOS_EXACT))) == {
        URIRef("http://dcat-ap.de/def/politicalGeocoding/municipalityKey/08111000")
    }


@pytest.mark.parametrize(
    ("target", "predicate", "words"),
    [
        ("http://dbpedia.org/resource/Stuttgart", OWL_SAME_AS, "not a known authority"),
        ("http://www.wikidata.org/entity/P31", OWL_SAME_AS, "not a well-formed Wikidata IRI"),
        ("http://sws.geonames.org/2953481", OWL_SAME_AS, "not a well-formed GeoNames IRI"),
        ("https://d-nb.info/gnd/4004176", OWL_SAME_AS, "not a well-formed GND IRI"),
        ("http://data.europa.eu/nuts/code/DE1", OWL_SAME_AS, "predicate not declared for NUTS"),
        (THEMES + "XXXX", SKOS_CLOSE, "not a well-formed EU data themes IRI"),
    ],
)
def test_a_bad_link_is_a_problem(target: str, predicate: str, words: str) -> None:
    graph = Graph()
    graph.add((URIRef(f"{BASE}id/place/x"), URIRef(predicate), URIRef(target)))
    problems = links_in_graph(graph, BASE).problems
    assert len(problems) == 1 and words in problems[0] and target in problems[0]


def test_links_from_outside_the_things_and_literals_are_not_links_out() -> None:
    graph = Graph()
    graph.add((URIRef(f"{BASE}def/cluster"), URIRef(OWL_SAME_AS), URIRef("http://example.org/x")))
    graph.add((URIRef(f"{BASE}id/place/x"), URIRef(OWL_SAME_AS), Literal("Q1")))
    graph.add((URIRef(f"{BASE}id/place/x"), URIRef(OWL_SAME_AS), URIRef(f"{BASE}id/place/y")))
    assert links_in_graph(graph, BASE).links == []


def test_every_authority_mints_iris_its_own_check_accepts() -> None:
    samples = {
        "wikidata": "Q985",
        "gnd": "4004176-1",
        "geonames": "2953481",
        "nuts": "DE11",
        "state-key": "08",
        "municipality-key": "08111000",
        "eu-data-theme": "TECH",
    }
    assert set(samples) == {a.key for a in AUTHORITIES}
    for key, identifier in samples.items():
        authority = AUTHORITIES_BY_KEY[key]
        assert authority.identifier(str(authority.iri(identifier))) == identifier


def test_the_cli_counts_equal_sparql_counts(tmp_path: Path) -> None:
    settings = Settings(base=BASE, data_dir=DATA, releases_dir=tmp_path / "releases")
    result = run_pipeline(settings, release=True)
    assert result.release is not None
    done = _cli("links", "--releases", str(settings.releases_dir), "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert printed["problems"] == []
    store = EmbeddedStore.open_read_only(result.release.folder / "store")

    def count(authority: str, cls: str = "") -> int:
        found = AUTHORITIES_BY_KEY[authority]
        typed = f"?s a <{cls}> ." if cls else ""
        total = 0
        for predicate in found.predicates:
            query = (
                f"SELECT (COUNT(*) AS ?n) WHERE {{ {typed} ?s <{predicate}> ?o "
                f'FILTER(STRSTARTS(STR(?o), "{found.namespace}") && STRSTARTS(STR(?s), "{BASE}id/")) }}'
            )
            total += int(store.select(query)[0]["n"])
        return total

    assert printed["by_authority"] == {a.key: count(a.key) for a in AUTHORITIES if count(a.key)}
    assert printed["by_class"]
    for cls, counts in printed["by_class"].items():
        for authority, n in counts.items():
            assert n == count(authority, cls), (cls, authority)
    text = _cli("links", "--releases", str(settings.releases_dir), cwd=tmp_path)
    assert text.returncode == 0 and "gnd" in text.stdout and "Municipality" in text.stdout


def test_a_bad_identifier_is_a_read_error_naming_file_row_and_column(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    places = data / "places.csv"
    text = places.read_text(encoding="utf-8")
    places.write_text(text.replace(",4004176-1,", ",4004176,"), encoding="utf-8")
    done = _cli("links", "--data", str(data), cwd=tmp_path)
    assert done.returncode == 1
    assert "places.csv:3 column 'gnd'" in done.stderr
    assert "GND id" in done.stderr


def test_eu_themes_map_to_close_and_broad_matches(data_dir: Path) -> None:
    fields = data_dir / "fields.csv"
    fields.write_text(
        "id,label_de,label_en,broader,eu_themes,source\n"
        "field-top,Testfelder,Test fields,,,doc-a\n"
        'field-x,Testfeld X,Test field X,field-top,"broad:TECH;close:ECON",doc-a\n',
        encoding="utf-8",
    )
    graph = map_sources(read_sources(data_dir), UriScheme(BASE)).graph
    field = URIRef(f"{BASE}id/field/field-x")
    assert set(graph.objects(field, URIRef(SKOS_BROAD))) == {URIRef(THEMES + "TECH")}
    assert set(graph.objects(field, URIRef(SKOS_CLOSE))) == {URIRef(THEMES + "ECON")}
    fields.write_text(fields.read_text(encoding="utf-8").replace("close:ECON", "near:ECON"), encoding="utf-8")
    done = _cli("links", "--data", str(data_dir), cwd=data_dir.parent)
    assert done.returncode == 1
    assert "fields.csv:3 column 'eu_themes'" in done.stderr
