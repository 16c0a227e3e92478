"""Shapes: a good graph conforms; each bad variant fails on the expected focus node, path and constraint."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from publisher.map import Mapping
from publisher.uris import UriScheme
from publisher.validate import validate_mapping
from publisher.vocab import FOAF, ORG, PROV, RDFS, SDO, XSD, load_ontology
from tests.conftest import BASE, FIXTURES

URIS = UriScheme(BASE)
ID = f"{BASE}id/"


def _good() -> Graph:
    graph = Graph().parse(FIXTURES / "minimal-expected.ttl")
    graph += load_ontology(str(URIS.ontology))
    return graph


def thing(path: str) -> URIRef:
    return URIRef(ID + path)


def _set(subject: str, predicate: URIRef, value: object) -> Callable[[Graph], None]:
    def change(graph: Graph) -> None:
        graph.set((thing(subject), predicate, value))  # type: ignore[arg-type]

    return change


def _remove(subject: str, predicate: URIRef) -> Callable[[Graph], None]:
    def change(graph: Graph) -> None:
        graph.remove((thing(subject), predicate, None))

    return change


def _add(subject: str, predicate: URIRef, value: object) -> Callable[[Graph], None]:
    def change(graph: Graph) -> None:
        graph.add((thing(subject), predicate, value))  # type: ignore[arg-type]

    return change


def _dates(subject: str, start: str, end: str) -> Callable[[Graph], None]:
    def change(graph: Graph) -> None:
        graph.set((thing(subject), SDO.startDate, _date(start)))
        graph.set((thing(subject), SDO.endDate, _date(end)))

    return change


def _date(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


CLUSTER = URIS.ontology_namespace

# (case, change, focus, path, constraint component)
BAD_GRAPHS = [
    (
        "event ends before it starts",
        _set("event/week", SDO.endDate, _date("2017-04-01")),
        "event/week",
        "startDate",
        "LessThanOrEqualsConstraintComponent",
    ),
    (
        "post ends before it starts",
        _dates("post/post-a", "2018-01-01", "2017-01-01"),
        "post/post-a",
        "startDate",
        "LessThanOrEqualsConstraintComponent",
    ),
    (
        "event without start",
        _remove("event/opening", SDO.startDate),
        "event/opening",
        "startDate",
        "MinCountConstraintComponent",
    ),
    (
        "start date that is not an xsd:date",
        _set("event/opening", SDO.startDate, Literal("20. April 2017")),
        "event/opening",
        "startDate",
        "DatatypeConstraintComponent",
    ),
    (
        "post held by an organisation",
        _set("post/post-a", ORG.heldBy, thing("organisation/org-ministry")),
        "post/post-a",
        "heldBy",
        "ClassConstraintComponent",
    ),
    (
        "post without holder",
        _remove("post/post-a", ORG.heldBy),
        "post/post-a",
        "heldBy",
        "MinCountConstraintComponent",
    ),
    (
        "initiative managed by a person",
        _set("initiative/ini-one", URIRef(CLUSTER + "managedBy"), thing("person/person-a")),
        "initiative/ini-one",
        "managedBy",
        "ClassConstraintComponent",
    ),
    (
        "event organised by a person",
        _set("event/opening", SDO.organizer, thing("person/person-a")),
        "event/opening",
        "organizer",
        "OrConstraintComponent",
    ),
    (
        "no German label",
        _remove("place/place-town", RDFS.label),
        "place/place-town",
        "label",
        "QualifiedMinCountConstraintComponent",
    ),
    (
        "two German labels",
        _add("field/field-x", RDFS.label, Literal("Noch ein Label", lang="de")),
        "field/field-x",
        "label",
        "UniqueLangConstraintComponent",
    ),
    (
        "no source",
        _remove("organisation/org-ministry", PROV.wasDerivedFrom),
        "organisation/org-ministry",
        "wasDerivedFrom",
        "MinCountConstraintComponent",
    ),
    (
        "source that is not a document",
        _set("person/person-a", PROV.wasDerivedFrom, thing("place/place-town")),
        "person/person-a",
        "wasDerivedFrom",
        "ClassConstraintComponent",
    ),
    (
        "homepage as text",
        _set("initiative/ini-one", FOAF.homepage, Literal("https://example.org/cluster")),
        "initiative/ini-one",
        "homepage",
        "NodeKindConstraintComponent",
    ),
    (
        "negative figure",
        _set("observation/obs-events", SDO.value, Literal(-1, datatype=XSD.integer)),
        "observation/obs-events",
        "value",
        "MinInclusiveConstraintComponent",
    ),
    (
        "figure as text",
        _set("observation/obs-events", SDO.value, Literal("127")),
        "observation/obs-events",
        "value",
        "DatatypeConstraintComponent",
    ),
    (
        "figure without date",
        _remove("observation/obs-members", SDO.observationDate),
        "observation/obs-members",
        "observationDate",
        "MinCountConstraintComponent",
    ),
    (
        "founding date as free text",
        _set("initiative/ini-one", SDO.foundingDate, Literal("around 2006")),
        "initiative/ini-one",
        "foundingDate",
        "OrConstraintComponent",
    ),
    (
        "municipality key too short",
        _set("place/place-town", URIRef(CLUSTER + "municipalityKey"), Literal("811")),
        "place/place-town",
        "municipalityKey",
        "PatternConstraintComponent",
    ),
    (
        "document without publisher",
        lambda g: g.remove((thing("document/doc-a"), URIRef("http://purl.org/dc/terms/publisher"), None)),
        "document/doc-a",
        "publisher",
        "MinCountConstraintComponent",
    ),
    (
        "seat that is not a municipality",
        _set("initiative/ini-one", SDO.location, thing("place/place-state")),
        "initiative/ini-one",
        "location",
        "ClassConstraintComponent",
    ),
    (
        "observation of no qualifier class",
        _set("observation/obs-events", URIRef(CLUSTER + "qualifier"), BNode()),
        "observation/obs-events",
        "qualifier",
        "ClassConstraintComponent",
    ),
]


def test_the_good_graph_conforms() -> None:
    report = validate_mapping(Mapping(_good()), URIS)
    assert report.conforms, [str(v) for v in report.violations]
    assert report.violations == []


@pytest.mark.parametrize(
    ("change", "focus", "path", "constraint"),
    [case[1:] for case in BAD_GRAPHS],
    ids=[case[0] for case in BAD_GRAPHS],
)
def test_a_bad_graph_fails_where_expected(
    change: Callable[[Graph], object], focus: str, path: str, constraint: str
) -> None:
    graph = _good()
    change(graph)
    report = validate_mapping(Mapping(graph), URIS)
    assert not report.conforms
    found = {(v.focus, v.path, v.constraint) for v in report.violations}
    assert (ID + focus, path, constraint) in found, found
