"""Reconciliation queries: read a batch, find and score candidates, decide which one is a match.

A score (0-100) is mostly the similarity of the names (``names.similarity``); every property constraint of
the query weighs a quarter as much: a value that fits raises the score, one that does not lowers it, and a
thing without a value for the property is neither raised nor lowered much. ``match`` is true only for a top
candidate that is both good and clearly ahead of the next one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from publisher.reconcile.index import Entity, Index, Name
from publisher.reconcile.names import forms, ratio, similarity, text_similarity
from publisher.reconcile.vocabulary import Property, Vocabulary

__all__ = ["Candidate", "Query", "QueryError", "Scorer", "parse_batch", "reconcile"]

DEFAULT_LIMIT = 5
MAX_LIMIT = 25
CANDIDATES = 40  # names scored in full per query
PROPERTY_WEIGHT = 0.25
UNKNOWN = 0.5  # a thing without a value for a constrained property
MATCH_EXACT = 95.0  # an exact name (case and accents aside) that alone is exact matches from this score
MATCH_SCORE = 85.0  # otherwise the top candidate matches from this score ...
MATCH_LEAD = 10.0  # ... when it leads the next one by this much


class QueryError(ValueError):
    """A batch that cannot be answered; ``problems`` lists every fault found, each naming its query."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Constraint:
    property: Property
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Query:
    text: str
    types: tuple[str, ...] = ()
    limit: int = DEFAULT_LIMIT
    constraints: tuple[Constraint, ...] = ()


@dataclass
class Candidate:
    entity: Entity
    name: str
    score: float
    exact: bool
    features: list[dict[str, Any]] = field(default_factory=list)
    match: bool = False


def parse_batch(raw: object, vocabulary: Vocabulary, max_queries: int) -> dict[str, Query]:
    """The queries of a batch (``{"q0": {"query": ..., "type": ..., "properties": [...]}, ...}``)."""
    if not isinstance(raw, dict):
        raise QueryError(['a query batch is a JSON object of queries by key, such as {"q0": {...}}'])
    if len(raw) > max_queries:
        raise QueryError([f"a batch holds at most {max_queries} queries, this one {len(raw)}"])
    problems: list[str] = []
    queries: dict[str, Query] = {}
    for key, body in raw.items():
        found = _parse_query(key, body, vocabulary, problems)
        if found is not None:
            queries[key] = found
    if problems:
        raise QueryError(problems)
    return queries


