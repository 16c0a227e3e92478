"""Friendly labels (issue 11, item 6): every property and class a page shows has a German and an English label
in one place (the ontology for its own terms, publisher.labels for the others), links read backwards have
labels of their own, and no page shows a raw prefixed name such as ``skos:editorialNote``."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
import requests
from rdflib import BNode, Graph, Literal, URIRef

from publisher.labels import INVERSE, LABELS, inverse_label, name_label, term_label
from publisher.map import map_sources
from publisher.read import read_sources
from publisher.settings import Settings
from publisher.uris import UriScheme
from publisher.vocab import RDF, RDFS, SKOS
from tests.conftest import MINIMAL, PROJECT
from tests.server import running_server

BASE = "http://localhost:8080/"
URIS = UriScheme(BASE)
THINGS = [
    "initiative/ini-one",
    "event/week",
    "event/opening",
    "organisation/org-ministry",
    "person/person-a",
    "post/post-a",
    "place/place-state",
    "place/place-town",
    "field/field-top",
    "field/field-x",
    "document/doc-a",
    "observation/obs-events",
    "scheme/fields",
]
PREFIXED = re.compile(r"<dt>[^<]*\b(rdf|rdfs|owl|skos|dcterms|foaf|org|prov|schema|cluster):[A-Za-z]", re.I)


@pytest.fixture(scope="module", params=["bundled", "minimal"])
def graph(request: pytest.FixtureRequest) -> Graph:
    folder = PROJECT / "data" if request.param == "bundled" else MINIMAL
    return map_sources(read_sources(folder), URIS).graph


def shown(graph: Graph) -> Iterator[tuple[URIRef | BNode, URIRef, object]]:
    """The statements pages show: those about things (under {base}id/) and the blank nodes they lead to."""
    for subject, predicate, value in graph:
        if isinstance(subject, BNode) or str(subject).startswith(f"{BASE}id/"):
            yield subject, predicate, value  # type: ignore[misc]


def labelled(graph: Graph, term: URIRef) -> bool:
    """A German and an English label, from the ontology (in the graph) or from publisher.labels."""
    languages = {label.language for label in graph.objects(term, RDFS.label) if isinstance(label, Literal)}
    in_table = all(term_label(str(term), language) for language in ("de", "en"))
    return {"de", "en"} <= languages or in_table


def test_every_property_and_class_on_a_page_has_a_german_and_an_english_label(graph: Graph) -> None:
    terms = {predicate for _, predicate, _ in shown(graph)}
    terms |= {value for _, predicate, value in shown(graph) if predicate == RDF.type}
    unlabelled = sorted(str(term) for term in terms if not labelled(graph, term))  # type: ignore[arg-type]
    assert unlabelled == []


def test_every_link_between_things_has_a_label_read_backwards(graph: Graph) -> None:
    links = {
        str(predicate)
        for _, predicate, value in shown(graph)
        if isinstance(value, URIRef) and str(value).startswith(f"{BASE}id/") and predicate != RDF.type
    }
    missing = sorted(p for p in links if not inverse_label(p, "en", URIS.ontology_namespace))
    assert missing == []


def test_the_ontology_s_own_terms_are_labelled_in_the_ontology_only() -> None:
    assert not [iri for iri in LABELS if iri.startswith(URIS.ontology_namespace) or "/def/cluster#" in iri]
    assert all(not key.startswith("http") or "/def/cluster#" not in key for key in INVERSE)


def test_labels_follow_the_language_asked_for() -> None:
    assert term_label(str(SKOS.editorialNote), "de") == "Anmerkung"
    assert term_label(str(SKOS.editorialNote), "en") == "note"
    assert term_label("https://example.org/unknown", "de") is None
    assert (name_label("schema:Event", "de"), name_label("schema:Event", "en")) == ("Veranstaltung", "event")
    assert name_label("cluster:ClusterInitiative", "en") == "cluster initiative"  # from the ontology
    assert name_label("cluster:Unknown", "de") == "cluster:Unknown"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("labels")
    shutil.copytree(MINIMAL, root / "data")
    notes = (root / "data" / "initiatives.csv").read_text(encoding="utf-8")
    (root / "data" / "initiatives.csv").write_text(
        notes.replace(",Spitzencluster,,", ",Spitzencluster,Eine Anmerkung,"), encoding="utf-8"
    )
    settings = Settings(data_dir=root / "data", releases_dir=root / "releases")
    with running_server(settings.releases_dir, settings.data_dir) as url:
        yield url


@pytest.mark.parametrize("thing", THINGS)
@pytest.mark.parametrize("language", ["de", "en"])
def test_no_page_shows_a_raw_property_or_class_name(site: str, thing: str, language: str) -> None:
    html = {"Accept": "text/html"}
    page = requests.get(f"{site}doc/{thing}", params={"lang": language}, headers=html, timeout=30)
    assert page.status_code == 200
    assert PREFIXED.findall(page.text) == []
    assert not re.search(r"· [^<]*\b(schema|foaf|org|skos):", page.text), "the types are labelled too"


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", ["<dt>Anmerkung</dt>", "<dt>Quelle</dt>", "<dt>Bezeichnung</dt>", "<dt>Ort</dt>"]),
        ("en", ["<dt>note</dt>", "<dt>source</dt>", "<dt>label</dt>", "<dt>place</dt>"]),
    ],
)
def test_an_initiative_s_page_names_its_properties_in_the_reader_s_language(
    site: str, language: str, words: list[str]
) -> None:
    page = requests.get(f"{site}doc/initiative/ini-one", params={"lang": language}, timeout=30).text
    for word in words:
        assert word in page


def test_a_place_s_page_reads_its_links_backwards(site: str) -> None:
    page = requests.get(f"{site}doc/place/place-town", params={"lang": "en"}, timeout=30).text
    assert "<dt>place of (3)</dt>" in page  # the initiative, the organisation and the event there
    state = requests.get(f"{site}doc/place/place-state", params={"lang": "de"}, timeout=30).text
    assert "<dt>Darin liegt (1)</dt>" in state


@pytest.mark.parametrize("path", ["", "releases"])
@pytest.mark.parametrize(("language", "label"), [("de", "Veranstaltungsreihe"), ("en", "event series")])
def test_the_classes_counted_on_the_home_and_releases_pages_are_labelled(
    site: str, path: str, language: str, label: str
) -> None:
    page = requests.get(
        f"{site}{path}", params={"lang": language}, headers={"Accept": "text/html"}, timeout=30
    )
    assert f"<li>{label}: 1</li>" in page.text
    assert not re.search(r"<li>(schema|foaf|org|skos|cluster):", page.text)
