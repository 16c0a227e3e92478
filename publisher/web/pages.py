"""HTML views of things: one plain data dict per page, rendered by a Jinja template that escapes values."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import render_template

from publisher.release import Release
from publisher.settings import Settings
from publisher.store import Description, Term
from publisher.vocab import PREFIXES
from publisher.web.fields import field_tree
from publisher.web.publication import publication_for
from publisher.web.release import prefix_of, store_of

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
    settings: Settings, release: Release, description: Description, type_word: str, key: str, language: str
) -> str:
    prefix = prefix_of(settings)
    local = _Localiser(settings)

    def show(term: Term) -> Shown:
        if term.kind == "iri":
            return Shown(
                description.label(term.value, language) or local.name(term.value), local.href(term.value)
            )
        if term.kind == "bnode":
            inner = description.blank_nodes.get(term.value, [])
            return Shown("; ".join(show(value).text for _, value in inner))
        return Shown(term.value, language=term.language)

    statements: dict[str, list[Shown]] = {}
    for predicate, value in description.statements:
        if predicate not in (RDF_TYPE, RDFS_LABEL):
            statements.setdefault(_predicate(description, predicate, language, local), []).append(show(value))
    inbound: dict[str, list[Shown]] = {}
    for subject, predicate in description.backlinks:
        count = description.backlink_counts[predicate]
        key_text = f"{_predicate(description, predicate, language, local)} ({count})"
        inbound.setdefault(key_text, []).append(show(Term("iri", subject)))
    title = description.label(description.thing, language) or key
    view = {
        "lang": language,
        "text": TEXT[language],
        "title": title,
        "labels": description.labels.get(description.thing, {}),
        "iri": description.thing,
        "types": [show(Term("iri", t)) for t in description.types],
        "statements": statements,
        "inbound": inbound,
        "next_page": f"{prefix}/doc/{type_word}/{key}?page={description.page + 1}"
        if description.has_more_backlinks
        else "",
        "sources": [
            Shown(description.label(s, language) or s, description.source_urls.get(s, ""))
            for s in description.sources
        ],
        "figures": store_of(release).figures_about(description.thing, language),
        "document": f"{prefix}/doc/{type_word}/{key}",
        "release": release,
        "licence": publication_for(settings, release).licence,
        "calendar": f"{prefix}/calendar/{type_word}/{key}.ics"
        if type_word in ("initiative", "field")
        else "",
        "tree": field_tree(release, settings.base, prefix, language) if type_word == "scheme" else [],
        "json_ld": json.dumps(_schema_org(description, type_word, title), ensure_ascii=False).replace(
            "</", "<\\/"
        ),
    }
    return render_template("resource.html", **view)


class _Localiser:
    """Turns IRIs under the base into local links, so a preview on another host stays on that host."""

    def __init__(self, settings: Settings) -> None:
        self.base = settings.base
        self.prefix = prefix_of(settings)
        self.prefixes = {**PREFIXES, "cluster": f"{settings.base}def/cluster#"}

    def href(self, iri: str) -> str:
        if iri.startswith(self.base + "id/"):
            return self.prefix + "/doc/" + iri[len(self.base) + 3 :]
        if iri.startswith(self.base):
            return self.prefix + "/" + iri[len(self.base) :]
        return iri

    def name(self, iri: str) -> str:
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri


def _predicate(description: Description, predicate: str, language: str, local: _Localiser) -> str:
    return description.label(predicate, language) or local.name(predicate)


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
