"""The things a reconciliation service matches against, read once per release from the store.

Every thing under ``{base}id/`` with a label (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``) and one
of the offered types becomes an :class:`Entity` with its names, types and the values of the offered
properties. Candidates for a query are found by the character trigrams they share with it, so only a few
dozen names are scored in full however large the release is.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence, Set
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


@dataclass(frozen=True, slots=True)
class Name:
    text: str
    language: str
    alternative: bool
    forms: tuple[NameForm, ...]


@dataclass(eq=False, slots=True)  # one object per thing: hashed and compared by identity
class Entity:
    iri: str
    id: str  # the IRI without ``{base}id/``: "initiative/biolago"
    labels: dict[str, str] = field(default_factory=dict)  # rdfs:label (or skos:prefLabel) by language
    names: list[Name] = field(default_factory=list)
    classes: Set[str] = frozenset()  # read_index shares one set among the things of the same classes
    values: dict[str, Sequence[str]] = field(default_factory=dict)  # property id -> IRIs or literals
    types: Sequence[Type] = ()

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
        # Every distinct trigram is numbered once; the forms of all names (each entity's distinct ones) are
        # numbered in turn, and each keeps only its entity's number and the numbers of its trigrams, in
        # compact arrays: a set of strings per form took most of the memory of a large release.
        self._gram_numbers: dict[str, int] = {}
        self._postings: list[array[int]] = []  # by trigram number: the numbers of the forms that have it
        self._form_entity = array("I")  # by form number: the number of its entity
        self._form_grams = array("I")  # the trigram numbers of every form, one form after the other
        self._form_starts = array("I", [0])  # where each form's trigram numbers begin (and the last ends)
        for number, entity in enumerate(self.entities):
            for t in entity.types:
                self.members[t.id].add(number)
            for form in dict.fromkeys(f for name in entity.names for f in name.forms):
                self._add_form(number, form)

    def _add_form(self, entity_number: int, form: NameForm) -> None:
        form_number = len(self._form_entity)
        for gram in _trigrams(form):
            gram_number = self._gram_numbers.setdefault(gram, len(self._gram_numbers))
            if gram_number == len(self._postings):
                self._postings.append(array("I"))
            self._postings[gram_number].append(form_number)
            self._form_grams.append(gram_number)
        self._form_entity.append(entity_number)
        self._form_starts.append(len(self._form_grams))

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
            known = {self._gram_numbers[g] for g in grams if g in self._gram_numbers}
            shared: Counter[int] = Counter()
            for gram in self._telling(grams):
                shared.update(self._postings[self._gram_numbers[gram]])
            if allowed is not None:
                shared = Counter({f: n for f, n in shared.items() if self._form_entity[f] in allowed})
            for form_number, _ in shared.most_common(PRESELECT):
                entity_number = self._form_entity[form_number]
                theirs = self._form_grams[self._form_starts[form_number] : self._form_starts[form_number + 1]]
                dice = 2 * len(known.intersection(theirs)) / (len(grams) + len(theirs))
                if dice > best.get(entity_number, 0.0):
                    best[entity_number] = dice
        ranked = sorted(best, key=lambda n: (-best[n], self.entities[n].id))[:count]
        return [self.entities[n] for n in ranked]

    def _telling(self, grams: set[str]) -> list[str]:
        """The query's trigrams worth counting: common ones ("syn" among thousands of "Synthetische ...")
        are left out when at least three rarer ones remain, since counting them costs most and tells least."""
        common = max(COMMON_TRIGRAM, len(self._form_entity) // 10)
        names = self._gram_numbers
        known = sorted((g for g in grams if g in names), key=lambda g: len(self._postings[names[g]]))
        rare = [g for g in known if len(self._postings[names[g]]) <= common]
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
    """Read the entities of a store (through its ``select``) into an index.

    Each answer is read in a function of its own, so the rows of the names are gone before the facts are
    asked for: the rows of a large release take more memory than the index made of them."""
    vocabulary = Vocabulary(base)
    shared: dict[str, str] = {}  # one object for each repeated string: languages, IRIs of places, fields
    entities = _read_names(base, select, shared)
    classes, values = _read_facts(vocabulary, select, entities, shared)
    kinds: dict[frozenset[str], tuple[frozenset[str], tuple[Type, ...]]] = {}
    predicates = {p.predicate: p.id for p in vocabulary.properties if p.kind != "type"}
    for iri, found in entities.items():
        own = classes.get(iri, set())
        key = frozenset(own)
        if key not in kinds:  # things of the same classes share one set of them and one tuple of types
            kinds[key] = (key, tuple(vocabulary.types_of(own)))
        found.classes, found.types = kinds[key]
        found.values = {predicates[p]: tuple(sorted(v)) for p, v in sorted(values.get(iri, {}).items())}
    return Index(base, vocabulary, entities.values())


def _read_names(base: str, select: Select, shared: dict[str, str]) -> dict[str, Entity]:
    """The things with names, by IRI, each with its labels and names."""
    things = f"{base}id/"
    entities: dict[str, Entity] = {}
    rows = select(_NAMES.replace("PREDICATES", " ".join(f"<{p}>" for p in NAME_PREDICATES)))
    for row in sorted(rows, key=lambda r: (r["thing"], r["property"], r.get("language", ""), r["value"])):
        iri = row["thing"]
        found = entities.get(iri)
        if found is None:
            if not iri.startswith(things) or iri.count("/", len(things)) != 1:
                continue
            found = entities[iri] = Entity(iri, iri[len(things) :])
        language = shared.setdefault(row.get("language", ""), row.get("language", ""))
        alternative = row["property"] == str(SKOS.altLabel)
        if not alternative:
            found.labels.setdefault(language, row["value"])
        name = Name(row["value"], language, alternative, forms(row["value"]))
        if name.forms and name not in found.names:
            found.names.append(name)
    return entities


def _read_facts(
    vocabulary: Vocabulary, select: Select, entities: dict[str, Entity], shared: dict[str, str]
) -> tuple[dict[str, set[str]], dict[str, dict[str, list[str]]]]:
    """The classes of the things, and their values by predicate (in the order of the answer)."""
    predicates = [p.predicate for p in vocabulary.properties if p.kind != "type"]
    facts = " ".join(f"<{p}>" for p in [str(RDF.type), *predicates])
    classes: dict[str, set[str]] = {}
    values: dict[str, dict[str, list[str]]] = {}
    for row in select(_FACTS.replace("PREDICATES", facts)):
        thing = row["thing"]
        if thing not in entities:
            continue
        value = shared.setdefault(row["value"], row["value"])
        if row["property"] == str(RDF.type):
            classes.setdefault(thing, set()).add(value)
        else:
            values.setdefault(thing, {}).setdefault(row["property"], []).append(value)
    return classes, values
