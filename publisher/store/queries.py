"""Every SPARQL query the site asks a release's store, in one place and written for one base (as prez keeps
its queries with its services): views ask ``Queries`` for the text and never write SPARQL themselves.

The queries use plain triple patterns and leave hierarchies to Python (publisher.web.facets): Virtuoso 7.2
answers property paths wrongly once they meet other patterns, and plain patterns answer alike on every engine.
Values from outside (a region's text, an IRI) are written by pyoxigraph (publisher.store.terms).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from publisher.store.terms import sparql_iri, sparql_string
from publisher.uris import UriScheme
from publisher.vocab import prefixes_for


@dataclass(frozen=True)
class Queries:
    uris: UriScheme
    prologue: str = field(init=False)  # PREFIX lines for every prefix of the site, ``cluster:`` included

    def __post_init__(self) -> None:
        lines = (f"PREFIX {name}: <{namespace}>" for name, namespace in prefixes_for(self.uris.base).items())
        object.__setattr__(self, "prologue", "\n".join(lines) + "\n")

    @staticmethod
    @lru_cache(maxsize=8)
    def of(base: str) -> Queries:
        return Queries(UriScheme(base))

    def _ask(self, body: str) -> str:
        return self.prologue + body

    def _things(self, variable: str, under: str = "") -> str:
        """A filter keeping ``?variable`` to the things (of type ``under``) of this dataset."""
        namespace = self.uris.things + (f"{under}/" if under else "")
        return f"FILTER(STRSTARTS(STR(?{variable}), {sparql_string(namespace)}))"

    # VoID (publisher.web.void)
    @property
    def totals(self) -> str:
        return self._ask(
            "SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) "
            "(COUNT(DISTINCT ?p) AS ?properties) WHERE { ?s ?p ?o }"
        )

    @property
    def entities(self) -> str:
        return self._ask(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c {self._things('s')} }}")

    @property
    def classes(self) -> str:
        return self._ask(
            f"SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?class {self._things('s')} }} "
            "GROUP BY ?class"
        )

    @property
    def properties(self) -> str:
        return self._ask(
            "SELECT ?property (COUNT(*) AS ?n) WHERE { ?s ?property ?o } "
            "GROUP BY ?property ORDER BY ?property"
        )

    def initiatives(self, limit: int) -> str:
        """The first ``limit`` initiatives by IRI: examples for VoID and the linking page."""
        return self._ask(
            f"SELECT ?s WHERE {{ ?s a ?c {self._things('s', 'initiative')} }} ORDER BY ?s LIMIT {limit}"
        )

    def links(self, predicate: str, namespace: str) -> str:
        """How many ``predicate`` links lead into ``namespace`` (a VoID linkset)."""
        return self._ask(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s {sparql_iri(predicate)} ?o "
            f"FILTER(STRSTARTS(STR(?o), {sparql_string(namespace)})) }}"
        )

    # the sitemap (publisher.web.discovery): sorted in Python, Oxigraph took 19 s to sort 300,000 triples
    @property
    def subjects(self) -> str:
        return self._ask(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o {self._things('s')} }}")

    # the JSON-LD context (publisher.web.context)
    @property
    def terms(self) -> str:
        return "SELECT DISTINCT ?term WHERE { { ?s ?term ?o } UNION { ?s a ?term } FILTER(isIRI(?term)) }"

    # the names index (publisher.web.names)
    @property
    def names(self) -> str:
        return self._ask("""
SELECT ?thing ?property ?value (LANG(?value) AS ?language) WHERE {
  VALUES ?property { rdfs:label skos:altLabel }
  ?thing ?property ?value .
  FILTER(isIRI(?thing) && isLITERAL(?value))
}""")

    # the home page (publisher.web.home)
    @property
    def event_series(self) -> str:
        return self._ask("""
SELECT ?series ?label ?start ?end (COUNT(?event) AS ?events) WHERE {
  ?series a schema:EventSeries ; rdfs:label ?label ; schema:startDate ?start .
  FILTER(LANG(?label) = "de")
  OPTIONAL { ?series schema:endDate ?end }
  OPTIONAL { ?event schema:superEvent ?series }
} GROUP BY ?series ?label ?start ?end ORDER BY ?start""")

    # the field tree (publisher.web.fields)
    def field_labels(self, language: str) -> str:
        return self._ask(f"""
