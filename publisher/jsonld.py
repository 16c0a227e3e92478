"""JSON-LD as web developers read it: the expanded form that rdflib and pyoxigraph write, compacted against an
``@context`` of prefixes (``"rdfs:label"`` for ``"http://www.w3.org/2000/01/rdf-schema#label"``) and, where a
``Context`` gives them, short terms for properties and classes (``"label"``, ``"ClusterInitiative"``).

A ``Context`` is published (``{base}context.jsonld``) for web developers to compact and query with; each
answer carries the part of it that it uses, so it reads the same with the published context and stays
readable offline and after the published one moves on. Its terms are plain term definitions (a term stands
for one IRI, no type coercion), so values keep their expanded shape (``{"@id": ...}``,
``{"@value": ..., "@language": ...}``).

Only IRIs are shortened, and only to compact IRIs that every JSON-LD processor expands back to the same IRI:
the context holds prefixes whose namespace ends in ``/`` or ``#`` (so JSON-LD 1.1 takes them as prefixes), and
an IRI keeps its full form when the rest would be empty or begin with ``//`` (which JSON-LD reads as an
absolute IRI). Values, languages, blank nodes and the shape of the document stay as they are, so the graph is
the same as the expanded one's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

KEYWORDS_WITH_IRIS = frozenset({"@id", "@type"})
KEYWORDS_AS_THEY_ARE = frozenset({"@value", "@language", "@direction", "@index"})
# not "" (rdflib's default namespace) nor "_" (blank nodes)
PREFIX_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")


TERM_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Context:
    """A published context: ``prefixes``, ``terms`` (a short name for a property's or a class's IRI), and the
    ``url`` it is published at."""

    url: str
    prefixes: Mapping[str, str]
    terms: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def for_terms(cls, url: str, prefixes: Mapping[str, str], iris: Iterable[str]) -> Context:
        """A context with a term for each of ``iris`` whose local name is free: the prefixes' order decides
        which vocabulary's term gets a name two of them share (the other keeps its compact IRI)."""
        order = {namespace: rank for rank, namespace in enumerate(prefixes.values())}
        terms: dict[str, str] = {}
        ranked = sorted(
            (order[namespace], iri[len(namespace) :], iri)
            for iri in set(iris)
            for namespace in _longest_namespace(iri, prefixes)
        )
        for _, name, iri in ranked:
            if TERM_NAME.fullmatch(name) and name not in terms and name not in prefixes:
                terms[name] = iri
        return cls(url, dict(prefixes), dict(sorted(terms.items())))

    def extended(self, prefixes: Mapping[str, str], iris: Iterable[str]) -> Context:
        """This context with more ``prefixes`` and terms for ``iris`` (a graph's own vocabularies, say the
        catalog's DCAT), never changing what a name already stands for."""
        known = set(self.prefixes.values())
        more = {
            name: namespace
            for name, namespace in prefixes.items()
            if namespace not in known and name not in self.prefixes and name not in self.terms
        }
        wider = {**self.prefixes, **more}
        added = Context.for_terms(self.url, wider, set(iris) - set(self.terms.values()))
        terms = {**{n: i for n, i in added.terms.items() if n not in wider}, **self.terms}
        return Context(self.url, wider, dict(sorted(terms.items())))

    def document(self) -> str:
        """The context as the document published at ``url``."""
        return json.dumps({"@context": {**self.prefixes, **self.terms}}, ensure_ascii=False, indent=2) + "\n"

    def compact(self, expanded: str | bytes) -> str:
        """``expanded`` written with this context's terms and prefixes, with the part of it that it uses."""
        shortener = _Shortener(self.prefixes, {iri: name for name, iri in self.terms.items()})
        graph = _shortened(expanded, shortener)
        used = {name: self.prefixes[name] for name in sorted(shortener.used)}
        used.update({name: self.terms[name] for name in sorted(shortener.used_terms)})
        return json.dumps({"@context": used, "@graph": graph}, ensure_ascii=False, indent=2) + "\n"


def _longest_namespace(iri: str, prefixes: Mapping[str, str]) -> list[str]:
    found = [ns for ns in prefixes.values() if iri.startswith(ns) and ns.endswith(("/", "#"))]
    return [max(found, key=len)] if found else []


def compact(expanded: str | bytes, prefixes: Mapping[str, str]) -> str:
    """``expanded`` (an array of node objects, or an object with ``@graph``) with an ``@context`` of the
    ``prefixes`` it uses, and its IRIs written with them."""
    shortener = _Shortener(prefixes, {})
    graph = _shortened(expanded, shortener)
    context = {name: prefixes[name] for name in sorted(shortener.used)}
    return json.dumps({"@context": context, "@graph": graph}, ensure_ascii=False, indent=2) + "\n"


def _shortened(expanded: str | bytes, shortener: _Shortener) -> list[object]:
    document = json.loads(expanded)
    if isinstance(document, dict) and "@context" in document:
        raise ValueError("compact() takes expanded JSON-LD, without a context")
    nodes = document.get("@graph", [document]) if isinstance(document, dict) else document
    return [shortener.node(node) for node in _merged(nodes)]


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
    def __init__(self, prefixes: Mapping[str, str], terms: Mapping[str, str]) -> None:
        self.terms = terms  # IRI -> term, for keys and @type values (vocabulary-relative positions)
        self.used_terms: set[str] = set()
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
            if key == "@type":
                shortened[key] = self._iris(item, vocabulary=True)
            elif key in KEYWORDS_WITH_IRIS:
                shortened[key] = self._iris(item)
            elif key in KEYWORDS_AS_THEY_ARE:
                shortened[key] = item
            elif key.startswith("@"):  # @list, @set, @graph, @reverse: their members
                shortened[key] = self.node(item)
            else:
                shortened[self._term(key) or self.iri(key)] = self.node(item)
        return shortened

    def _iris(self, value: object, vocabulary: bool = False) -> object:
        if isinstance(value, list):
            return [self._iris(item, vocabulary) for item in value]
        if isinstance(value, str) and not value.startswith("_:"):
            return (vocabulary and self._term(value)) or self.iri(value)
        return value

    def _term(self, iri: str) -> str | None:
        term = self.terms.get(iri)
        if term is not None:
            self.used_terms.add(term)
        return term
