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
from publisher.store import EmbeddedStore


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


def store_of(release: Release) -> EmbeddedStore:
    """The release's store, opened read-only once per process and release."""
    return _open_store(release.folder / "store")


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