SELECT ?field ?label ?broader WHERE {{
  ?field a skos:Concept ; skos:prefLabel ?label . FILTER(LANG(?label) = {json.dumps(language)})
  OPTIONAL {{ ?field skos:broader ?broader }}
}} ORDER BY ?label ?field""")

    # the facets of the initiative list (publisher.web.facets)
    @property
    def subclasses(self) -> str:
        return self._ask("SELECT ?class ?super WHERE { ?class rdfs:subClassOf ?super }")

    @property
    def fields(self) -> str:
        return self._ask("""SELECT ?thing ?label ?broader WHERE {
  ?thing a skos:Concept ; rdfs:label ?label FILTER(LANG(?label) = "de")
  OPTIONAL { ?thing skos:broader ?broader }
}""")

    def members(self, classes: Iterable[str], pattern: str) -> str:
        """Members ``?i`` of ``classes`` and what ``pattern`` (a predicate and ``?thing``) links them to."""
        values = " ".join(sparql_iri(c) for c in classes)
        return self._ask(
            f"SELECT DISTINCT ?i ?thing WHERE {{ VALUES ?class {{ {values} }} ?i a ?class ; {pattern} }}"
        )

    @property
    def seats(self) -> str:
        return self._ask("""SELECT DISTINCT ?thing ?label WHERE {
  ?i schema:location ?thing . ?thing rdfs:label ?label FILTER(LANG(?label) = "de")
}""")

    @property
    def contained(self) -> str:
        return self._ask("SELECT ?thing ?wider WHERE { ?thing schema:containedInPlace ?wider }")

    @property
    def containing(self) -> str:
        return self._ask("""SELECT DISTINCT ?thing ?label WHERE {
  ?inside schema:containedInPlace ?thing . ?thing rdfs:label ?label FILTER(LANG(?label) = "de")
}""")

    @property
    def regions(self) -> str:
        return self._ask("""SELECT ?label (COUNT(DISTINCT ?i) AS ?count) WHERE {
  ?i cluster:regionText ?label
} GROUP BY ?label ORDER BY STR(?label)""")

    # the lists (publisher.web.lists)
    def listing(self, patterns: Iterable[str], order: str, limit: str) -> str:
        """The things matching ``patterns``, each with its label (German first) and start date."""
        return self._ask(f"""
SELECT DISTINCT ?thing ?label ?start WHERE {{
  {" ".join(patterns)}
  {self._things("thing")}
  OPTIONAL {{ ?thing rdfs:label ?de . FILTER(LANG(?de) = "de" || LANG(?de) = "") }}
  OPTIONAL {{ ?thing rdfs:label ?any }}
  OPTIONAL {{ ?thing schema:startDate ?start }}
  BIND(COALESCE(?de, ?any, STR(?thing)) AS ?label)
}} ORDER BY {order} {limit}""")

    # the calendars (publisher.web.calendar)
    def events(self, selection: str = "") -> str:
        """Every event (or those ``selection`` keeps) with what a calendar entry shows."""
        return self._ask(f"""
SELECT ?event (SAMPLE(?startDate) AS ?start) (SAMPLE(?endDate) AS ?end)
       (SAMPLE(?labelDe) AS ?label) (SAMPLE(?labelOther) AS ?otherLabel)
       (SAMPLE(?placeDe) AS ?place) (SAMPLE(?placeOther) AS ?otherPlace)
       (SAMPLE(?venueName) AS ?venue) (SAMPLE(?text) AS ?description)
       (SAMPLE(?seriesLabel) AS ?series)
       (GROUP_CONCAT(DISTINCT ?organizerLabel; separator="; ") AS ?organizers)
WHERE {{
  VALUES ?type {{ schema:Event schema:EventSeries }}
  ?event a ?type ; schema:startDate ?startDate .
  FILTER(isIRI(?event)) {self._things("event")}
  {selection}
  OPTIONAL {{ ?event schema:endDate ?endDate }}
  OPTIONAL {{ ?event rdfs:label ?labelDe FILTER(LANG(?labelDe) = "de") }}
  OPTIONAL {{ ?event rdfs:label ?labelOther }}
  OPTIONAL {{ ?event schema:location ?location .
             OPTIONAL {{ ?location rdfs:label ?placeDe FILTER(LANG(?placeDe) = "de") }}
             OPTIONAL {{ ?location rdfs:label ?placeOther }} }}
  OPTIONAL {{ ?event cluster:venueName ?venueName }}
  OPTIONAL {{ ?event schema:description ?text FILTER(LANG(?text) IN ("de", "")) }}
  OPTIONAL {{ ?event schema:superEvent/rdfs:label ?seriesLabel FILTER(LANG(?seriesLabel) = "de") }}
  OPTIONAL {{ ?event schema:organizer/rdfs:label ?organizerLabel FILTER(LANG(?organizerLabel) = "de") }}
}}
GROUP BY ?event""")

    @staticmethod
    def organised_by(initiative: str) -> str:
        """A selection for ``events``: the events ``initiative`` organises."""
        return f"?event schema:organizer {sparql_iri(initiative)} ."

    @staticmethod
    def in_field(field_iri: str) -> str:
        """A selection for ``events``: the events of initiatives in the field or a field below it."""
        return (
            "?event schema:organizer ?initiative . ?initiative cluster:technologyField ?field . "
            f"?field skos:broader* {sparql_iri(field_iri)} ."
        )

    def labels(self, things: Iterable[str]) -> str:
        """The labels of ``things``, each with its language (a document's label is its title)."""
        values = " ".join(sparql_iri(thing) for thing in things)
        return self._ask(
            f"SELECT ?thing ?label (LANG(?label) AS ?language) WHERE {{ VALUES ?thing {{ {values} }} "
            "?thing rdfs:label ?label }"
        )

    def label(self, thing: str) -> str:
        """The thing's label, German first."""
        return self._ask(
            f"SELECT ?label WHERE {{ {sparql_iri(thing)} rdfs:label ?label . }} "
            'ORDER BY DESC(LANG(?label) = "de") ?label LIMIT 1'
        )
