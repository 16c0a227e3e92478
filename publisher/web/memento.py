"""Memento (RFC 7089) for every thing and document: the URI is its own TimeGate, each has a TimeMap, and each
release it was in is a memento at ``{base}releases/{release}/id|doc/{type}/{key}``.

- ``@timegate("id")`` on a view: with ``Accept-Datetime`` the request is answered here (302 to the memento of
  the release current then; 404 before the first release or before the thing existed; that time's 410 when
  it had left; 400 for a datetime that cannot be read); without, the view answers and the response names its
  TimeGate and TimeMap (``Vary: accept-datetime``).
- ``{base}timegate/{URI}``: the same TimeGate for clients that are given one (an archive's pattern).
- ``{base}timemap/id|doc/{type}/{key}``: link-format, or JSON (``Accept: application/json``,
  ``?format=json``).
- mementos are rendered from their release's own store (publisher.web.older), carry ``Memento-Datetime`` and
  are cached for a year: a release never changes. A pruned release's mementos answer 410.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, request
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from publisher.formats import HTML, JSONLD, Format
from publisher.history.linkformat import LINK_FORMAT, Memento, TimeMap, as_json, http_date, link_format
from publisher.history.timeline import BeforeFirst, Existed, Gone, NotYet, State, Timeline, Version
from publisher.integrity import MANIFEST
from publisher.release import Release, load_release
from publisher.settings import Settings
from publisher.store import DocumentFacts
from publisher.tables import SLUG_PATTERN, TABLES
from publisher.vocab import prefixes_for
from publisher.web import current, respond
from publisher.web.context import context_of
from publisher.web.errors import error_response
from publisher.web.kept import kept
from publisher.web.older import memento_store
from publisher.web.pages import render_resource
from publisher.web.params import MAX_PAGE, whole_number
from publisher.web.publication import publication_for

ACCEPT_DATETIME = "Accept-Datetime"
DOCUMENTS = "clusterlod.documents"  # the rendered documents' cache (publisher.web.resources.DocumentCache)
KINDS = ("id", "doc")
TYPE_WORDS = frozenset([t.type_word for t in TABLES] + ["scheme"])
View = Callable[[str, str], Response]
_KEY = re.compile(SLUG_PATTERN)


bp = Blueprint("memento", __name__)


def timegate(kind: str) -> Callable[[View], View]:
    """Make the view of ``{base}{kind}/{type}/{key}`` its own TimeGate (the one hook a view needs)."""

    def wrap(view: View) -> View:
        @functools.wraps(view)
        def gate(type_word: str, key: str) -> Response:
            if ACCEPT_DATETIME in request.headers:
                return _negotiate(kind, type_word, key, own=True)
            response = view(type_word, key)
            uri = _uri(kind, type_word, key)
            _add_links(response, f'<{uri}>; rel="original timegate"', _timemap_link(kind, type_word, key))
            _vary(response, "Accept-Datetime")
            return response

        return gate

    return wrap


@bp.get("/timegate/<path:original>")
def outside_timegate(original: str) -> Response:
    """The TimeGate at ``{base}timegate/{URI-R}``; no Accept-Datetime means now."""
    settings = _settings()
    uri = original.replace(":/", "://", 1) if ":/" in original and "://" not in original else original
    if not uri.startswith(settings.base):
        raise NotFound(f"{uri} is not a URI of this dataset ({settings.base}...).")
    kind, _, rest = uri[len(settings.base) :].partition("/")
    type_word, _, key = rest.partition("/")
    if kind not in KINDS:
        raise NotFound(f"{uri} is neither a thing ({settings.base}id/...) nor a document about one.")
    return _negotiate(kind, type_word, key, own=False)


def _negotiate(kind: str, type_word: str, key: str, own: bool) -> Response:
    """The TimeGate's answer for the Accept-Datetime of the request (RFC 7089, section 4)."""
    name, _ = _split(key)
    _check(type_word, name)
    asked = request.headers.get(ACCEPT_DATETIME)
    when = _parse(asked) if asked is not None else dt.datetime.now(dt.UTC)
    uri = _uri(kind, type_word, key)
    gate = uri if own else f"{_settings().base}timegate/{uri}"
    links = [f'<{uri}>; rel="original timegate"' if own else f'<{uri}>; rel="original"']
    links += [] if own else [f'<{gate}>; rel="timegate"']
    links.append(_timemap_link(kind, type_word, key))
    if when is None:
        return _problem(
            400, f"Accept-Datetime {asked!r} is not an HTTP date (e.g. {http_date(_now())}).", links
        )
    timeline = _timeline()
    state = timeline.at(_thing(type_word, name), when)
    if not isinstance(state, Existed):
        return _problem(*_why_not(state, type_word, name, when), links)
    existed = timeline.existed(_thing(type_word, name))
    links += _neighbours(existed, state.release, kind, type_word, key)
    response = redirect(current.urls().path(f"releases/{state.release.id}/{kind}/{type_word}/{key}"), 302)
    _add_links(response, *links)
    _vary(response, "Accept-Datetime")
    response.headers["Cache-Control"] = "public, max-age=300"  # a new release may answer "now" otherwise
    return response


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
    name, suffix = _split(key)
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
        licence=publication_for(settings, current.release()).licence,
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
    name, _ = _split(key)
    _check(type_word, name)
    timeline = _timeline()
    version = timeline.by_id(release_id)
    if version is None:
        raise NotFound(f"There is no release {release_id} in this dataset's history.")
    state = timeline.in_release(_thing(type_word, name), version)
    links = [f'<{_uri(kind, type_word, key)}>; rel="original timegate"', _timemap_link(kind, type_word, key)]
    if not isinstance(state, Existed):
        abort(_problem(*_why_not(state, type_word, name, version.built), links))
    folder = current.settings().releases_dir / release_id
    if not (folder / MANIFEST).is_file():
        message = (
            f"Release {release_id} ({_day(version)}) had {_thing(type_word, name)}, but it has been pruned"
            " from this server and its version is no longer available here; the TimeMap lists the versions"
            " kept."
        )
        abort(_problem(410, message, links))
    return version, _release(folder)


