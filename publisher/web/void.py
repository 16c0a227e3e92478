"""VoID at ``{base}.well-known/void``: what the dataset holds (triples, entities, classes and properties with
counts), where to get it (SPARQL endpoint, dumps) and the linksets to the authorities it links to (one per
authority and link predicate of publisher.links.AUTHORITIES)."""

from __future__ import annotations

from flask import Blueprint
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD
from werkzeug.wrappers import Response

from publisher.catalog import DATASET_TEXT, DUMP_KINDS
from publisher.links import AUTHORITIES
from publisher.release import Release
from publisher.settings import Settings
from publisher.store import Store
from publisher.store.queries import Queries
from publisher.uris import UriScheme
from publisher.vocab import VOID
from publisher.web import current, respond
from publisher.web.kept import kept
from publisher.web.release import store_of

DUMPS = tuple(DUMP_KINDS)  # every dump a release writes, gzip variants included
bp = Blueprint("void", __name__)


@bp.get("/.well-known/void")
def void() -> Response:
    """VoID is for machines only: a browser gets Turtle too, which it shows as text."""
    settings, release = current.settings(), current.release()
    return respond.represent(graph=lambda: void_of(settings, release), vary=("Accept",))


def void_of(settings: Settings, release: Release) -> Graph:
    """The release's VoID description, made once per release."""
    return kept("void", release, lambda: _graph(settings, release), scope=settings)


def _graph(settings: Settings, release: Release) -> Graph:
    store = store_of(release)
    base = settings.base
    uris = UriScheme(base)
    graph = Graph()
    graph.bind("void", VOID)
    dataset = uris.dataset
    graph.add((dataset, RDF.type, VOID.Dataset))
    for language, title in DATASET_TEXT.title.items():
        graph.add((dataset, DCTERMS.title, Literal(title, lang=language)))
    graph.add((dataset, DCTERMS.hasVersion, Literal(release.id)))
    graph.add((dataset, VOID.uriSpace, Literal(uris.things)))
    graph.add((dataset, VOID.sparqlEndpoint, uris.sparql))
    for name in DUMPS:
        graph.add((dataset, VOID.dataDump, uris.dump("latest", name)))
    queries = Queries.of(base)
    totals = _one(store, queries.totals)
    entities = _one(store, queries.entities)
    classes = store.select(queries.classes)
    properties = store.select(queries.properties)
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
    for row in store.select(queries.initiatives(3)):
        graph.add((dataset, VOID.exampleResource, URIRef(row["s"])))
    _add_linksets(graph, dataset, store, base)
    return graph


def _add_linksets(graph: Graph, dataset: URIRef, store: Store, base: str) -> None:
    """One linkset per authority and link predicate of publisher.links.AUTHORITIES that has links."""
    for authority in AUTHORITIES:
        for predicate in authority.predicates:
            namespace = authority.namespace
            found = _one(store, Queries.of(base).links(predicate, namespace))
            if found["n"] == "0":
                continue
            name = authority.key
            if len(authority.predicates) > 1:
                name += "-" + predicate.rsplit("#", 1)[-1]
            linkset = URIRef(f"{UriScheme(base).dataset}#links-{name}")
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
