"""HTML views of things: one plain data dict per page, rendered by a Jinja template that escapes values."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import render_template

from publisher.labels import inverse_label, term_label
from publisher.store import Description, Term
from publisher.store.describe import page_url
from publisher.vocab import prefixes_for
from publisher.web import current
from publisher.web.publication import publication_for

SCHEMA = "https://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
TEXT = {
    "de": {
           "about": "Angaben", "inbound": "Verweise auf diese Ressource", "sources": "Quellen",
           "figures": "Zahlen", "value": "Wert", "date": "Stand", "statement": "Aussage", "source": "Quelle",
           "measure": "Größe", "formats": "Als Daten", "next": "Weitere Verweise", "licence": "Lizenz",
           "release": "Datenstand", "other_language": "English"},
    "en": {"about": "Statements", "inbound": "Links to this resource", "sources": "Sources",
           "figures": "Figures", "value": "Value", "date": "As of", "statement": "Statement",
           "source": "Source",
           "measure": "Measure", "formats": "As data", "next": "More links", "licence": "Licence",
           "release": "Release", "other_language": "Deutsch"},
}  # fmt: skip


@dataclass(frozen=True)
class Shown:
    """A value as a page shows it: text, and a link when it is an IRI."""

    text: str
    href: str = ""
    language: str = ""


def render_resource(
    description: Description,
    type_word: str,
    key: str,
    language: str,
    figures: list[dict[str, str]],
    tree: list[dict[str, object]],
    memento: dict[str, str] | None = None,
) -> str:
    """The page about a thing: what the store described (``description``, its ``figures``, and for the field
    scheme the field ``tree``), rendered without asking the store for anything more.

    ``memento`` (publisher.web.memento) makes it the page of an older release: its own path, and a note
    saying which version it shows with links to the current one and to every version."""
    urls = current.urls()
    prefixes = prefixes_for(urls.base)

    def label(iri: str) -> str:
        """Its label in the data (the ontology's terms, things), in publisher.labels (the terms of other
        vocabularies), or else its compact name."""
        return description.label(iri, language) or term_label(iri, language) or curie(iri, prefixes)

    def show(term: Term) -> Shown:
        if term.kind == "iri":
            return Shown(label(term.value), urls.local(term.value))
        if term.kind == "bnode":
            inner = description.blank_nodes.get(term.value, [])
            return Shown("; ".join(show(value).text for _, value in inner))
        return Shown(term.value, language=term.language)

    def backwards(predicate: str) -> str:
        """How the page names a link read from its object: "place of", not "place"."""
        return inverse_label(predicate, language, prefixes["cluster"]) or label(predicate)

    statements: dict[str, list[Shown]] = {}
    for predicate, value in description.statements:
        if predicate not in (RDF_TYPE, RDFS_LABEL):
            statements.setdefault(label(predicate), []).append(show(value))
    inbound: dict[str, list[Shown]] = {}
    for subject, predicate in description.backlinks:
        count = description.backlink_counts[predicate]
        inbound.setdefault(f"{backwards(predicate)} ({count})", []).append(show(Term("iri", subject)))
    title = description.label(description.thing, language) or key
    document = memento["document"] if memento else urls.document(type_word, key)
    view = {
        "lang": language,
        "text": TEXT[language],
        "title": title,
        "labels": description.labels.get(description.thing, {}),
        "label_term": label(RDFS_LABEL),
        "iri": description.thing,
        "types": [show(Term("iri", t)) for t in description.types],
        "statements": statements,
        "inbound": inbound,
        "next_page": page_url(document, description.page + 1) if description.has_more_backlinks else "",
        "sources": [
            Shown(description.label(s, language) or s, description.source_urls.get(s, ""))
            for s in description.sources
        ],
        "figures": figures,
        "document": document,
        "memento": memento,
        "release": current.release(),
        "licence": publication_for(current.settings(), current.release()).licence,
        "calendar": urls.calendar(type_word, key) if type_word in ("initiative", "field") else "",
        "tree": tree,
        "json_ld": json.dumps(_schema_org(description, type_word, title), ensure_ascii=False).replace(
            "</", "<\\/"
        ),
    }
    return render_template("resource.html", **view)


def curie(iri: str, prefixes: dict[str, str]) -> str:
    """``iri`` as a compact name (``skos:broader``) when a prefix covers it, else as it is."""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _schema_org(description: Description, type_word: str, title: str) -> dict[str, object]:
    kind = {"initiative": "Organization", "organisation": "Organization", "event": "Event", "place": "Place",
            "person": "Person"}.get(type_word, "Thing")  # fmt: skip
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": kind,
        "@id": description.thing,
        "name": title,
    }
    for predicate, value in description.statements:
        if (
            predicate.startswith(SCHEMA)
            and value.kind == "literal"
            and predicate[len(SCHEMA) :]
            in (
                "startDate",
                "endDate",
                "foundingDate",
                "description",
            )
        ):
            data[predicate[len(SCHEMA) :]] = value.value
        if predicate == "http://xmlns.com/foaf/0.1/homepage":
            data["url"] = value.value
    same_as = [value.value for predicate, value in description.statements if predicate == OWL_SAME_AS]
    if same_as:
        data["sameAs"] = same_as  # the same authorities the owl:sameAs links of the RDF document name
    return data
