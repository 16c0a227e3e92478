"""The release a request is answered from, and the few paths every view needs."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, g

from publisher.release import Release, current_release
from publisher.settings import Settings


def prefix_of(settings: Settings) -> str:
    """The path of the base, without its trailing slash: '' for http://host/, '/lod' for http://host/lod/."""
    return urlsplit(settings.base).path.rstrip("/")


def endpoint_iri(settings: Settings) -> str:
    return f"{settings.base}sparql"


def current_or_503() -> Release:
    """The current release, read once per request (a new release is picked up by the next request)."""
    if "release" not in g:
        settings: Settings = current_app.config["SETTINGS"]
        g.release = current_release(settings.releases_dir)
    if g.release is None:
        abort(503, description="No release has been built yet: run `clusterlod build`.")
    release: Release = g.release
    return release
