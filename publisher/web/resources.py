"""Dereferenceable URIs: ``{base}id/{type}/{key}`` answers 303 to ``{base}doc/{type}/{key}``, which answers
by content negotiation (HTML, Turtle, JSON-LD, RDF/XML, N-Triples), by suffix or by ``?format=``."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from flask import Blueprint, current_app, redirect, request
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from publisher.formats import HTML, JSONLD, Format
from publisher.releases import Release
from publisher.store import DocumentFacts
from publisher.store.describe import page_url
from publisher.tables import SLUG_PATTERN, TABLES
from publisher.vocab import prefixes_for
from publisher.web import current, respond
from publisher.web.context import context_of
from publisher.web.fields import field_tree
from publisher.web.gone import gone_response
from publisher.web.pages import render_resource
from publisher.web.params import MAX_PAGE, whole_number
from publisher.web.publication import publication_for
from publisher.web.timegate import timegate

TYPE_WORDS = frozenset([t.type_word for t in TABLES] + ["scheme"])
_KEY = re.compile(SLUG_PATTERN)
DOCUMENTS = "clusterlod.documents"

bp = Blueprint("resources", __name__)


@bp.record_once
def _setup(state: object) -> None:
    app = state.app  # type: ignore[attr-defined]
    app.extensions[DOCUMENTS] = DocumentCache(app.config["SETTINGS"].document_cache)


def _check(type_word: str, key: str) -> None:
    if type_word not in TYPE_WORDS or not _KEY.fullmatch(key):
        raise NotFound(f"There is no {type_word!r} called {key!r} here.")


@bp.get("/id/<type_word>/<key>")
@timegate("id")
def thing(type_word: str, key: str) -> Response:
    """303 See Other from the thing to the document about it, in the format the client prefers."""
    _check(type_word, key)
    urls = current.urls()
    if not current.store().knows(urls.thing(type_word, key)):
        return _missing(type_word, key)
    fmt = respond.choose(respond.PAGE_FORMATS)
    response = redirect(urls.document(type_word, key, None if fmt is HTML else fmt), 303)
    return respond.cache(response, respond.STABLE, vary=("Accept",), release_dated=False)


@bp.get("/doc/<type_word>/<key>")
@timegate("doc")
def document(type_word: str, key: str) -> Response:
    suffix = ""
    if "." in key:
        key, suffix = key.rsplit(".", 1)
    _check(type_word, key)
    fmt = respond.choose(respond.PAGE_FORMATS, suffix)
    release = current.release()
    page = whole_number("page", 1, maximum=MAX_PAGE)
    language = respond.language()
    etag = respond.etag_of(release.id, request.path, fmt.name, page, language)
    local = current.urls().document(type_word, key)
    if respond.not_modified(etag):
        return respond.respond(b"", fmt, local=local, etag=etag)
    cache: DocumentCache = current_app.extensions[DOCUMENTS]
    found = cache.get(etag)
    if found is None:
        try:
            found = _render(release, type_word, key, fmt, page, language)
        except NotFound:
            return _missing(type_word, key, fmt if suffix else None)
        cache.put(etag, found)
    body, has_more = found
    return respond.respond(
        body,
        fmt,
        local=local,
        alternates=current.urls().suffixed(local, respond.PAGE_FORMATS),
        links=[f'<{page_url(local, page + 1)}>; rel="next"'] if has_more else [],
        etag=etag,
    )


def _missing(type_word: str, key: str, fmt: Format | None = None) -> Response:
    """410 Gone when an earlier release had the thing (publisher.web.gone), else 404."""
    gone = gone_response(current.urls().thing(type_word, key), fmt)
    if gone is None:
        raise NotFound(f"There is no {type_word} called {key!r} in this dataset.")
    return gone


def _render(
    release: Release, type_word: str, key: str, fmt: Format, page: int, language: str
) -> tuple[bytes, bool]:
    """The document's body and whether more inbound links follow; raises NotFound for unknown things."""
    urls, settings, store = current.urls(), current.settings(), current.store()
    facts = DocumentFacts(
        document=urls.document_iri(type_word, key),
        dataset=urls.iri("dataset"),
        licence=publication_for(settings, release).licence,
        release_id=release.id,
        built=release.built,
    )
    iri = urls.thing(type_word, key)
    description = store.describe(iri, facts, page)
    if description is None:
        raise NotFound(f"There is no {type_word} called {key!r} in this dataset.")
    if fmt is not HTML:
        published = context_of(settings, release) if fmt is JSONLD else None
        body = description.serialize(fmt.name, prefixes_for(settings.base), published)
        return body, description.has_more_backlinks
    html = render_resource(
        description,
        type_word,
        key,
        language,
        figures=store.figures_about(iri, language),
        tree=field_tree(release, urls, language) if type_word == "scheme" else [],
    )
    return html.encode(), description.has_more_backlinks


class DocumentCache:
    """Rendered documents by ETag (release, path, format, page, language), least recently used out first.

    Releases never change, so a rendered document stays right for as long as its release is served; the
    ETag names the release, so a new release never meets an old entry.
    """

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[str, tuple[bytes, bool]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bytes, bool] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: str, value: tuple[bytes, bool]) -> None:
        if self.entries <= 0:
            return
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.entries:
                self._items.popitem(last=False)
