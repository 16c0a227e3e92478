"""The ontology at ``{base}def/cluster`` (its hash terms resolve here) and the shapes at
``{base}def/cluster/shapes``: HTML documentation for people, the RDF itself for machines."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, render_template
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Namespace, URIRef
from rdflib.term import Node
from werkzeug.wrappers import Response

from publisher.formats import HTML, Format, serialize_graph
from publisher.settings import Settings
from publisher.web.negotiate import page_format, page_language
from publisher.web.release import conditional, current_or_503, prefix_of

SH = Namespace("http://www.w3.org/ns/shacl#")


def init_app(app: Flask, settings: Settings) -> None:
    prefix = prefix_of(settings)
    app.add_url_rule(f"{prefix}/def/cluster", "ontology", ontology)
    app.add_url_rule(f"{prefix}/def/cluster/shapes", "shapes", shapes)


@lru_cache(maxsize=4)
def _graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def _respond(body: str | bytes, fmt: Format) -> Response:
    response = Response(body, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return conditional(response)


def ontology() -> Response:
    settings: Settings = current_app.config["SETTINGS"]
    graph = _graph(current_or_503().folder / "ontology.ttl")
    fmt = page_format()
    if fmt is not HTML:
        return _respond(serialize_graph(graph, fmt), fmt)
    language = page_language()
    namespace = f"{settings.base}def/cluster#"
    sections = {
        "classes": _terms(graph, namespace, OWL.Class),
        "properties": _terms(graph, namespace, OWL.ObjectProperty)
        + _terms(graph, namespace, OWL.DatatypeProperty),
        "individuals": _terms(graph, namespace, URIRef(namespace + "Qualifier")),
    }
    iri = URIRef(f"{settings.base}def/cluster")
    html = render_template(
        "ontology.html",
        lang=language,
        iri=iri,
        version=graph.value(iri, OWL.versionInfo),
        title=_text(graph, iri, RDFS.label, language),
        sections=sections,
    )
    return _respond(html, HTML)


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


def shapes() -> Response:
    graph = _graph(current_or_503().folder / "shapes.ttl")
    fmt = page_format()
    if fmt is not HTML:
        return _respond(serialize_graph(graph, fmt), fmt)
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
    return _respond(render_template("shapes.html", lang="en", shapes=rows, turtle=turtle), HTML)
