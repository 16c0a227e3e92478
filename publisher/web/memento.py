"""The mementos of Memento (RFC 7089): each release a thing was in gives its version at
``{base}releases/{release}/id|doc/{type}/{key}``, rendered from that release's own store
(publisher.web.older), with ``Memento-Datetime`` and cached for a year: a release never changes. A pruned
release's mementos answer 410; a release the thing was not in answers that time's 404 or 410.

The TimeGates and TimeMaps that lead here: publisher.web.timegate.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, request
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from publisher.formats import HTML, JSONLD, Format
from publisher.history.linkformat import http_date
from publisher.history.timeline import Existed, Version
from publisher.integrity import MANIFEST
from publisher.releases import Release, load_release
from publisher.store import DocumentFacts
from publisher.vocab import prefixes_for
from publisher.web import current, respond, versions
from publisher.web.context import context_of
from publisher.web.older import memento_store
from publisher.web.pages import render_resource
from publisher.web.params import MAX_PAGE, whole_number
from publisher.web.publication import publication_for

DOCUMENTS = "clusterlod.documents"  # the rendered documents' cache (publisher.web.resources.DocumentCache)
bp = Blueprint("memento", __name__)


@bp.get("/releases/<release_id>/id/<type_word>/<key>")
def memento_thing(release_id: str, type_word: str, key: str) -> Response:
    """The thing as of a release: 303 to that release's document about it."""
    version, _ = _memento_of(release_id, "id", type_word, key)
    fmt = respond.choose(respond.PAGE_FORMATS)
    path = f"releases/{release_id}/doc/{type_word}/{key}"
    response = redirect(current.urls().path(path, None if fmt is HTML else fmt), 303)
    response.headers["Vary"] = "Accept"
    return _as_memento(response, version, "id", type_word, key)


@bp.get("/releases/<release_id>/doc/<type_word>/<key>")
def memento_document(release_id: str, type_word: str, key: str) -> Response:
    """The document about the thing as of a release, as that release's store describes it."""
    name, suffix = versions.split_suffix(key)
    version, release = _memento_of(release_id, "doc", type_word, key)
    fmt = respond.choose(respond.PAGE_FORMATS, suffix)
    page = whole_number("page", 1, maximum=MAX_PAGE)
    language = respond.language()
    etag = respond.etag_of("memento", request.path, fmt.name, page, language)
    local = current.urls().path(f"releases/{release_id}/doc/{type_word}/{name}")
    body = (
        b"" if respond.not_modified(etag) else _render(release, version, type_word, name, fmt, page, language)
    )
    response = respond.respond(
        body,
        fmt,
        local=local,
        alternates=current.urls().suffixed(local, respond.PAGE_FORMATS),
        etag=etag,
        caching=respond.FOREVER,
        release_dated=False,
    )
    return _as_memento(response, version, "doc", type_word, key)


def _render(
    release: Release, version: Version, type_word: str, key: str, fmt: Format, page: int, language: str
) -> bytes:
    """The document as ``release`` had it, from that release's store; rendered once per process."""
    settings, urls = current.settings(), current.urls()
    cache = current_app.extensions[DOCUMENTS]
    cache_key = f"memento|{release.id}|{type_word}/{key}|{fmt.name}|{page}|{language}"
    found = cache.get(cache_key)
    if found is not None:
        return bytes(found[0])
    thing = urls.thing(type_word, key)
    facts = DocumentFacts(
        document=urls.iri(f"releases/{release.id}/doc/{type_word}/{key}"),
        dataset=urls.iri("dataset"),
        licence=publication_for(settings, release).licence,  # the licence that version was published under
        release_id=release.id,
        built=release.built,
    )
    store = memento_store(release)
    description = store.describe(thing, facts, page)
    if description is None:
        raise NotFound(f"Release {release.id} says nothing about {thing}.")
    if fmt is HTML:
        note = {
            "release": release.id,
            "date": version.built.strftime("%Y-%m-%d %H:%M UTC"),
            "document": urls.path(f"releases/{release.id}/doc/{type_word}/{key}"),
            "current": urls.document(type_word, key),
            "timemap": urls.path(f"timemap/doc/{type_word}/{key}"),
        }
        figures = store.figures_about(thing, language)
        html = render_resource(description, type_word, key, language, figures, [], memento=note)
        body = html.encode()
    else:
        published = context_of(settings, current.release()) if fmt is JSONLD else None
        body = description.serialize(fmt.name, prefixes_for(settings.base), published)
    cache.put(cache_key, (body, description.has_more_backlinks))
    return body


def _memento_of(release_id: str, kind: str, type_word: str, key: str) -> tuple[Version, Release]:
    """The release of a memento URI and its folder; otherwise the answer (404, 410) as an exception."""
    name, _ = versions.split_suffix(key)
    versions.check_key(type_word, name)
    timeline = versions.served_timeline()
    version = timeline.by_id(release_id)
    if version is None:
        raise NotFound(f"There is no release {release_id} in this dataset's history.")
    state = timeline.in_release(versions.thing_iri(type_word, name), version)
    links = versions.original_links(kind, type_word, key)
    if not isinstance(state, Existed):
        abort(versions.problem(*versions.why_not(state, type_word, name, version.built), links))
    folder = current.settings().releases_dir / release_id
    if not (folder / MANIFEST).is_file():
        thing = versions.thing_iri(type_word, name)
        message = (
            f"Release {release_id} ({versions.day(version)}) had {thing}, but it has been pruned from this"
            " server and its version is no longer available here; the TimeMap lists the versions kept."
        )
        abort(versions.problem(410, message, links))
    return version, _release(folder)


def _as_memento(response: Response, version: Version, kind: str, type_word: str, key: str) -> Response:
    response.headers["Memento-Datetime"] = http_date(version.built)
    versions.add_links(response, *versions.original_links(kind, type_word, key))
    response.headers["Cache-Control"] = respond.FOREVER.header
    response.last_modified = version.built
    return response


@lru_cache(maxsize=32)
def _release(folder: Path) -> Release:
    return load_release(folder.parent, folder.name)  # a release folder never changes
