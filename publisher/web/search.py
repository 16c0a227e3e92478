"""Search: ``{base}search?q=`` finds things by their labels and alternative names, as HTML or JSON.

An index is built once per release (and base) from the store: every thing under ``{base}id/`` with each of
its ``rdfs:label`` and ``skos:altLabel`` values. Names and queries are normalised alike (NFKD, combining
marks dropped, case folded, "ß" as "ss"), so "Wurttemberg" finds "Württemberg"; umlauts are also indexed
spelt out ("Wuerttemberg"). A name matches when every word of the query is the beginning of one of its
words. Exact names come first, then names that begin with the query, then the rest.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import Flask, current_app, render_template, request
from werkzeug.exceptions import BadRequest, NotAcceptable
from werkzeug.wrappers import Response

from publisher.release import Release
from publisher.settings import Settings
from publisher.text import UMLAUTS, normalise
from publisher.web.kept import kept
from publisher.web.params import whole_number
from publisher.web.release import current_or_503, prefix_of, store_of

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
NAMES = f"""
SELECT ?thing ?property ?value (LANG(?value) AS ?language) WHERE {{
  VALUES ?property {{ <{RDFS_LABEL}> <{SKOS_ALT_LABEL}> }}
  ?thing ?property ?value .
  FILTER(isIRI(?thing) && isLITERAL(?value))
}}
"""
HTML = "text/html"
JSON = "application/json"
LANGUAGES = ("de", "en")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_QUERY_CHARS = 500
EXACT, PREFIX, OTHER = 0, 1, 2
TYPE_ORDER = ("initiative", "organisation", "event", "field", "place", "person", "post", "scheme", "document")
_WORD = re.compile(r"\w+")
TYPE_NAMES = {
    "de": {
        "initiative": "Initiative", "organisation": "Organisation", "event": "Veranstaltung",
        "place": "Ort", "field": "Politik- oder Technologiefeld", "person": "Person", "post": "Funktion",
        "document": "Quelle", "observation": "Angabe", "scheme": "Begriffsschema",
    },
    "en": {
        "initiative": "Initiative", "organisation": "Organisation", "event": "Event", "place": "Place",
        "field": "Policy or technology field", "person": "Person", "post": "Post", "document": "Source",
        "observation": "Figure", "scheme": "Concept scheme",
    },
}  # fmt: skip
TEXT = {
    "de": {"title": "Suche", "label": "Name oder Teil eines Namens", "submit": "Suchen",
           "none": "Keine Treffer für", "results": "Treffer für", "also": "auch", "json": "Als JSON",
           "hint": "Sucht in den Namen und anderen Bezeichnungen von Initiativen, Organisationen, "
                   "Veranstaltungen, Orten, Feldern und Quellen. Wortanfänge genügen, Akzente und "
                   "Groß-/Kleinschreibung zählen nicht.",
           "other_language": "English"},
    "en": {"title": "Search", "label": "Name or part of a name", "submit": "Search",
           "none": "Nothing found for", "results": "Results for", "also": "also", "json": "As JSON",
           "hint": "Searches the names and other labels of initiatives, organisations, events, places, "
                   "fields and sources. Beginnings of words are enough; accents and case do not matter.",
           "other_language": "Deutsch"},
}  # fmt: skip


def words(text: str) -> list[str]:
    """The normalised words of ``text``."""
    return _WORD.findall(normalise(text))


@dataclass(frozen=True)
class Name:
    """One label or alternative name of a thing, with the forms it is found by."""

    thing: int
    text: str
    language: str
    alternative: bool
    phrases: tuple[str, ...]  # the normalised words joined by single spaces, plain and umlauts spelt out
    words: frozenset[str]


@dataclass
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
        by_iri: dict[str, int] = {}
        postings: dict[str, set[int]] = {}
        seen: set[tuple[str, str, str, bool]] = set()
        for row in sorted(rows, key=lambda r: (r["thing"], r["property"], r.get("language", ""), r["value"])):
            iri, text, language = row["thing"], row["value"], row.get("language", "")
            alternative = row["property"] == SKOS_ALT_LABEL
            parts = _type_and_key(base, iri)
            if parts is None or (iri, text, language, alternative) in seen:
                continue
            seen.add((iri, text, language, alternative))
            if iri not in by_iri:
                by_iri[iri] = len(self.things)
                self.things.append(Thing(iri, *parts))
            thing = self.things[by_iri[iri]]
            if not alternative:
                thing.labels.setdefault(language, text)
            name = _name(by_iri[iri], text, language, alternative)
            if not name.words:
                continue
            for word in name.words:
                postings.setdefault(word, set()).add(len(self.names))
            self.names.append(name)
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
            found |= self._postings[position]
            position += 1
        return found


def _name(thing: int, text: str, language: str, alternative: bool) -> Name:
    plain = words(text)
    spelt = words(text.translate(UMLAUTS))
    joined = {  # "Müller-Lüdenscheid" is also found as "mullerludenscheid" and "muellerluedenscheid"
        "".join(_WORD.findall(normalise(token)))
        for variant in (text, text.translate(UMLAUTS))
        for token in variant.split()
    }
    everything = set(plain) | set(spelt) | (joined - {""})
    phrases = tuple(dict.fromkeys([" ".join(plain), " ".join(spelt)]))
    return Name(thing, text, language, alternative, phrases, frozenset(everything))


def _rank(name: Name, phrase: str) -> int:
    if phrase in name.phrases:
        return EXACT
    if any(p.startswith(phrase) for p in name.phrases):
        return PREFIX
    return OTHER


def _priority(thing: Thing) -> int:
    """Among equally good names: the things people look for before sources and figures."""
    return TYPE_ORDER.index(thing.type_word) if thing.type_word in TYPE_ORDER else len(TYPE_ORDER)


def _type_and_key(base: str, iri: str) -> tuple[str, str] | None:
    """``(type, key)`` of ``{base}id/{type}/{key}``; None for anything else."""
    things = f"{base}id/"
    if not iri.startswith(things):
        return None
    parts = iri[len(things) :].split("/")
    if len(parts) != 2 or not all(parts):
        return None
    return parts[0], parts[1]


def index_of(release: Release, base: str) -> Index:
    """The release's index, built on first use and kept while the release is current."""
    return kept("search", release, lambda: Index(base, store_of(release).select(NAMES)), scope=base)


