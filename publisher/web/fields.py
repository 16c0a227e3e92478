"""The policy and technology fields as a browsable tree, with the number of initiatives in each."""

from __future__ import annotations

import json

from publisher.release import Release
from publisher.web.facets import facets_of
from publisher.web.kept import kept
from publisher.web.release import store_of

# Plain patterns only: the counts come from the facets, where the hierarchy is closed once per release (a
# ``skos:broader*`` path here took 16 s per language at 300,000 triples).
FIELD_LABELS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?field ?label ?broader WHERE {
  ?field a skos:Concept ; skos:prefLabel ?label . FILTER(LANG(?label) = LANGUAGE)
  OPTIONAL { ?field skos:broader ?broader }
} ORDER BY ?label ?field
"""


def local_href(iri: str, base: str, prefix: str) -> str:
    """The local path of a thing's document, so a preview on another host stays on that host."""
    return prefix + "/doc/" + iri[len(base) + 3 :] if iri.startswith(base + "id/") else iri


def field_tree(release: Release, base: str, prefix: str, language: str) -> list[dict[str, object]]:
    """The concept scheme as nested nodes: top concepts first, each with its narrower fields and the number
    of initiatives in it or below it."""
    counts = {option["thing"]: option["count"] for option in facets_of(release, base).options["field"]}
    query = FIELD_LABELS.replace("LANGUAGE", json.dumps(language))
    rows = kept(f"field-labels-{language}", release, lambda: store_of(release).select(query))
    nodes: dict[str, dict[str, object]] = {
        row["field"]: {
            **row,
            "initiatives": counts.get(row["field"], "0"),
            "href": local_href(row["field"], base, prefix),
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
