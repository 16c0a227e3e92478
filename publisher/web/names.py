"""The names index that search and reconciliation find things by.

An index is built once per release (and base) from the store: every thing under ``{base}id/`` with each of
its ``rdfs:label`` and ``skos:altLabel`` values. Names and queries are normalised alike (NFKD, combining
marks dropped, case folded, "ß" as "ss"), so "Wurttemberg" finds "Württemberg"; umlauts are also indexed
spelt out ("Wuerttemberg"). A name matches when every word of the query is the beginning of one of its
words. Exact names come first, then names that begin with the query, then the rest.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from publisher.releases import Release
from publisher.store.queries import Queries
from publisher.text import UMLAUTS, normalise
from publisher.uris import UriScheme
from publisher.vocab import SKOS
from publisher.web.kept import kept
from publisher.web.release import store_of

LANGUAGES = ("de", "en")
MAX_LIMIT = 100
EXACT, PREFIX, OTHER = 0, 1, 2
TYPE_ORDER = ("initiative", "organisation", "event", "field", "place", "person", "post", "scheme", "document")
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The normalised words of ``text``."""
    return _WORD.findall(normalise(text))


@dataclass(frozen=True, slots=True)
class Name:
    """One label or alternative name of a thing, with the phrases it is ranked by."""

    thing: int
    text: str
    language: str
    alternative: bool
    phrases: tuple[str, ...]  # the normalised words joined by single spaces, plain and umlauts spelt out


@dataclass(slots=True)
class Thing:
    iri: str
    type_word: str
    key: str
    labels: dict[str, str] = field(default_factory=dict)  # rdfs:label by language ("" for none)

    def label(self, language: str) -> str:
        for wanted in (language, *LANGUAGES, ""):
            if wanted in self.labels:
                return self.labels[wanted]
        return min(self.labels.values(), default=self.key)


@dataclass(frozen=True)
class Hit:
    thing: Thing
    name: Name
    rank: int


class Index:
    """Every name of every thing under a base, searchable by word beginnings."""

    def __init__(self, base: str, rows: Iterable[dict[str, str]]) -> None:
        self.things: list[Thing] = []
        self.names: list[Name] = []
        scheme = UriScheme(base)
        by_iri: dict[str, int] = {}
        postings: dict[str, array[int]] = {}  # word -> numbers of the names with it, ascending
        shared: dict[str, str] = {}  # one object for each repeated string: languages, type words
        seen: set[tuple[str, str, str, bool]] = set()
        for row in sorted(rows, key=lambda r: (r["thing"], r["property"], r.get("language", ""), r["value"])):
            iri, text, language = row["thing"], row["value"], row.get("language", "")
            alternative = row["property"] == str(SKOS.altLabel)
            parts = scheme.key_of(iri)
            if parts is None or (iri, text, language, alternative) in seen:
                continue
            seen.add((iri, text, language, alternative))
            language = shared.setdefault(language, language)
            if iri not in by_iri:
                by_iri[iri] = len(self.things)
                self.things.append(Thing(iri, shared.setdefault(parts[0], parts[0]), parts[1]))
            thing = self.things[by_iri[iri]]
            if not alternative:
                thing.labels.setdefault(language, text)
            phrases, found = _phrases_and_words(text)
            if not found:
                continue
            for word in found:
                postings.setdefault(word, array("I")).append(len(self.names))
            self.names.append(Name(by_iri[iri], text, language, alternative, phrases))
        self._words = sorted(postings)
        self._postings = [postings[w] for w in self._words]

    def search(self, query: str, limit: int) -> list[Hit]:
        """The best ``limit`` things whose names match every word of ``query``, best first."""
        query_words = list(dict.fromkeys(words(query)))
        if not query_words:
            return []
        matching: set[int] | None = None
        for word in sorted(query_words, key=len, reverse=True):  # longest first: the smallest sets
            found = self._starting_with(word)
            matching = found if matching is None else matching & found
            if not matching:
                return []
        phrase = " ".join(words(query))
        best: dict[int, tuple[tuple[int, int, bool, int, str], Name]] = {}
        for index in matching or ():
            name = self.names[index]
            rank = _rank(name, phrase)
            key = (
                rank,
                _priority(self.things[name.thing]),
                name.alternative,
                len(name.text),
                name.text.casefold(),
            )
            if name.thing not in best or key < best[name.thing][0]:
                best[name.thing] = (key, name)
        ordered = sorted(best.items(), key=lambda item: (item[1][0], self.things[item[0]].iri))
        return [Hit(self.things[t], name, key[0]) for t, (key, name) in ordered[:limit]]

    def _starting_with(self, prefix: str) -> set[int]:
        found: set[int] = set()
        position = bisect_left(self._words, prefix)
        while position < len(self._words) and self._words[position].startswith(prefix):
            found |= set(self._postings[position])  # a set made by adding them in order, as before
            position += 1
        return found


def _phrases_and_words(text: str) -> tuple[tuple[str, ...], set[str]]:
    """The phrases a name is ranked by and the words it is found by (kept only while the index is built)."""
    plain = words(text)
    spelt = words(text.translate(UMLAUTS))
    joined = {  # "Müller-Lüdenscheid" is also found as "mullerludenscheid" and "muellerluedenscheid"
        "".join(_WORD.findall(normalise(token)))
        for variant in (text, text.translate(UMLAUTS))
        for token in variant.split()
    }
    phrases = tuple(dict.fromkeys([" ".join(plain), " ".join(spelt)]))
    return phrases, set(plain) | set(spelt) | (joined - {""})


def _rank(name: Name, phrase: str) -> int:
    if phrase in name.phrases:
        return EXACT
    if any(p.startswith(phrase) for p in name.phrases):
        return PREFIX
    return OTHER


def _priority(thing: Thing) -> int:
    """Among equally good names: the things people look for before sources and figures."""
    return TYPE_ORDER.index(thing.type_word) if thing.type_word in TYPE_ORDER else len(TYPE_ORDER)


def index_of(release: Release, base: str) -> Index:
    """The release's index, built on first use and kept while the release is current."""
    return kept(
        "search", release, lambda: Index(base, store_of(release).select(Queries.of(base).names)), scope=base
    )
