"""JSON-LD as web developers read it: the expanded form that rdflib and pyoxigraph write, compacted against an
``@context`` of prefixes (``"rdfs:label"`` for ``"http://www.w3.org/2000/01/rdf-schema#label"``).

Only IRIs are shortened, and only to compact IRIs that every JSON-LD processor expands back to the same IRI:
the context holds prefixes whose namespace ends in ``/`` or ``#`` (so JSON-LD 1.1 takes them as prefixes), and
an IRI keeps its full form when the rest would be empty or begin with ``//`` (which JSON-LD reads as an
absolute IRI). Values, languages, blank nodes and the shape of the document stay as they are, so the graph is
the same as the expanded one's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

KEYWORDS_WITH_IRIS = frozenset({"@id", "@type"})
KEYWORDS_AS_THEY_ARE = frozenset({"@value", "@language", "@direction", "@index"})
# not "" (rdflib's default namespace) nor "_" (blank nodes)
PREFIX_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")


def compact(expanded: str | bytes, prefixes: Mapping[str, str]) -> str:
    """``expanded`` (an array of node objects, or an object with ``@graph``) with an ``@context`` of the
    ``prefixes`` it uses, and its IRIs written with them."""
    document = json.loads(expanded)
    if isinstance(document, dict) and "@context" in document:
        raise ValueError("compact() takes expanded JSON-LD, without a context")
    nodes = document.get("@graph", [document]) if isinstance(document, dict) else document
    shortener = _Shortener(prefixes)
    graph = [shortener.node(node) for node in _merged(nodes)]
    context = {name: prefixes[name] for name in sorted(shortener.used)}
    return json.dumps({"@context": context, "@graph": graph}, ensure_ascii=False, indent=2) + "\n"


def _merged(nodes: list[dict[str, object]]) -> list[dict[str, object]]:
    """One node object per ``@id`` (pyoxigraph writes a subject once per run of its triples), values in the
    order they came: the same triples. A node with keywords other than ``@id`` and ``@type`` stays apart."""
    by_id: dict[str, dict[str, object]] = {}
    merged: list[dict[str, object]] = []
    for node in nodes:
        iri = node.get("@id")
        if not isinstance(iri, str) or any(k.startswith("@") and k not in KEYWORDS_WITH_IRIS for k in node):
            merged.append(node)
            continue
        into = by_id.get(iri)
        if into is None:
            into = by_id[iri] = {"@id": iri}
            merged.append(into)
        for key, value in node.items():
            if key == "@id":
                continue
            values = value if isinstance(value, list) else [value]
            known = into.get(key)
            if isinstance(known, list):
                known.extend(values)
            else:
                into[key] = list(values)
    return merged


class _Shortener:
    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # longest namespace first, so http://www.w3.org/ns/prov# wins over a shorter namespace it starts with
        self.namespaces = sorted(
            (
                (namespace, name)
                for name, namespace in prefixes.items()
                if namespace.endswith(("/", "#")) and PREFIX_NAME.fullmatch(name)
            ),
            key=lambda item: -len(item[0]),
        )
        self.used: set[str] = set()

    def iri(self, iri: str) -> str:
        for namespace, name in self.namespaces:
            if iri.startswith(namespace):
                rest = iri[len(namespace) :]
                if not rest or rest.startswith("//"):
                    return iri
                self.used.add(name)
                return f"{name}:{rest}"
        return iri

    def node(self, value: object) -> object:
        if isinstance(value, list):
            return [self.node(item) for item in value]
        if not isinstance(value, dict):
            return value
        shortened: dict[str, object] = {}
        for key, item in value.items():
            if key in KEYWORDS_WITH_IRIS:
                shortened[key] = self._iris(item)
            elif key in KEYWORDS_AS_THEY_ARE:
                shortened[key] = item
            elif key.startswith("@"):  # @list, @set, @graph, @reverse: their members
                shortened[key] = self.node(item)
            else:
                shortened[self.iri(key)] = self.node(item)
        return shortened

    def _iris(self, value: object) -> object:
        if isinstance(value, list):
            return [self._iris(item) for item in value]
        if isinstance(value, str) and not value.startswith("_:"):
            return self.iri(value)
        return value
