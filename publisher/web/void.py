"""VoID at ``{base}.well-known/void``: what the dataset holds (triples, entities, classes and properties with
counts), where to get it (SPARQL endpoint, dumps) and the linksets to the authorities it links to (one per
authority and link predicate of publisher.links.AUTHORITIES)."""

from __future__ import annotations

from flask import Flask, current_app
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD
from werkzeug.wrappers import Response

from publisher.catalog import DATASET_TEXT, DUMP_KINDS
from publisher.formats import GRAPH_FORMATS, HTML, serialize_graph
from publisher.links import AUTHORITIES
from publisher.release import Release
from publisher.settings import Settings
from publisher.store import Store
from publisher.web.kept import kept
from publisher.web.negotiate import page_format
from publisher.web.release import conditional, current_or_503, prefix_of, store_of

VOID = Namespace("http://rdfs.org/ns/void#")
DUMPS = tuple(DUMP_KINDS)  # every dump a release writes, gzip variants included
THINGS = 'FILTER(STRSTARTS(STR(?s), "BASEid/"))'
TOTALS = (
    "SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties) "
    "WHERE { ?s ?p ?o }"
)
ENTITIES = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c {THINGS} }}"
CLASSES = f"SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?class {THINGS} }} GROUP BY ?class"
PROPERTIES = (
    "SELECT ?property (COUNT(*) AS ?n) WHERE { ?s ?property ?o } GROUP BY ?property ORDER BY ?property"
)
EXAMPLES = 'SELECT ?s WHERE { ?s a ?c FILTER(STRSTARTS(STR(?s), "BASEid/initiative/")) } ORDER BY ?s LIMIT 3'
LINKS = 'SELECT (COUNT(*) AS ?n) WHERE { ?s <PREDICATE> ?o FILTER(STRSTARTS(STR(?o), "NAMESPACE")) }'


def init_app(app: Flask, settings: Settings) -> None:
    app.add_url_rule(f"{prefix_of(settings)}/.well-known/void", "void", void)


def void() -> Response:
    settings: Settings = current_app.config["SETTINGS"]
    release = current_or_503()
    fmt = page_format()
    if fmt is HTML:
        fmt = GRAPH_FORMATS[0]  # VoID is for machines; a browser gets Turtle, which it shows as text
    graph = void_of(settings, release)
    body = serialize_graph(graph, fmt)
    response = Response(body, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return conditional(response)


def void_of(settings: Settings, release: Release) -> Graph:
    """The release's VoID description, made once per release."""
    return kept("void", release, lambda: _graph(settings, release), scope=settings)


def _graph(settings: Settings, release: Release) -> Graph:
    store = store_of(release)
    base = settings.base
    graph = Graph()
    graph.bind("void", VOID)
    dataset = URIRef(f"{base}dataset")
    graph.add((dataset, RDF.type, VOID.Dataset))
    for language, title in DATASET_TEXT.title.items():
        graph.add((dataset, DCTERMS.title, Literal(title, lang=language)))
    graph.add((dataset, DCTERMS.hasVersion, Literal(release.id)))
    graph.add((dataset, VOID.uriSpace, Literal(f"{base}id/")))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(f"{base}sparql")))
    for name in DUMPS:
        graph.add((dataset, VOID.dataDump, URIRef(f"{base}dumps/latest/{name}")))
    totals = _one(store, TOTALS)
    entities = _one(store, ENTITIES.replace("BASE", base))
    classes = store.select(CLASSES.replace("BASE", base))
    properties = store.select(PROPERTIES)
    _count(graph, dataset, VOID.triples, totals["triples"])
    _count(graph, dataset, VOID.distinctSubjects, totals["subjects"])
    _count(graph, dataset, VOID.properties, totals["properties"])
    _count(graph, dataset, VOID.entities, entities["n"])
    _count(graph, dataset, VOID.classes, str(len(classes)))
    for row in classes:
        partition = BNode()
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(row["class"])))
        _count(graph, partition, VOID.entities, row["n"])
    for row in properties:
        partition = BNode()
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, URIRef(row["property"])))
        _count(graph, partition, VOID.triples, row["n"])
    for row in store.select(EXAMPLES.replace("BASE", base)):
        graph.add((dataset, VOID.exampleResource, URIRef(row["s"])))
    _add_linksets(graph, dataset, store, base)
    return graph


def _add_linksets(graph: Graph, dataset: URIRef, store: Store, base: str) -> None:
    """One linkset per authority and link predicate of publisher.links.AUTHORITIES that has links."""
    for authority in AUTHORITIES:
        for predicate in authority.predicates:
            namespace = authority.namespace
            found = _one(store, LINKS.replace("PREDICATE", predicate).replace("NAMESPACE", namespace))
            if found["n"] == "0":
                continue
            name = authority.key
            if len(authority.predicates) > 1:
                name += "-" + predicate.rsplit("#", 1)[-1]
            linkset = URIRef(f"{base}dataset#links-{name}")
            graph.add((dataset, VOID.subset, linkset))
            graph.add((linkset, RDF.type, VOID.Linkset))
            graph.add((linkset, DCTERMS.title, Literal(authority.name, lang="en")))
            graph.add((linkset, VOID.subjectsTarget, dataset))
            graph.add((linkset, VOID.objectsTarget, URIRef(namespace)))
            graph.add((linkset, VOID.linkPredicate, URIRef(predicate)))
            _count(graph, linkset, VOID.triples, found["n"])


def _one(store: Store, query: str) -> dict[str, str]:
    return store.select(query)[0]


def _count(graph: Graph, subject: URIRef | BNode, predicate: URIRef, value: str) -> None:
    graph.add((subject, predicate, Literal(int(value), datatype=XSD.integer)))
