"""VoID at ``{base}.well-known/void``: what the dataset holds (triples, entities, classes and properties with
counts), where to get it (SPARQL endpoint, dumps) and the linksets to the authorities it links to (one per
authority and link predicate of publisher.links.AUTHORITIES)."""

from __future__ import annotations

from flask import Blueprint
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from werkzeug.wrappers import Response

from publisher.catalog import DUMP_KINDS, Publication
from publisher.links import AUTHORITIES
from publisher.releases import Release
from publisher.settings import Settings
from publisher.store import Store
from publisher.store.queries import Queries
from publisher.uris import UriScheme
from publisher.vocab import VOID
from publisher.web import current, respond
from publisher.web.kept import kept
from publisher.web.publication import publication_for
from publisher.web.release import store_of

DQV = Namespace("http://www.w3.org/ns/dqv#")
COMPLETENESS = URIRef("http://www.w3.org/2016/05/ldqd#completeness")
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
    _describe(graph, dataset, publication_for(settings, release), uris)
    graph.add((dataset, DCTERMS.hasVersion, Literal(release.id)))
    graph.add((dataset, VOID.uriSpace, Literal(uris.things)))
    graph.add((dataset, VOID.sparqlEndpoint, uris.sparql))
    graph.add((dataset, RDFS.seeAlso, URIRef(f"{base}feed")))  # the change feed (publisher.web.feed)
    graph.add((URIRef(f"{base}feed"), RDF.type, URIRef("https://w3id.org/ldes#EventStream")))
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


def _describe(graph: Graph, dataset: URIRef, publication: Publication, uris: UriScheme) -> None:
    """Title and description, and how much the data covers: the number of initiatives the total counts, as a
    DQV quality measurement derived from the observation stating the total (its value, date and source)."""
    described = publication.description
    for language, title in described.title.items():
        graph.add((dataset, DCTERMS.title, Literal(title, lang=language)))
    for language, _text in described.description.items():
        graph.add(
            (dataset, DCTERMS.description, Literal(described.full_description(language), lang=language))
        )
    total = described.total
    if total is None:
        return
    graph.bind("dqv", DQV)
    graph.bind("prov", PROV)
    measurement, metric = URIRef(f"{uris.dataset}#coverage"), URIRef(f"{uris.dataset}#covered-of-total")
    graph.add((dataset, DQV.hasQualityMeasurement, measurement))
    graph.add((measurement, RDF.type, DQV.QualityMeasurement))
    graph.add((measurement, DQV.computedOn, dataset))
    graph.add((measurement, DQV.isMeasurementOf, metric))
    graph.add((measurement, DQV.value, Literal(described.counted, datatype=XSD.integer)))
    graph.add((measurement, PROV.wasDerivedFrom, uris.thing("observation", total.observation)))
    for language in ("de", "en"):
        graph.add((measurement, DCTERMS.description, Literal(described.share(language), lang=language)))
    graph.add((metric, RDF.type, DQV.Metric))
    graph.add((metric, DQV.inDimension, COMPLETENESS))
    graph.add((metric, DQV.expectedDataType, XSD.integer))
    graph.add(
        (
            metric,
            SKOS.definition,
            Literal(
                "Wie viele der Einträge, die eine Quelle insgesamt zählt, der Datensatz enthält; die "
                "Gesamtzahl mit Datum und Quelle ist die Beobachtung, aus der die Messung abgeleitet ist.",
                lang="de",
            ),
        )
    )
    graph.add(
        (
            metric,
            SKOS.definition,
            Literal(
                "How many of the entries a source counts in all the dataset holds; the total, with its date "
                "and source, is the observation the measurement is derived from.",
                lang="en",
            ),
        )
    )


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
