"""Every media type the publisher speaks, in one table: name, media type, file suffix and accepted aliases."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import RDF

from publisher.jsonld import Context, compact

if TYPE_CHECKING:
    from rdflib import Graph


@dataclass(frozen=True)
class Format:
    """A serialization: ``name`` is how code and ``?format=`` refer to it."""

    name: str
    media_type: str
    suffix: str
    aliases: tuple[str, ...] = ()  # other media types that mean this format
    names: tuple[str, ...] = ()  # other short names clients send in ``?format=``

    @property
    def content_type(self) -> str:
        if self.media_type.startswith("text/") or self.name in ("json", "xml", "jsonld", "rdfxml"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


# Results of SELECT and ASK queries.
SOLUTION_FORMATS = (
    Format("json", "application/sparql-results+json", "srj", ("application/json",)),
    Format("xml", "application/sparql-results+xml", "srx", ("application/xml", "text/xml")),
    Format("csv", "text/csv", "csv"),
    Format("tsv", "text/tab-separated-values", "tsv"),
)

# RDF graphs: CONSTRUCT and DESCRIBE results, documents about things, dumps.
# Aliases: Turtle is N3 without N3's extensions, so an N3 client (rdflib's ``format="n3"``) reads it, and TriG
# of the default graph alone; N-Triples is N-Quads of the default graph; JSON-LD is JSON, for clients that ask
# for JSON.
JSONLD = Format("jsonld", "application/ld+json", "jsonld", ("application/json",), ("json-ld",))
GRAPH_FORMATS = (
    Format(
        "turtle", "text/turtle", "ttl", ("application/x-turtle", "text/n3", "text/rdf+n3", "application/trig")
    ),
    Format("ntriples", "application/n-triples", "nt", ("text/plain", "application/n-quads"), ("n-triples",)),
    Format("rdfxml", "application/rdf+xml", "rdf", (), ("rdf+xml", "xml")),
    JSONLD,
)

# Formats only some routes offer: the feed's pages as written (N-Triples are N-Quads of the default graph,
# which LDES clients ask for first) and TimeMaps (RFC 7089).
NQUADS = Format("nquads", "application/n-quads", "nq")
LINK_FORMAT = Format("linkformat", "application/link-format", "link", (), ("link-format",))

HTML = Format("html", "text/html", "html", ("application/xhtml+xml",))
JSON = Format("json", "application/json", "json")  # plain JSON: search results, the error shape
TEXT = Format("text", "text/plain", "txt")  # the error shape for clients that ask for neither JSON nor HTML


def offers(formats: tuple[Format, ...]) -> list[str]:
    """Media types to offer in negotiation: the canonical ones first, then the aliases."""
    return [f.media_type for f in formats] + [alias for f in formats for alias in f.aliases]


def by_media_type(formats: tuple[Format, ...], media_type: str) -> Format | None:
    for fmt in formats:
        if media_type == fmt.media_type or media_type in fmt.aliases:
            return fmt
    return None


def by_name(formats: tuple[Format, ...], name: str) -> Format | None:
    """Look a format up by name, suffix or media type, as a client may write it in ``?format=``."""
    wanted = name.strip().lower()
    for fmt in formats:
        if wanted in (fmt.name, fmt.suffix, fmt.media_type, *fmt.aliases, *fmt.names):
            return fmt
    return None


# The names rdflib gives the graph formats.
RDFLIB_NAMES = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld"}


def serialize_graph(
    graph: Graph, fmt: Format, prefixes: Mapping[str, str] | None = None, context: Context | None = None
) -> str:
    """``graph`` in ``fmt``, one of GRAPH_FORMATS; JSON-LD compacted (publisher.jsonld) against a published
    ``context`` when given, else against ``prefixes`` and the graph's own bindings, ``prefixes`` first where
    both name a namespace."""
    body = graph.serialize(format=RDFLIB_NAMES[fmt.name])
    if fmt is not JSONLD:
        return body
    if context is not None:  # with the graph's own vocabularies (the catalog's DCAT, VoID) added to it
        own = {name: str(namespace) for name, namespace in graph.namespaces() if name}
        used = {str(p) for p in graph.predicates()} | {str(o) for o in graph.objects(None, RDF.type)}
        return context.extended(own, used).compact(body)
    wanted = dict(prefixes or {})
    for name, namespace in graph.namespaces():
        wanted.setdefault(name, str(namespace))
    return compact(body, wanted)
