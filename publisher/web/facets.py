"""What the initiative list filters by: the classes of cluster organisations, the field and place hierarchies,
and the filter options (fields and places counted with everything below or inside them, regions as the sources
word them).

Worked out once per release from plain triple patterns, with the hierarchies closed in Python rather than
with ``rdfs:subClassOf*`` or ``skos:broader*`` in the queries: Virtuoso 7.2 answers such paths wrongly once
they meet other patterns (rows lost, or none), and the same plain patterns answer alike on every engine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from publisher.release import Release
from publisher.store import Store
from publisher.web.kept import kept
from publisher.web.release import store_of

PREFIXES = """
PREFIX cluster: <BASEdef/cluster#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
SUBCLASSES = PREFIXES + "SELECT ?class ?super WHERE { ?class rdfs:subClassOf ?super }"
FIELDS = (
    PREFIXES
    + """SELECT ?thing ?label ?broader WHERE {
  ?thing a skos:Concept ; rdfs:label ?label FILTER(LANG(?label) = "de")
  OPTIONAL { ?thing skos:broader ?broader }
}"""
)
MEMBERS = PREFIXES + "SELECT DISTINCT ?i ?thing WHERE { VALUES ?class { CLASSES } ?i a ?class ; PATTERN }"
PLACES = (
    PREFIXES
    + """SELECT DISTINCT ?thing ?label WHERE {
  ?i schema:location ?thing . ?thing rdfs:label ?label FILTER(LANG(?label) = "de")
}"""
)
CONTAINED = PREFIXES + "SELECT ?thing ?wider WHERE { ?thing schema:containedInPlace ?wider }"
CONTAINING = (
    PREFIXES
    + """SELECT DISTINCT ?thing ?label WHERE {
  ?inside schema:containedInPlace ?thing . ?thing rdfs:label ?label FILTER(LANG(?label) = "de")
}"""
)
REGIONS = (
    PREFIXES
    + """SELECT ?label (COUNT(DISTINCT ?i) AS ?count) WHERE { ?i cluster:regionText ?label }
GROUP BY ?label ORDER BY STR(?label)"""
)
Option = dict[str, str]


@dataclass(frozen=True)
class Facets:
    """The initiative list's hierarchies and filter options for one release."""

    organisation_classes: tuple[str, ...]  # cluster:ClusterOrganisation and every class below it
    broader: dict[str, frozenset[str]]  # field -> the fields directly above it
    containing: dict[str, frozenset[str]]  # place -> the places directly containing it
    options: dict[str, list[Option]]

    def classes(self) -> str:
        """The organisation classes as a SPARQL VALUES list."""
        return " ".join(f"<{iri}>" for iri in self.organisation_classes)

    def within(self, field: str) -> list[str]:
        """``field`` and every field below it."""
        return _below(field, self.broader)

    def inside(self, place: str) -> list[str]:
        """``place`` and every place inside it (its municipalities, theirs, ...)."""
        return _below(place, self.containing)


def facets_of(release: Release, base: str) -> Facets:
    return kept("facets", release, lambda: _facets(store_of(release), base), base)


def _facets(store: Store, base: str) -> Facets:
    def ask(query: str) -> list[dict[str, str]]:
        return store.select(query.replace("BASE", base))

    supers: dict[str, set[str]] = defaultdict(set)
    for row in ask(SUBCLASSES):
        supers[row["class"]].add(row["super"])
    top = f"{base}def/cluster#ClusterOrganisation"
    classes = tuple(sorted({top} | {c for c in list(supers) if top in _closure(c, supers)}))
    labels: dict[str, str] = {}
    broader: dict[str, set[str]] = defaultdict(set)
    for row in ask(FIELDS):
        labels[row["thing"]] = row["label"]
        broader[row["thing"]].update([row["broader"]] if "broader" in row else [])
    members = MEMBERS.replace("CLASSES", " ".join(f"<{c}>" for c in classes))
    fields: dict[str, set[str]] = defaultdict(set)
    for row in ask(members.replace("PATTERN", "cluster:technologyField ?thing")):
        for field in _closure(row["thing"], broader):
            fields[field].add(row["i"])
    containing: dict[str, set[str]] = defaultdict(set)
    for row in ask(CONTAINED):
        containing[row["thing"]].add(row["wider"])
    places: dict[str, set[str]] = defaultdict(set)
    for row in ask(members.replace("PATTERN", "schema:location ?thing")):
        for place in _closure(row["thing"], containing):
            places[place].add(row["i"])
    labels.update((row["thing"], row["label"]) for row in ask(PLACES) + ask(CONTAINING))
    return Facets(
        organisation_classes=classes,
        broader={field: frozenset(above) for field, above in broader.items()},
        containing={place: frozenset(wider) for place, wider in containing.items()},
        options={
            "field": _options(fields, labels),
            "place": _options(places, labels),
            "region": [{**row, "key": row["label"]} for row in ask(REGIONS)],
        },
    )


def _below(start: str, above: dict[str, frozenset[str]]) -> list[str]:
    """``start`` and everything below it (everything with ``start`` above it), sorted."""
    return sorted({start, *(thing for thing in above if start in _closure(thing, above))})


def _closure(start: str, above: dict[str, set[str]] | dict[str, frozenset[str]]) -> set[str]:
    """``start`` and everything above it; a loop in the hierarchy ends where it meets what was found."""
    found, todo = {start}, [start]
    while todo:
        for wider in above.get(todo.pop(), ()):
            if wider not in found:
                found.add(wider)
                todo.append(wider)
    return found


def _options(members: dict[str, set[str]], labels: dict[str, str]) -> list[Option]:
    options: Iterable[Option] = (
        {"thing": thing, "label": labels[thing], "count": str(len(found)), "key": thing.rsplit("/", 1)[-1]}
        for thing, found in members.items()
        if thing in labels
    )
    return sorted(options, key=lambda option: (option["label"], option["thing"]))
