"""The things a reconciliation service matches against, read once per release from the store.

Every thing under ``{base}id/`` with a label (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``) and one
of the offered types becomes an :class:`Entity` with its names, types and the values of the offered
properties. Candidates for a query are found by the character trigrams they share with it, so only a few
dozen names are scored in full however large the release is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from publisher.reconcile.names import NameForm, forms
from publisher.reconcile.vocabulary import Type, Vocabulary
from publisher.vocab import RDF, RDFS, SKOS

__all__ = ["Entity", "Index", "Name", "read_index"]

Select = Callable[[str], list[dict[str, str]]]
LANGUAGES = ("de", "en", "")
PRESELECT = 400  # names ranked by all their trigrams per query
COMMON_TRIGRAM = 500  # at least this many names share a trigram before it counts as common
NAME_PREDICATES = (str(RDFS.label), str(SKOS.prefLabel), str(SKOS.altLabel))
_NAMES = """SELECT ?thing ?property ?value (LANG(?value) AS ?language) WHERE {
  VALUES ?property { PREDICATES } ?thing ?property ?value . FILTER(isIRI(?thing) && isLITERAL(?value)) }"""
_FACTS = """SELECT ?thing ?property ?value WHERE {
  VALUES ?property { PREDICATES } ?thing ?property ?value . FILTER(isIRI(?thing)) }"""


@dataclass(frozen=True)
class Name:
    text: str
    language: str
    alternative: bool
    forms: tuple[NameForm, ...]


@dataclass(eq=False)  # one object per thing: hashed and compared by identity
class Entity:
    iri: str
    id: str  # the IRI without ``{base}id/``: "initiative/biolago"
    labels: dict[str, str] = field(default_factory=dict)  # rdfs:label (or skos:prefLabel) by language
    names: list[Name] = field(default_factory=list)
    classes: set[str] = field(default_factory=set)
    values: dict[str, list[str]] = field(default_factory=dict)  # property id -> IRIs or literals
    types: list[Type] = field(default_factory=list)

    def label(self, language: str = "de") -> str:
        for wanted in (language, *LANGUAGES):
            if wanted in self.labels:
                return self.labels[wanted]
        return min(self.labels.values(), default=self.id)


class Index:
    """The entities of a release, found by id, by type and by names like a query."""

    def __init__(self, base: str, vocabulary: Vocabulary, entities: Iterable[Entity]) -> None:
        self.base = base
        self.vocabulary = vocabulary
        self.entities = [e for e in entities if e.names and e.types]
        self.by_iri = {e.iri: e for e in self.entities}
        self.members: dict[str, set[int]] = {t.id: set() for t in vocabulary.types}
        self._forms: list[tuple[int, NameForm]] = []
        self._grams: list[frozenset[str]] = []  # trigrams per form
        postings: dict[str, list[int]] = {}
        for number, entity in enumerate(self.entities):
            for t in entity.types:
                self.members[t.id].add(number)
            for form in dict.fromkeys(f for name in entity.names for f in name.forms):
                grams = _trigrams(form)
                for gram in grams:
                    postings.setdefault(gram, []).append(len(self._forms))
                self._forms.append((number, form))
                self._grams.append(frozenset(grams))
        self._postings = postings

    def entity(self, identifier: str) -> Entity | None:
        """The entity with this id ("initiative/biolago") or IRI."""
        found = self.by_iri.get(identifier)
        return found if found is not None else self.by_iri.get(f"{self.base}id/{identifier}")

    def allowed(self, type_ids: Iterable[str]) -> set[int] | None:
        """Numbers of the entities of any of these types; None for no types (everything)."""
        chosen = list(type_ids)
        if not chosen:
            return None
        return set().union(*(self.members[t] for t in chosen))

    def candidates(self, query: str, allowed: set[int] | None, count: int) -> list[Entity]:
        """The ``count`` entities whose names share the most trigrams with ``query`` (relative to length).

        The names sharing the most telling trigrams are taken first (``PRESELECT`` of them), then ranked by
        all their trigrams."""
        best: dict[int, float] = {}
        for query_form in forms(query):
            grams = _trigrams(query_form)
            shared: Counter[int] = Counter()
            for gram in self._telling(grams):
                shared.update(self._postings[gram])
            if allowed is not None:
                shared = Counter({f: n for f, n in shared.items() if self._forms[f][0] in allowed})
            for form_number, _ in shared.most_common(PRESELECT):
                entity_number = self._forms[form_number][0]
                theirs = self._grams[form_number]
                dice = 2 * len(grams & theirs) / (len(grams) + len(theirs))
                if dice > best.get(entity_number, 0.0):
                    best[entity_number] = dice
        ranked = sorted(best, key=lambda n: (-best[n], self.entities[n].id))[:count]
        return [self.entities[n] for n in ranked]

    def _telling(self, grams: set[str]) -> list[str]:
        """The query's trigrams worth counting: common ones ("syn" among thousands of "Synthetische ...")
        are left out when at least three rarer ones remain, since counting them costs most and tells least."""
        common = max(COMMON_TRIGRAM, len(self._forms) // 10)
        known = sorted((g for g in grams if g in self._postings), key=lambda g: len(self._postings[g]))
        rare = [g for g in known if len(self._postings[g]) <= common]
        return rare if len(rare) >= 3 else known

    def of_types(self, allowed: set[int] | None, count: int) -> list[Entity]:
        """Up to ``count`` entities of the allowed ones, by id (for queries by properties only)."""
        numbers = range(len(self.entities)) if allowed is None else sorted(allowed)
        return sorted((self.entities[n] for n in numbers), key=lambda e: e.id)[:count]


def _trigrams(form: NameForm) -> set[str]:
    grams: set[str] = set()
    for text in (f"  {form.key} ", f"  {form.compact} "):
        grams.update(text[i : i + 3] for i in range(len(text) - 2))
    return grams


def read_index(base: str, select: Select) -> Index:
    """Read the entities of a store (through its ``select``) into an index."""
    vocabulary = Vocabulary(base)
    things = f"{base}id/"
    entities: dict[str, Entity] = {}

    def entity(iri: str) -> Entity | None:
        if not iri.startswith(things) or iri.count("/", len(things)) != 1:
            return None
        if iri not in entities:
            entities[iri] = Entity(iri, iri[len(things) :])
        return entities[iri]

    rows = select(_NAMES.replace("PREDICATES", " ".join(f"<{p}>" for p in NAME_PREDICATES)))
    for row in sorted(rows, key=lambda r: (r["thing"], r["property"], r.get("language", ""), r["value"])):
        found = entity(row["thing"])
        if found is None:
            continue
        language, alternative = row.get("language", ""), row["property"] == str(SKOS.altLabel)
        if not alternative:
            found.labels.setdefault(language, row["value"])
        name = Name(row["value"], language, alternative, forms(row["value"]))
        if name.forms and name not in found.names:
            found.names.append(name)
    predicates = {p.predicate: p.id for p in vocabulary.properties if p.kind != "type"}
    facts = " ".join(f"<{p}>" for p in [str(RDF.type), *predicates])
    for row in sorted(select(_FACTS.replace("PREDICATES", facts)), key=lambda r: tuple(r.values())):
        found = entities.get(row["thing"])
        if found is None:
            continue
        if row["property"] == str(RDF.type):
            found.classes.add(row["value"])
        else:
            found.values.setdefault(predicates[row["property"]], []).append(row["value"])
    for found in entities.values():
        found.types = vocabulary.types_of(found.classes)
    return Index(base, vocabulary, entities.values())
