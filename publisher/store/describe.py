"""What the store knows about one IRI, as the document about it shows it.

A description holds the thing's own statements (with the blank nodes they lead to), the labels of
everything it links to, one page of its inbound links with a count per property, its sources, and facts
about the document itself (release, licence, dataset). It serializes to any RDF format and offers the same
content as plain Python values for the HTML page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from publisher.jsonld import Context, compact

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
VOID = "http://rdfs.org/ns/void#"
XHV_NEXT = "http://www.w3.org/1999/xhtml/vocab#next"
XHV_PREV = "http://www.w3.org/1999/xhtml/vocab#prev"
SCHEMA_URL = "https://schema.org/url"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
# The names of publisher.formats.GRAPH_FORMATS, as pyoxigraph knows them.
OXIGRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}


@dataclass(frozen=True)
class Term:
    """An RDF term as plain values: kind is "iri", "bnode" or "literal"."""

    kind: str
    value: str
    language: str = ""
    datatype: str = ""


@dataclass(frozen=True)
class DocumentFacts:
    """What a document says about itself."""

    document: str
    dataset: str
    licence: str
    release_id: str
    built: str


@dataclass
class Description:
    thing: str
    statements: list[tuple[str, Term]] = field(default_factory=list)
    blank_nodes: dict[str, list[tuple[str, Term]]] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    backlinks: list[tuple[str, str]] = field(default_factory=list)
    backlink_counts: dict[str, int] = field(default_factory=dict)
    has_more_backlinks: bool = False
    page: int = 1
    source_urls: dict[str, str] = field(default_factory=dict)
    _triples: list[ox.Triple] = field(default_factory=list, repr=False)

    @property
    def types(self) -> list[str]:
        return [t.value for p, t in self.statements if p == RDF_TYPE]

    @property
    def sources(self) -> list[str]:
        return [t.value for p, t in self.statements if p == PROV_DERIVED]

    def label(self, iri: str, language: str) -> str | None:
        """The label of ``iri`` in ``language``, else German, else any; None when it has none."""
        found = self.labels.get(iri)
        if not found:
            return None
        return found.get(language) or found.get("de") or found.get("") or next(iter(found.values()))

    def serialize(self, format_name: str, prefixes: dict[str, str], context: Context | None = None) -> bytes:
        """The document in a graph format; JSON-LD compacted against the published ``context`` when given."""
        fmt = OXIGRAPH_FORMATS[format_name]
        wanted = None if fmt == ox.RdfFormat.N_TRIPLES else prefixes
        body = ox.serialize(self._triples, format=fmt, prefixes=wanted) or b""
        if fmt != ox.RdfFormat.JSON_LD:
            return body
        return (context.compact(body) if context is not None else compact(body, prefixes)).encode()


class Lookups:
    """The store with a memory for the small lookups every document repeats (labels, source titles).

    A release's store never changes, so what was looked up once stays true; the memory is bounded.
    """

    MAX_ENTRIES = 200_000

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._memo: dict[tuple[str, str], list[ox.Quad]] = {}

    def quads(self, subject: ox.NamedNode, predicate: str) -> list[ox.Quad]:
        key = (subject.value, predicate)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= self.MAX_ENTRIES:
                self._memo.clear()
            pattern = self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None, ox.DefaultGraph())
            found = self._memo[key] = list(pattern)
        return found


def describe(
    lookups: Lookups, thing: str, facts: DocumentFacts, page: int = 1, page_size: int = 100
) -> Description | None:
    """Describe ``thing``; None when the store holds no statement about it."""
    store = lookups.store
    subject = ox.NamedNode(thing)
    default = ox.DefaultGraph()
    own = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(subject, None, None, default)
    ]
    if not own:
        return None
    description = Description(thing, page=page)
    triples = description._triples
    triples.extend(own)
    linked: set[ox.NamedNode] = set()
    for triple in own:
        description.statements.append((triple.predicate.value, _term(triple.object)))
        if triple.predicate.value == RDFS_LABEL and isinstance(triple.object, ox.Literal):
            description.labels.setdefault(thing, {})[triple.object.language or ""] = triple.object.value
        linked.add(triple.predicate)
        if isinstance(triple.object, ox.NamedNode):
            linked.add(triple.object)
        elif isinstance(triple.object, ox.BlankNode):
            _add_blank_node(store, triple.object, description)
    _add_backlinks(store, subject, description, page, page_size, linked)
    _add_sources(lookups, description)
    _add_labels(lookups, linked, description)
    triples.extend(_document_triples(subject, facts, description))
    return description


def page_url(document: str, page: int) -> str:
    """The URL of one page of a document's inbound links (page 1 is the document itself)."""
    return document if page <= 1 else f"{document}?page={page}"


