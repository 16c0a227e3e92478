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

from publisher.releases import Release
from publisher.store import Store
from publisher.store.queries import Queries
from publisher.uris import UriScheme
from publisher.vocab import ClusterTerms
from publisher.web.kept import kept
from publisher.web.release import store_of

Option = dict[str, str]


@dataclass(frozen=True)
class Facets:
    """The initiative list's hierarchies and filter options for one release."""

    organisation_classes: tuple[str, ...]  # cluster:ClusterOrganisation and every class below it
    broader: dict[str, frozenset[str]]  # field -> the fields directly above it
    containing: dict[str, frozenset[str]]  # place -> the places directly containing it
    options: dict[str, list[Option]]

    def within(self, field: str) -> list[str]:
        """``field`` and every field below it."""
        return _below(field, self.broader)

    def inside(self, place: str) -> list[str]:
        """``place`` and every place inside it (its municipalities, theirs, ...)."""
        return _below(place, self.containing)


def facets_of(release: Release, base: str) -> Facets:
    return kept("facets", release, lambda: _facets(store_of(release), base), base)


def _facets(store: Store, base: str) -> Facets:
    queries = Queries.of(base)
    supers: dict[str, set[str]] = defaultdict(set)
    for row in store.select(queries.subclasses):
        supers[row["class"]].add(row["super"])
    top = str(ClusterTerms(UriScheme(base).ontology_namespace).ClusterOrganisation)
    classes = tuple(sorted({top} | {c for c in list(supers) if top in _closure(c, supers)}))
    labels: dict[str, str] = {}
    broader: dict[str, set[str]] = defaultdict(set)
    for row in store.select(queries.fields):
        labels[row["thing"]] = row["label"]
        broader[row["thing"]].update([row["broader"]] if "broader" in row else [])
    fields: dict[str, set[str]] = defaultdict(set)
    for row in store.select(queries.members(classes, "cluster:technologyField ?thing")):
        for field in _closure(row["thing"], broader):
            fields[field].add(row["i"])
    containing: dict[str, set[str]] = defaultdict(set)
    for row in store.select(queries.contained):
        containing[row["thing"]].add(row["wider"])
    places: dict[str, set[str]] = defaultdict(set)
    for row in store.select(queries.members(classes, "schema:location ?thing")):
        for place in _closure(row["thing"], containing):
            places[place].add(row["i"])
    labels.update(
        (row["thing"], row["label"]) for row in store.select(queries.seats) + store.select(queries.containing)
    )
    return Facets(
        organisation_classes=classes,
        broader={field: frozenset(above) for field, above in broader.items()},
        containing={place: frozenset(wider) for place, wider in containing.items()},
        options={
            "field": _options(fields, labels),
            "place": _options(places, labels),
            "region": [{**row, "key": row["label"]} for row in store.select(queries.regions)],
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
