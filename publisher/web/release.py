"""The release a request is answered from, and the few paths every view needs."""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from flask import abort, current_app, g, request
from werkzeug.wrappers import Response

from publisher.errors import ReleaseError
from publisher.release import CURRENT, Release, load_release
from publisher.settings import Settings
from publisher.store import EmbeddedStore, RemoteStore, Store
from publisher.store.graphstore import RemoteRecord, credentials_of, read_record
from publisher.store.remote import Credentials


def prefix_of(settings: Settings) -> str:
    """The path of the base, without its trailing slash: '' for http://host/, '/lod' for http://host/lod/."""
    return urlsplit(settings.base).path.rstrip("/")


def endpoint_iri(settings: Settings) -> str:
    return f"{settings.base}sparql"


def current_or_503() -> Release:
    """The current release, read once per request (a new release is picked up by the next request)."""
    if "release" not in g:
        settings: Settings = current_app.config["SETTINGS"]
        g.release = _current(settings.releases_dir)
    if g.release is None:
        abort(503, description="No release has been built yet: run `clusterlod build`.")
    release: Release = g.release
    return release


def _current(releases: Path) -> Release | None:
    """Follow the ``current`` link on every request; read a release's manifest only once."""
    try:
        release_id = os.readlink(releases / CURRENT)
    except OSError:
        return None
    try:
        return _load(releases, release_id)
    except ReleaseError:
        return None


@lru_cache(maxsize=8)
def _load(releases: Path, release_id: str) -> Release:
    return load_release(releases, release_id)


def store_of(release: Release) -> Store:
    """The release's store: its graph on the external SPARQL server when the settings name one and the
    release was loaded there (it has ``remote.json``), else its embedded store, opened read-only once per
    process and release."""
    settings: Settings = current_app.config["SETTINGS"]
    if settings.remote_query_url:
        record = _record_of(release.folder)
        if record is not None:
            credentials = credentials_of(settings)
            return _remote_store(settings.remote_query_url, record.graph, settings.query_timeout, credentials)
    return _open_store(release.folder / "store")


def remote_of(release: Release) -> RemoteStore | None:
    """The release's graph on the external SPARQL server, or None when it is answered embedded."""
    store = store_of(release)
    return store if isinstance(store, RemoteStore) else None


@lru_cache(maxsize=8)
def _record_of(folder: Path) -> RemoteRecord | None:
    return read_record(folder)  # a release folder never changes


@lru_cache(maxsize=4)
def _remote_store(query_url: str, graph: str, timeout: float, credentials: Credentials | None) -> RemoteStore:
    return RemoteStore(query_url, graph, timeout, credentials)


@lru_cache(maxsize=2)
def _open_store(folder: Path) -> EmbeddedStore:
    return EmbeddedStore.open_read_only(folder)


def conditional(response: Response) -> Response:
    """Make a page of the current release cacheable: ETag from its body, Last-Modified from the release,
    304 for a matching conditional GET."""
    release = current_or_503()
    response.add_etag()
    response.last_modified = dt.datetime.fromisoformat(str(release.manifest["built"]).replace("Z", "+00:00"))
    response.headers.setdefault("Cache-Control", "public, max-age=300")
    return response.make_conditional(request)
