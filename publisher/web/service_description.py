"""The service description of the endpoint (SPARQL 1.1 SD), with VoID statistics of the current release."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef

from publisher.releases import Release
from publisher.settings import Settings
from publisher.uris import UriScheme
from publisher.vocab import DCTERMS, RDF, RDFS, VOID, XSD, ClusterTerms, expand

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
)


def service_description(settings: Settings, release: Release) -> Graph:
    """Describe the endpoint under the configured base: what it speaks, its limits, and the dataset it serves
    (the request's Host never goes into it)."""
    graph = Graph()
    for prefix, namespace in (("sd", SD), ("void", VOID), ("formats", FORMATS)):
        graph.bind(prefix, namespace)
    uris = UriScheme(settings.base)
    terms = ClusterTerms(uris.ontology_namespace)
    graph.bind("cluster", terms.namespace)
    endpoint = uris.sparql
    graph.add((endpoint, RDF.type, SD.Service))
    graph.add((endpoint, SD.endpoint, endpoint))
    graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        graph.add((endpoint, SD.resultFormat, FORMATS[name]))
    if settings.allowed_services:
        graph.add((endpoint, SD.feature, SD.BasicFederatedQuery))
    graph.add((endpoint, terms.queryTimeLimit, Literal(settings.query_timeout, datatype=XSD.decimal)))
    graph.add((endpoint, terms.resultRowLimit, Literal(settings.max_rows, datatype=XSD.integer)))
    graph.add((endpoint, terms.requestSizeLimit, Literal(settings.max_request_bytes, datatype=XSD.integer)))
    graph.add((endpoint, RDFS.comment, Literal(_limits_text(settings), lang="en")))
    graph.add((endpoint, SD.defaultDataset, _dataset(graph, settings, release)))
    return graph


def _limits_text(settings: Settings) -> str:
    return (
        f"Read-only. Each query may run {settings.query_timeout:g} s (ask for less with timeout=); "
        f"results stop at {settings.max_rows} rows or triples, signalled by the header "
        f"X-Row-Limit-Reached: true; requests are limited to {settings.max_request_bytes} bytes; "
        "SERVICE is refused"
        + (f" except for {', '.join(settings.allowed_services)}." if settings.allowed_services else ".")
    )


def _dataset(graph: Graph, settings: Settings, release: Release) -> BNode:
    dataset, default_graph = BNode(), BNode()
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((default_graph, RDF.type, VOID.Dataset))
    graph.add((default_graph, DCTERMS.identifier, Literal(release.id)))
    classes = release.classes
    graph.add((default_graph, VOID.triples, Literal(release.triples, datatype=XSD.integer)))
    graph.add((default_graph, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    graph.add((default_graph, VOID.entities, Literal(sum(classes.values()), datatype=XSD.integer)))
    graph.add((default_graph, VOID.uriSpace, Literal(UriScheme(settings.base).things)))
    for prefixed, count in classes.items():
        partition = BNode()
        graph.add((default_graph, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(expand(prefixed, settings.base))))
        graph.add((partition, VOID.entities, Literal(count, datatype=XSD.integer)))
    return dataset
