"""Search at ``{base}search?q=``: things by their names (publisher.web.names), as a page or as JSON."""

from __future__ import annotations

import json

from flask import Blueprint, render_template, request
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from publisher.formats import HTML, JSON
from publisher.web import current, respond
from publisher.web.names import MAX_LIMIT, Hit, index_of
from publisher.web.params import whole_number
from publisher.web.urls import Urls

SEARCH_FORMATS = (HTML, JSON)
DEFAULT_LIMIT = 20
MAX_QUERY_CHARS = 500
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


bp = Blueprint("search", __name__)


@bp.get("/search")
def search() -> Response:
    query = request.args.get("q", "").strip()
    if len(query) > MAX_QUERY_CHARS:
        raise BadRequest(f"q= is longer than {MAX_QUERY_CHARS} characters.")
    limit = _limit()
    fmt = respond.choose(SEARCH_FORMATS)
    language = respond.language()
    release, urls = current.release(), current.urls()
    etag = respond.etag_of(release.id, query, limit, fmt.name, language)
    if respond.not_modified(etag):
        return respond.respond(b"", fmt, etag=etag, release_dated=False)
    hits = index_of(release, urls.base).search(query, limit) if query else []
    results = [_result(hit, urls, language) for hit in hits]
    if fmt is JSON:
        payload = {
            "query": query,
            "results": [{k: r[k] for k in ("iri", "label", "type", "document")} for r in results],
        }
        body = json.dumps(payload, ensure_ascii=False) + "\n"
    else:
        body = render_template(
            "search.html",
            lang=language,
            text=TEXT[language],
            query=query,
            results=results,
            limit=limit,
            explicit_language=request.args.get("lang") in respond.LANGUAGES,
            other_language="en" if language == "de" else "de",
        )
    return respond.respond(body, fmt, etag=etag, release_dated=False)


def _result(hit: Hit, urls: Urls, language: str) -> dict[str, str]:
    """One result: what JSON answers (iri, label, type, document) and what the page shows besides."""
    thing = hit.thing
    label = thing.label(language)
    return {
        "iri": thing.iri,
        "label": label,
        "label_language": next((k for k, v in thing.labels.items() if v == label), ""),
        "type": thing.type_word,
        "type_name": TYPE_NAMES[language].get(thing.type_word, thing.type_word),
        "document": urls.document_iri(thing.type_word, thing.key),
        "href": urls.document(thing.type_word, thing.key),
        "matched": "" if hit.name.text == label else hit.name.text,
        "matched_language": hit.name.language,
    }


def _limit() -> int:
    return whole_number("limit", DEFAULT_LIMIT, maximum=MAX_LIMIT, clamp=True)
