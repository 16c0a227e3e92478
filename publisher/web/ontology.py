"""The ontology at ``{base}def/cluster`` (its hash terms resolve here) and the shapes at
``{base}def/cluster/shapes``: HTML documentation for people, the RDF itself for machines."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Blueprint, render_template
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.term import Node
from werkzeug.wrappers import Response

from publisher.uris import UriScheme
from publisher.vocab import SH
from publisher.web import current, respond
from publisher.web.context import context_of

bp = Blueprint("ontology", __name__)


@lru_cache(maxsize=4)
def _graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@bp.get("/context.jsonld")
def context() -> Response:
    """The JSON-LD context our RDF answers name (publisher.web.context)."""
    document = context_of(current.settings(), current.release()).document()
    return respond.respond(document, "application/ld+json", vary=())


@bp.get("/def/cluster")
def ontology() -> Response:
    graph = _graph(current.release().folder / "ontology.ttl")
    return respond.represent(page=lambda: _ontology_page(graph), graph=lambda: graph, caching=respond.STABLE)


def _ontology_page(graph: Graph) -> str:
    language = respond.language()
    uris = UriScheme(current.settings().base)
    namespace = uris.ontology_namespace
    sections = {
        "classes": _terms(graph, namespace, OWL.Class),
        "properties": _terms(graph, namespace, OWL.ObjectProperty)
        + _terms(graph, namespace, OWL.DatatypeProperty),
        "individuals": _terms(graph, namespace, URIRef(namespace + "Qualifier")),
    }
    iri = uris.ontology
    return render_template(
        "ontology.html",
        lang=language,
        iri=iri,
        version=graph.value(iri, OWL.versionInfo),
        title=_text(graph, iri, RDFS.label, language),
        sections=sections,
    )


def _terms(graph: Graph, namespace: str, cls: URIRef) -> list[dict[str, str]]:
    terms = []
    for term in sorted(s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)):
        if not str(term).startswith(namespace):
            continue
        entry = {"name": str(term)[len(namespace) :], "iri": str(term)}
        for language in ("de", "en"):
            entry[f"label_{language}"] = _text(graph, term, RDFS.label, language)
            entry[f"definition_{language}"] = _text(graph, term, SKOS.definition, language)
        for key, predicate in (("domain", RDFS.domain), ("range", RDFS.range), ("parent", RDFS.subClassOf)):
            value = graph.value(term, predicate)
            entry[key] = graph.namespace_manager.normalizeUri(str(value)) if value is not None else ""
        terms.append(entry)
    return terms


def _text(graph: Graph, subject: Node, predicate: URIRef, language: str) -> str:
    for value in graph.objects(subject, predicate):
        if getattr(value, "language", None) == language:
            return str(value)
    return ""


@bp.get("/def/cluster/shapes")
def shapes() -> Response:
    graph = _graph(current.release().folder / "shapes.ttl")
    return respond.represent(page=lambda: _shapes_page(graph), graph=lambda: graph, caching=respond.STABLE)


def _shapes_page(graph: Graph) -> str:
    rows = []
    for shape in sorted(s for s in graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)):
        targets = [graph.namespace_manager.normalizeUri(str(t)) for t in graph.objects(shape, SH.targetClass)]
        paths = sorted(
            graph.namespace_manager.normalizeUri(p)
            for prop in graph.objects(shape, SH.property)
            for p in graph.objects(prop, SH.path)
            if isinstance(p, URIRef)
        )
        rows.append({"name": str(shape).rsplit("#", 1)[-1], "targets": targets, "paths": paths,
                     "comment": str(graph.value(shape, RDFS.comment) or "")})  # fmt: skip
    turtle = graph.serialize(format="turtle")
    return render_template("shapes.html", lang="en", shapes=rows, turtle=turtle)