@bp.get("/timemap/<kind>/<type_word>/<key>")
def timemap(kind: str, type_word: str, key: str) -> Response:
    """Every memento of ``{base}{kind}/{type}/{key}``: the releases it was in, oldest first."""
    name, _ = _split(key)
    _check(type_word, name)
    if kind not in KINDS:
        raise NotFound(f"TimeMaps are kept for things (id/...) and documents (doc/...), not {kind}/.")
    timeline = _timeline()
    existed = timeline.existed(_thing(type_word, name))
    if not existed and not timeline.events(_thing(type_word, name)):
        raise NotFound(f"No release of this dataset had {_thing(type_word, name)}.")
    settings = _settings()
    uri = _uri(kind, type_word, key)
    found = TimeMap(
        original=uri,
        timegate=uri,
        uri=f"{settings.base}timemap/{kind}/{type_word}/{key}",
        mementos=[
            Memento(_memento_uri(r.id, kind, type_word, key), r, _kept(settings.releases_dir, r.id))
            for r in existed
        ],
    )
    wants_json = request.args.get("format") == "json" or (
        request.accept_mimetypes.best_match([LINK_FORMAT, "application/json"]) == "application/json"
        and request.accept_mimetypes["application/json"] > request.accept_mimetypes[LINK_FORMAT]
    )
    if wants_json:
        return respond.respond(
            json.dumps(as_json(found), indent=1) + "\n", "application/json", vary=("Accept",)
        )
    # RELEASE caching: the next release adds a memento
    return respond.respond(link_format(found), f"{LINK_FORMAT}; charset=utf-8", vary=("Accept",))


