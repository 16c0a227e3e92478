"""The policy and technology fields as a browsable tree, with the number of initiatives in each."""

from __future__ import annotations

import json

from publisher.store import Store

FIELD_TREE = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX cluster: <BASEdef/cluster#>
SELECT ?field ?label ?broader (COUNT(DISTINCT ?initiative) AS ?initiatives) WHERE {
  ?field a skos:Concept ; skos:prefLabel ?label . FILTER(LANG(?label) = LANGUAGE)
  OPTIONAL { ?field skos:broader ?broader }
  OPTIONAL { ?initiative cluster:technologyField/skos:broader* ?field }
} GROUP BY ?field ?label ?broader ORDER BY ?label
"""


def local_href(iri: str, base: str, prefix: str) -> str:
    """The local path of a thing's document, so a preview on another host stays on that host."""
    return prefix + "/doc/" + iri[len(base) + 3 :] if iri.startswith(base + "id/") else iri


def field_tree(store: Store, base: str, prefix: str, language: str) -> list[dict[str, object]]:
    """The concept scheme as nested nodes: top concepts first, each with its narrower fields."""
    rows = store.select(FIELD_TREE.replace("BASE", base).replace("LANGUAGE", json.dumps(language)))
    nodes: dict[str, dict[str, object]] = {
        row["field"]: {**row, "href": local_href(row["field"], base, prefix), "children": []} for row in rows
    }
    roots = []
    for row in rows:
        parent = nodes.get(row.get("broader", ""))
        if parent is None:
            roots.append(nodes[row["field"]])
        else:
            children = parent["children"]
            assert isinstance(children, list)  # noqa: S101 - built just above
            children.append(nodes[row["field"]])
    return roots