def init_app(app: Flask, settings: Settings) -> None:
    app.add_url_rule(f"{prefix_of(settings)}/search", "search", search)


def search() -> Response:
    settings: Settings = current_app.config["SETTINGS"]
    query = request.args.get("q", "").strip()
    if len(query) > MAX_QUERY_CHARS:
        raise BadRequest(f"q= is longer than {MAX_QUERY_CHARS} characters.")
    limit = _limit()
    media_type = _negotiate()
    language = _language()
    release = current_or_503()
    key = json.dumps([release.id, query, limit, media_type, language])
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    if etag in request.if_none_match:
        return _cached(Response(status=304), etag)
    hits = index_of(release, settings.base).search(query, limit) if query else []
    prefix = prefix_of(settings)
    results = [_result(hit, settings.base, prefix, language) for hit in hits]
    if media_type == JSON:
        payload = {
            "query": query,
            "results": [{k: r[k] for k in ("iri", "label", "type", "document")} for r in results],
        }
        body = json.dumps(payload, ensure_ascii=False) + "\n"
        return _cached(Response(body, content_type="application/json; charset=utf-8"), etag)
    html = render_template(
        "search.html",
        lang=language,
        text=TEXT[language],
        query=query,
        results=results,
        limit=limit,
        explicit_language=request.args.get("lang") in LANGUAGES,
        other_language="en" if language == "de" else "de",
    )
    return _cached(Response(html, content_type="text/html; charset=utf-8"), etag)


def _result(hit: Hit, base: str, prefix: str, language: str) -> dict[str, str]:
    """One result: what JSON answers (iri, label, type, document) and what the page shows besides."""
    thing = hit.thing
    label = thing.label(language)
    return {
        "iri": thing.iri,
        "label": label,
        "label_language": next((k for k, v in thing.labels.items() if v == label), ""),
        "type": thing.type_word,
        "type_name": TYPE_NAMES[language].get(thing.type_word, thing.type_word),
        "document": f"{base}doc/{thing.type_word}/{thing.key}",
        "href": f"{prefix}/doc/{thing.type_word}/{thing.key}",
        "matched": "" if hit.name.text == label else hit.name.text,
        "matched_language": hit.name.language,
    }


def _limit() -> int:
    return whole_number("limit", DEFAULT_LIMIT, maximum=MAX_LIMIT, clamp=True)


def _negotiate() -> str:
    asked = request.args.get("format", "")
    if asked:
        chosen = {"json": JSON, "html": HTML}.get(asked.lower())
        if chosen is None:
            raise NotAcceptable(f"format={asked} is not offered; use html or json.")
        return chosen
    if not request.accept_mimetypes:
        return HTML
    best = request.accept_mimetypes.best_match([HTML, JSON])
    if best is None:
        raise NotAcceptable("Search results are offered as HTML and JSON.")
    return best


def _language() -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES) or "de"


def _cached(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Vary"] = "Accept, Accept-Language"
    return response
