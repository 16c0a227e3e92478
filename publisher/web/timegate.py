"""The TimeGates and TimeMaps of Memento (RFC 7089) for every thing and document.

- ``@timegate("id")`` on a view: a thing's URI is its own TimeGate (RFC 7089, pattern 1.1). With
  ``Accept-Datetime`` the request is answered here (302 to the memento of the release current then; 404
  before the first release or before the thing existed; that time's 410 when it had left; 400 for a datetime
  that cannot be read); without, the view answers and the response names its TimeGate and TimeMap
  (``Vary: accept-datetime``).
- ``@timegate("doc")``: a document names the TimeGate apart (pattern 2.1) and its TimeMap, and does not vary
  on Accept-Datetime (why: ``versions.own_timegate``).
- ``{base}timegate/{URI}``: the TimeGate apart, for documents and for clients given one (as archives do).
- ``{base}timemap/id|doc/{type}/{key}``: link-format, or JSON (``Accept: application/json``,
  ``?format=json``); a release pruned from disk stays listed, ``available="false"``.

The mementos themselves: publisher.web.memento.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from pathlib import Path

from flask import Blueprint, redirect, request
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from publisher.formats import JSON, LINK_FORMAT
from publisher.history.linkformat import Memento, TimeMap, as_json, http_date, link_format
from publisher.history.timeline import Existed, Version
from publisher.integrity import MANIFEST
from publisher.web import current, respond, versions
from publisher.web.versions import ACCEPT_DATETIME, KINDS

View = Callable[[str, str], Response]
bp = Blueprint("timegate", __name__)


def timegate(kind: str) -> Callable[[View], View]:
    """Make the view of ``{base}{kind}/{type}/{key}`` its own TimeGate (the one hook a view needs)."""

    def wrap(view: View) -> View:
        @functools.wraps(view)
        def gate(type_word: str, key: str) -> Response:
            own = versions.own_timegate(kind)
            if own and ACCEPT_DATETIME in request.headers:
                return _negotiate(kind, type_word, key, own=True)
            response = view(type_word, key)
            versions.add_links(response, *versions.original_links(kind, type_word, key))
            if own:
                versions.add_vary(response, "Accept-Datetime")
            return response

        return gate

    return wrap


@bp.get("/timegate/<path:original>")
def outside_timegate(original: str) -> Response:
    """The TimeGate at ``{base}timegate/{URI-R}``; no Accept-Datetime means now."""
    settings = current.settings()
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
    name, _ = versions.split_suffix(key)
    versions.check_key(type_word, name)
    asked = request.headers.get(ACCEPT_DATETIME)
    when = _parse(asked) if asked is not None else dt.datetime.now(dt.UTC)
    uri = versions.original_uri(kind, type_word, key)
    links = (
        versions.original_links(kind, type_word, key)
        if own
        else [
            f'<{uri}>; rel="original"',
            f'<{versions.outside_timegate_uri(uri)}>; rel="timegate"',
            versions.timemap_link(kind, type_word, key),
        ]
    )
    if when is None:
        return versions.problem(
            400, f"Accept-Datetime {asked!r} is not an HTTP date (e.g. {http_date(_now())}).", links
        )
    timeline = versions.served_timeline()
    state = timeline.at(versions.thing_iri(type_word, name), when)
    if not isinstance(state, Existed):
        return versions.problem(*versions.why_not(state, type_word, name, when), links)
    existed = timeline.existed(versions.thing_iri(type_word, name))
    links += _neighbours(existed, state.release, kind, type_word, key)
    response = redirect(current.urls().path(f"releases/{state.release.id}/{kind}/{type_word}/{key}"), 302)
    versions.add_links(response, *links)
    versions.add_vary(response, "Accept-Datetime")
    response.headers["Cache-Control"] = respond.RELEASE.header  # a new release may answer "now" otherwise
    return response


@bp.get("/timemap/<kind>/<type_word>/<key>")
def timemap(kind: str, type_word: str, key: str) -> Response:
    """Every memento of ``{base}{kind}/{type}/{key}``: the releases it was in, oldest first."""
    name, _ = versions.split_suffix(key)
    versions.check_key(type_word, name)
    if kind not in KINDS:
        raise NotFound(f"TimeMaps are kept for things (id/...) and documents (doc/...), not {kind}/.")
    timeline = versions.served_timeline()
    existed = timeline.existed(versions.thing_iri(type_word, name))
    if not existed and not timeline.events(versions.thing_iri(type_word, name)):
        raise NotFound(f"No release of this dataset had {versions.thing_iri(type_word, name)}.")
    settings = current.settings()
    found = TimeMap(
        original=versions.original_uri(kind, type_word, key),
        timegate=versions.timegate_uri(kind, type_word, key),
        uri=current.urls().timemap(kind, type_word, key),
        mementos=[
            Memento(versions.memento_uri(r.id, kind, type_word, key), r, _kept(settings.releases_dir, r.id))
            for r in existed
        ],
    )
    if respond.choose((LINK_FORMAT, JSON)) is JSON:
        return respond.respond(
            json.dumps(as_json(found), indent=1) + "\n", "application/json", vary=("Accept",)
        )
    # RELEASE caching: the next release adds a memento
    return respond.respond(link_format(found), f"{LINK_FORMAT.media_type}; charset=utf-8", vary=("Accept",))


def _neighbours(existed: list[Version], chosen: Version, kind: str, type_word: str, key: str) -> list[str]:
    """The chosen memento and the first, last, previous and next ones, each with its datetime."""
    position = next(n for n, r in enumerate(existed) if r.index == chosen.index)
    rels: dict[int, list[str]] = {position: []}
    for n, rel in ((0, "first"), (len(existed) - 1, "last"), (position - 1, "prev"), (position + 1, "next")):
        if 0 <= n < len(existed):
            rels.setdefault(n, []).append(rel)
    links = []
    for n, names in sorted(rels.items()):
        uri = versions.memento_uri(existed[n].id, kind, type_word, key)
        rel = " ".join([*names, "memento"])
        links.append(f'<{uri}>; rel="{rel}"; datetime="{http_date(existed[n].built)}"')
    return links


def _parse(value: str) -> dt.datetime | None:
    """An HTTP date (RFC 7089 asks for RFC 1123's form); None when it is none."""
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _kept(releases: Path, release_id: str) -> bool:
    return (releases / release_id / MANIFEST).is_file()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
