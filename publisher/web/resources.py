"""Dereferenceable URIs: ``{base}id/{type}/{key}`` answers 303 to ``{base}doc/{type}/{key}``, which answers
by content negotiation (HTML, Turtle, JSON-LD, RDF/XML, N-Triples), by suffix or by ``?format=``."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from collections import OrderedDict
from functools import lru_cache

from flask import Flask, current_app, redirect, request
from werkzeug.exceptions import NotFound
from werkzeug.http import http_date
from werkzeug.wrappers import Response

from publisher.formats import HTML, Format
from publisher.release import Release
from publisher.settings import Settings
from publisher.store import DocumentFacts
from publisher.store.describe import page_url
from publisher.tables import SLUG_PATTERN, TABLES
from publisher.vocab import prefixes_for
from publisher.web.gone import gone_response
from publisher.web.negotiate import page_format, page_language, suffixed_alternates
from publisher.web.pages import render_resource
from publisher.web.params import MAX_PAGE, whole_number
from publisher.web.publication import publication_for
from publisher.web.release import current_or_503, prefix_of, store_of

TYPE_WORDS = frozenset([t.type_word for t in TABLES] + ["scheme"])
_KEY = re.compile(SLUG_PATTERN)
LANGUAGES = ("de", "en")


def init_app(app: Flask, settings: Settings) -> None:
    prefix = prefix_of(settings)
    app.extensions["documents"] = DocumentCache(settings.document_cache)
    app.add_url_rule(f"{prefix}/id/<type_word>/<key>", "thing", thing)
    app.add_url_rule(f"{prefix}/doc/<type_word>/<key>", "document", document)


def _settings() -> Settings:
    settings: Settings = current_app.config["SETTINGS"]
    return settings


def _check(type_word: str, key: str) -> None:
    if type_word not in TYPE_WORDS or not _KEY.fullmatch(key):
        raise NotFound(f"There is no {type_word!r} called {key!r} here.")


def thing(type_word: str, key: str) -> Response:
    """303 See Other from the thing to the document about it, in the format the client prefers."""
    _check(type_word, key)
    settings = _settings()
    iri = f"{settings.base}id/{type_word}/{key}"
    release = current_or_503()
    if not store_of(release).knows(iri):
        return _missing(settings, release, type_word, key)
    fmt = page_format()
    location = f"{prefix_of(settings)}/doc/{type_word}/{key}" + ("" if fmt is HTML else f".{fmt.suffix}")
    response = redirect(location, 303)
    response.headers["Vary"] = "Accept"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def document(type_word: str, key: str) -> Response:
    suffix = ""
    if "." in key:
        key, suffix = key.rsplit(".", 1)
    _check(type_word, key)
    fmt = page_format(suffix)
    settings = _settings()
    release = current_or_503()
    page = _page()
    etag = hashlib.sha256(
        f"{release.id}|{request.path}|{fmt.name}|{page}|{page_language()}".encode()
    ).hexdigest()[:32]
    if etag in request.if_none_match:
        return _cached(Response(status=304), etag, release, type_word, key, fmt)
    cache: DocumentCache = current_app.extensions["documents"]
    found = cache.get(etag)
    if found is None:
        try:
            found = _render(settings, release, type_word, key, fmt, page)
        except NotFound:
            return _missing(settings, release, type_word, key, fmt if suffix else None)
        cache.put(etag, found)
    body, has_more = found
    response = Response(body, content_type=fmt.content_type)
    if has_more:
        response.headers.add("Link", f'<{page_url(_local(settings, type_word, key), page + 1)}>; rel="next"')
    return _cached(response, etag, release, type_word, key, fmt)


def _missing(
    settings: Settings, release: Release, type_word: str, key: str, fmt: Format | None = None
) -> Response:
    """410 Gone when an earlier release had the thing (publisher.web.gone), else 404."""
    gone = gone_response(settings, release, f"{settings.base}id/{type_word}/{key}", fmt)
    if gone is None:
        raise NotFound(f"There is no {type_word} called {key!r} in this dataset.")
    return gone


def _render(
    settings: Settings, release: Release, type_word: str, key: str, fmt: Format, page: int
) -> tuple[bytes, bool]:
    """The document's body and whether more inbound links follow; raises NotFound for unknown things."""
    facts = _facts(settings, release, type_word, key)
    description = store_of(release).describe(f"{settings.base}id/{type_word}/{key}", facts, page)
    if description is None:
        raise NotFound(f"There is no {type_word} called {key!r} in this dataset.")
    if fmt is HTML:
        body = render_resource(settings, release, description, type_word, key, page_language()).encode()
    else:
        body = description.serialize(fmt.name, prefixes_for(settings.base))
    return body, description.has_more_backlinks


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


def _page() -> int:
    return whole_number("page", 1, maximum=MAX_PAGE)


def _local(settings: Settings, type_word: str, key: str) -> str:
    return f"{prefix_of(settings)}/doc/{type_word}/{key}"


def _facts(settings: Settings, release: Release, type_word: str, key: str) -> DocumentFacts:
    return DocumentFacts(
        document=f"{settings.base}doc/{type_word}/{key}",
        dataset=f"{settings.base}dataset",
        licence=publication_for(settings, release).licence,
        release_id=release.id,
        built=str(release.manifest["built"]),
    )


def _cached(
    response: Response, etag: str, release: Release, type_word: str, key: str, fmt: Format
) -> Response:
    local = _local(_settings(), type_word, key)
    links = [*response.headers.getlist("Link"), *suffixed_alternates(local, fmt)]
    headers = response.headers
    headers.remove("Link")
    if links:
        headers["Link"] = ", ".join(links)
    headers.extend(
        {
            "ETag": f'"{etag}"',
            "Last-Modified": _http_date(str(release.manifest["built"])),
            "Cache-Control": "public, max-age=300",
            "Vary": "Accept, Accept-Language",
            "Content-Location": f"{local}.{fmt.suffix}",
        }
    )
    return response


@lru_cache(maxsize=8)
def _http_date(iso: str) -> str:
    return http_date(dt.datetime.fromisoformat(iso.replace("Z", "+00:00")))
