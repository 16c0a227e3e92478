"""The ontology: every own term is known to the code, labelled in German and English, defined, versioned."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from publisher.uris import UriScheme
from publisher.vocab import OWL, RDF, RDFS, SKOS, TERMS, ClusterTerms, load_ontology
from tests.conftest import BASE

URIS = UriScheme(BASE)


def _ontology() -> Graph:
    return load_ontology(str(URIS.ontology))


def _own_terms(graph: Graph) -> set[str]:
    namespace = URIS.ontology_namespace
    return {str(s)[len(namespace) :] for s in graph.subjects() if str(s).startswith(namespace)}


def test_code_and_ontology_know_the_same_terms() -> None:
    assert _own_terms(_ontology()) == set(TERMS)


def test_an_unknown_term_is_an_error_not_a_new_iri() -> None:
    terms = ClusterTerms(URIS.ontology_namespace)
    assert terms.ClusterInitiative == URIRef(URIS.ontology_namespace + "ClusterInitiative")
    with pytest.raises(AttributeError):
        _ = terms.ClusterInitiativ


@pytest.mark.parametrize("term", sorted(TERMS))
def test_every_own_term_is_labelled_defined_and_anchored(term: str) -> None:
    graph = _ontology()
    subject = URIRef(URIS.ontology_namespace + term)
    for predicate in (RDFS.label, SKOS.definition):
        languages = {getattr(o, "language", None) for o in graph.objects(subject, predicate)}
        assert {"de", "en"} <= languages, f"{term} lacks {predicate} in German or English"
    assert graph.value(subject, RDFS.isDefinedBy) == URIS.ontology


def test_the_ontology_has_a_version() -> None:
    graph = _ontology()
    assert (URIS.ontology, RDF.type, OWL.Ontology) in graph
    assert graph.value(URIS.ontology, OWL.versionInfo) is not None