def _parse_query(key: str, body: object, vocabulary: Vocabulary, problems: list[str]) -> Query | None:
    if not isinstance(body, dict):
        problems.append(f"{key}: a query is a JSON object")
        return None
    before = len(problems)
    text = body.get("query", "")
    if not isinstance(text, str):
        problems.append(f"{key}: query is a string")
        text = ""
    types = body.get("type", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        problems.append(f"{key}: type is a type id or a list of them")
        types = []
    problems += [f"{key}: unknown type {t!r} (see the manifest or suggest/type)"
                 for t in types if t not in vocabulary.type_by_id]  # fmt: skip
    limit = body.get("limit", DEFAULT_LIMIT)
    if not _whole(limit) or limit < 1:
        problems.append(f"{key}: limit is a positive whole number")
        limit = DEFAULT_LIMIT
    constraints = _constraints(key, body.get("properties", []), vocabulary, problems)
    if not text.strip() and not constraints:
        problems.append(f"{key}: give a query string or properties")
    if len(problems) > before:
        return None
    return Query(text.strip(), tuple(types), min(int(limit), MAX_LIMIT), tuple(constraints))


def _whole(value: object) -> TypeGuard[int | float]:
    """A JSON whole number (``2``, ``2.0``); not ``true``, ``NaN`` or ``Infinity`` (which Python reads)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _constraints(key: str, raw: object, vocabulary: Vocabulary, problems: list[str]) -> list[Constraint]:
    if not isinstance(raw, list):
        problems.append(f'{key}: properties is a list of {{"pid": ..., "v": ...}}')
        return []
    found: list[Constraint] = []
    for item in raw:
        if not isinstance(item, dict) or "pid" not in item or "v" not in item:
            problems.append(f"{key}: each property is an object with pid and v")
            continue
        prop = vocabulary.property_by_id.get(str(item["pid"]))
        if prop is None:
            problems.append(f"{key}: unknown property {item['pid']!r} (see suggest/property)")
            continue
        values = item["v"] if isinstance(item["v"], list) else [item["v"]]
        usable = tuple(v for v in values if v not in ("", None))
        if usable:
            found.append(Constraint(prop, usable))
    return found


def reconcile(index: Index, query: Query) -> list[Candidate]:
    """The best candidates for one query, best first; the first has ``match`` set when it is decisive."""
    allowed = index.allowed(query.types)
    scorer = Scorer(index)
    if query.text:
        pool = index.candidates(query.text, allowed, CANDIDATES)
        named = index.entity(query.text)  # an id or IRI given as the query
        if named is not None and named not in pool and (allowed is None or _in(named, query.types)):
            pool.append(named)
    else:
        pool = index.of_types(allowed, len(index.entities))
    scored = [scorer.score(query, entity) for entity in pool]
    scored.sort(key=lambda c: (-c.score, not c.exact, c.entity.id))
    results = scored[: query.limit]
    if results:
        results[0].match = _decisive(results[0], scored[1] if len(scored) > 1 else None)
    return results


def _in(entity: Entity, types: Iterable[str]) -> bool:
    return any(t.id in types for t in entity.types)


def _decisive(top: Candidate, second: Candidate | None) -> bool:
    if top.exact and top.score >= MATCH_EXACT and (second is None or not second.exact):
        return True
    return top.score >= MATCH_SCORE and (second is None or top.score - second.score >= MATCH_LEAD)


class Scorer:
    """Scores candidates of one query, remembering how well each value given fits each value found."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._fits: dict[tuple[str, str, str], float] = {}

    def score(self, query: Query, entity: Entity) -> Candidate:
        name, name_score, exact = self.name_score(query.text, entity) if query.text else (None, 0.0, False)
        features: list[dict[str, Any]] = []
        weights, total = 0.0, 0.0
        if query.text:
            features.append({"id": "name", "value": round(100 * name_score, 1)})
            weights, total = 1.0, name_score
        for constraint in query.constraints:
            fit = self.fit(constraint, entity)
            features.append({"id": constraint.property.id, "value": round(100 * fit, 1)})
            weights += PROPERTY_WEIGHT
            total += PROPERTY_WEIGHT * fit
        shown = name.text if name is not None and not name.alternative else entity.label()
        if name is not None and not name.alternative:
            shown = entity.labels.get(name.language, shown)
        return Candidate(entity, shown, round(100 * total / weights, 1), exact, features)

    def name_score(self, text: str, entity: Entity) -> tuple[Name | None, float, bool]:
        """The name of ``entity`` most like ``text``, how alike (0-1) and whether equal but for case,
        accents and punctuation. The entity's own id or IRI is an exact name."""
        if text in (entity.id, entity.iri):
            return None, 1.0, True
        best_name: Name | None = None
        best = (0.0, False, False)  # how alike, exact, a label rather than an alternative name
        for query_form in forms(text):
            for name in entity.names:
                for form in name.forms:
                    exact = query_form.full == form.full
                    found = (1.0 if exact else similarity(query_form, form), exact, not name.alternative)
                    if best_name is None or found > best:
                        best_name, best = name, found
        return best_name, best[0], best[1]

    def fit(self, constraint: Constraint, entity: Entity) -> float:
        """How well the entity's values of the property fit the values given, 0-1 (0.5: it has none)."""
        prop = constraint.property
        found = [t.id for t in entity.types] if prop.kind == "type" else entity.values.get(prop.id, [])
        if not found:
            return UNKNOWN
        return max(self._fit(prop, given, value) for given in constraint.values for value in found)

    def _fit(self, prop: Property, given: Any, value: str) -> float:
        if isinstance(given, dict):
            identifier = str(given.get("id", ""))
            if identifier and self._same_thing(identifier, value):
                return 1.0
            given = given.get("name", "")
        text = str(given).strip()
        if not text:
            return 0.0
        memo = (prop.id, text, value)
        if memo not in self._fits:
            self._fits[memo] = self._fit_text(prop, text, value)
        return self._fits[memo]

    def _fit_text(self, prop: Property, text: str, value: str) -> float:
        if self._same_thing(text, value):
            return 1.0
        if prop.kind == "url":
            return 1.0 if _plain_url(text) == _plain_url(value) else 0.0
        if prop.kind == "text":
            return 1.0 if value.startswith(text) or text.startswith(value) else ratio(text, value) / 2
        names: list[str]
        if prop.kind == "type":
            kind = self.index.vocabulary.type_by_id.get(value)
            names = [kind.name, kind.description] if kind else []
        else:
            thing = self.index.by_iri.get(value)
            names = [name.text for name in thing.names] if thing else []
        return max((text_similarity(text, name) for name in names), default=0.0)

    def _same_thing(self, identifier: str, value: str) -> bool:
        if identifier == value:
            return True
        thing = self.index.entity(identifier)
        return thing is not None and thing.iri == value


def _plain_url(url: str) -> str:
    """A homepage without scheme, "www.", trailing slash and case: http://www.x.de/ and https://x.de meet."""
    plain = url.strip().casefold().split("://", 1)[-1].removeprefix("www.")
    return plain.rstrip("/")
