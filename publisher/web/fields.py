"""The policy and technology fields as a browsable tree, with the number of initiatives in each."""

from __future__ import annotations

from publisher.releases import Release
from publisher.store.queries import Queries
from publisher.web.facets import facets_of
from publisher.web.kept import kept
from publisher.web.release import store_of
from publisher.web.urls import Urls

# The counts come from the facets, where the hierarchy is closed once per release (a ``skos:broader*``
# path took 16 s per language at 300,000 triples).


def field_tree(release: Release, urls: Urls, language: str) -> list[dict[str, object]]:
    """The concept scheme as nested nodes: top concepts first, each with its narrower fields and the number
    of initiatives in it or below it."""
    counts = {option["thing"]: option["count"] for option in facets_of(release, urls.base).options["field"]}
    query = Queries.of(urls.base).field_labels(language)
    rows = kept(f"field-labels-{language}", release, lambda: store_of(release).select(query))
    nodes: dict[str, dict[str, object]] = {
        row["field"]: {
            **row,
            "initiatives": counts.get(row["field"], "0"),
            "href": urls.local(row["field"]),
            "children": [],
        }
        for row in rows
    }
    roots = []
    for row in rows:  # a field with two broader fields has a row, and a place, under each
        parent = nodes.get(row.get("broader", ""))
        if parent is None:
            roots.append(nodes[row["field"]])
        else:
            children = parent["children"]
            assert isinstance(children, list)  # noqa: S101 - built just above
            children.append(nodes[row["field"]])
    return roots