def _term(node: object) -> Term:
    if isinstance(node, ox.NamedNode):
        return Term("iri", node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, ox.Literal):
        return Term("literal", node.value, node.language or "", "" if node.language else node.datatype.value)
    return Term("literal", str(node))


def _add_blank_node(store: ox.Store, node: ox.BlankNode, description: Description) -> None:
    quads = list(store.quads_for_pattern(node, None, None, ox.DefaultGraph()))
    description.blank_nodes[node.value] = [(q.predicate.value, _term(q.object)) for q in quads]
    description._triples.extend(ox.Triple(q.subject, q.predicate, q.object) for q in quads)


def _add_backlinks(
    store: ox.Store,
    subject: ox.NamedNode,
    description: Description,
    page: int,
    size: int,
    linked: set[ox.NamedNode],
) -> None:
    counts: Counter[str] = Counter()
    start, stop = (page - 1) * size, page * size
    for position, quad in enumerate(store.quads_for_pattern(None, None, subject, ox.DefaultGraph())):
        counts[quad.predicate.value] += 1
        if start <= position < stop and isinstance(quad.subject, ox.NamedNode):
            description.backlinks.append((quad.subject.value, quad.predicate.value))
            description._triples.append(ox.Triple(quad.subject, quad.predicate, subject))
            linked.add(quad.subject)
            linked.add(quad.predicate)
    description.backlink_counts = dict(sorted(counts.items()))
    description.has_more_backlinks = sum(counts.values()) > stop


def _add_sources(lookups: Lookups, description: Description) -> None:
    """Where the facts come from: the title and address of every source document."""
    for source in description.sources:
        node = ox.NamedNode(source)
        for predicate in (DCTERMS + "title", SCHEMA_URL):
            for quad in lookups.quads(node, predicate):
                description._triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))
                if predicate == SCHEMA_URL and isinstance(quad.object, ox.NamedNode):
                    description.source_urls[source] = quad.object.value


def _add_labels(lookups: Lookups, linked: set[ox.NamedNode], description: Description) -> None:
    for node in linked:
        for quad in lookups.quads(node, RDFS_LABEL):
            literal = quad.object
            if isinstance(literal, ox.Literal):
                description.labels.setdefault(node.value, {})[literal.language or ""] = literal.value
                description._triples.append(ox.Triple(quad.subject, quad.predicate, literal))


def _document_triples(thing: ox.NamedNode, facts: DocumentFacts, description: Description) -> list[ox.Triple]:
    doc = ox.NamedNode(facts.document)

    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    out = [
        ox.Triple(doc, iri(RDF_TYPE), iri(FOAF + "Document")),
        ox.Triple(doc, iri(FOAF + "primaryTopic"), thing),
        ox.Triple(thing, iri(FOAF + "isPrimaryTopicOf"), doc),
        ox.Triple(doc, iri(DCTERMS + "isPartOf"), iri(facts.dataset)),
        ox.Triple(doc, iri(DCTERMS + "license"), iri(facts.licence)),
        ox.Triple(doc, iri(DCTERMS + "hasVersion"), ox.Literal(facts.release_id)),
        ox.Triple(doc, iri(DCTERMS + "modified"), ox.Literal(facts.built, datatype=iri(XSD_DATETIME))),
    ]
    if description.has_more_backlinks:
        out.append(ox.Triple(doc, iri(XHV_NEXT), iri(page_url(facts.document, description.page + 1))))
    if description.page > 1:
        out.append(ox.Triple(doc, iri(XHV_PREV), iri(page_url(facts.document, description.page - 1))))
    for predicate, count in description.backlink_counts.items():
        linkset = ox.BlankNode()
        out += [
            ox.Triple(doc, iri(VOID + "subset"), linkset),
            ox.Triple(linkset, iri(RDF_TYPE), iri(VOID + "Linkset")),
            ox.Triple(linkset, iri(VOID + "objectsTarget"), thing),
            ox.Triple(linkset, iri(VOID + "linkPredicate"), iri(predicate)),
            ox.Triple(linkset, iri(VOID + "triples"), ox.Literal(str(count), datatype=iri(XSD_INTEGER))),
        ]
    return out
