"""Validation split over two processes finds exactly what one process finds."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from publisher import validate_parallel
from publisher.map import Mapping
from publisher.uris import UriScheme
from publisher.validate import validate_mapping
from publisher.vocab import SDO, XSD, load_ontology
from tests.conftest import BASE, FIXTURES

URIS = UriScheme(BASE)


def _graph(broken: bool) -> Graph:
    graph = Graph().parse(FIXTURES / "minimal-expected.ttl")
    graph += load_ontology(str(URIS.ontology))
    if broken:
        week = URIRef(f"{BASE}id/event/week")
        graph.set((week, SDO.endDate, Literal("2017-01-01", datatype=XSD.date)))
        graph.remove((URIRef(f"{BASE}id/post/post-a"), None, URIRef(f"{BASE}id/person/person-a")))
    return graph


@pytest.mark.parametrize("broken", [False, True])
def test_two_processes_report_what_one_reports(monkeypatch: pytest.MonkeyPatch, broken: bool) -> None:
    single = validate_mapping(Mapping(_graph(broken)), URIS)
    monkeypatch.setattr(validate_parallel, "PARALLEL_FROM_TRIPLES", 0)
    assert validate_parallel.can_split(_graph(broken))
    split = validate_mapping(Mapping(_graph(broken)), URIS)
    assert split.conforms == single.conforms == (not broken)
    found = {(v.focus, v.path, v.constraint) for v in split.violations}
    assert found == {(v.focus, v.path, v.constraint) for v in single.violations}
    if broken:
        assert (f"{BASE}id/event/week", "startDate", "LessThanOrEqualsConstraintComponent") in found
        assert (f"{BASE}id/post/post-a", "heldBy", "MinCountConstraintComponent") in found
