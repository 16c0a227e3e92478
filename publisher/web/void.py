"""VoID at ``{base}.well-known/void``: what the dataset holds (triples, entities, classes and properties with
counts), where to get it (SPARQL endpoint, dumps) and the linksets to the authorities it links to (one per
authority and link predicate of publisher.links.AUTHORITIES)."""

from __future__ import annotations

from flask import Flask, current_app
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD
from werkzeug.wrappers import Response

from publisher.catalog import DUMP_KINDS, Publication
from publisher.formats import GRAPH_FORMATS, HTML, serialize_graph
from publisher.links import AUTHORITIES
from publisher.release import Release
from publisher.settings import Settings
from publisher.store import Store
from publisher.web.kept import kept
from publisher.web.negotiate import page_format
from publisher.web.publication import publication_for
from publisher.web.release import conditional, current_or_503, prefix_of, store_of

VOID = Namespace("http://rdfs.org/ns/void#")
DQV = Namespace("http://www.w3.org/ns/dqv#")
COMPLETENESS = URIRef("http://www.w3.org/2016/05/ldqd#completeness")
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
    _describe(graph, dataset, publication_for(settings, release), base)
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


def _describe(graph: Graph, dataset: URIRef, publication: Publication, base: str) -> None:
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
    measurement, metric = URIRef(f"{base}dataset#coverage"), URIRef(f"{base}dataset#covered-of-total")
    graph.add((dataset, DQV.hasQualityMeasurement, measurement))
    graph.add((measurement, RDF.type, DQV.QualityMeasurement))
    graph.add((measurement, DQV.computedOn, dataset))
    graph.add((measurement, DQV.isMeasurementOf, metric))
    graph.add((measurement, DQV.value, Literal(described.counted, datatype=XSD.integer)))
    graph.add((measurement, PROV.wasDerivedFrom, URIRef(f"{base}id/observation/{total.observation}")))
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