def _why_not(state: State, type_word: str, key: str, when: dt.datetime) -> tuple[int, str]:
    thing = _thing(type_word, key)
    at = when.strftime("%Y-%m-%d %H:%M:%S UTC")
    if isinstance(state, BeforeFirst):
        return 404, f"{at} is before this dataset's first release ({_day(state.first)}): there is no version."
    if isinstance(state, NotYet):
        later = (
            f"; its first version is in release {state.first.id} ({_day(state.first)})" if state.first else ""
        )
        return 404, f"{thing} was not in release {state.release.id}, current at {at}{later}."
    assert isinstance(state, Gone)  # noqa: S101 - Existed is answered by the callers
    return 410, (
        f"{thing} was not in this dataset at {at}: it was last in release {state.last.id} and left on "
        f"{_day(state.removed)} (release {state.removed.id})."
    )


def _problem(status: int, message: str, links: list[str]) -> Response:
    response = error_response(status, message)
    _add_links(response, *links)
    _vary(response, "Accept-Datetime")
    return response


def _as_memento(response: Response, version: Version, kind: str, type_word: str, key: str) -> Response:
    response.headers["Memento-Datetime"] = http_date(version.built)
    uri = _uri(kind, type_word, key)
    _add_links(response, f'<{uri}>; rel="original timegate"', _timemap_link(kind, type_word, key))
    response.headers["Cache-Control"] = respond.FOREVER.header
    response.last_modified = version.built
    return response


def _neighbours(existed: list[Version], chosen: Version, kind: str, type_word: str, key: str) -> list[str]:
    """The chosen memento and the first, last, previous and next ones, each with its datetime."""
    position = next(n for n, r in enumerate(existed) if r.index == chosen.index)
    rels: dict[int, list[str]] = {position: []}
    for n, rel in ((0, "first"), (len(existed) - 1, "last"), (position - 1, "prev"), (position + 1, "next")):
        if 0 <= n < len(existed):
            rels.setdefault(n, []).append(rel)
    links = []
    for n, names in sorted(rels.items()):
        uri = _memento_uri(existed[n].id, kind, type_word, key)
        rel = " ".join([*names, "memento"])
        links.append(f'<{uri}>; rel="{rel}"; datetime="{http_date(existed[n].built)}"')
    return links


def _add_links(response: Response, *links: str) -> None:
    existing = [v for v in response.headers.getlist("Link") if v]
    response.headers.remove("Link")
    joined = ", ".join([*existing, *links])
    if joined:
        response.headers["Link"] = joined


def _vary(response: Response, header: str) -> None:
    present = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    if header.lower() not in (v.lower() for v in present):
        response.headers["Vary"] = ", ".join([*present, header])


def _timemap_link(kind: str, type_word: str, key: str) -> str:
    return f'<{_settings().base}timemap/{kind}/{type_word}/{key}>; rel="timemap"; type="{LINK_FORMAT}"'


def _parse(value: str) -> dt.datetime | None:
    """An HTTP date (RFC 7089 asks for RFC 1123's form); None when it is none."""
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _timeline() -> Timeline:
    release = current.release()
    found = kept("timeline", release, lambda: Timeline.of(release.folder))
    if found is None:
        raise NotFound(
            f"Release {release.id} was built before releases kept a history: rebuild to start one."
        )
    return found


@lru_cache(maxsize=32)
def _release(folder: Path) -> Release:
    return load_release(folder.parent, folder.name)  # a release folder never changes


def _kept(releases: Path, release_id: str) -> bool:
    return (releases / release_id / MANIFEST).is_file()


def _split(key: str) -> tuple[str, str]:
    return (key.rsplit(".", 1)[0], key.rsplit(".", 1)[1]) if "." in key else (key, "")


def _check(type_word: str, key: str) -> None:
    if type_word not in TYPE_WORDS or not _KEY.fullmatch(key):
        raise NotFound(f"There is no {type_word!r} called {key!r} here.")


def _thing(type_word: str, key: str) -> str:
    return f"{_settings().base}id/{type_word}/{key}"


def _uri(kind: str, type_word: str, key: str) -> str:
    return f"{_settings().base}{kind}/{type_word}/{key}"


def _memento_uri(release_id: str, kind: str, type_word: str, key: str) -> str:
    return f"{_settings().base}releases/{release_id}/{kind}/{type_word}/{key}"


def _day(version: Version) -> str:
    return version.built.strftime("%Y-%m-%d")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _settings() -> Settings:
    return current.settings()
