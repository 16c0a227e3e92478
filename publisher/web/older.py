"""The stores of older releases, for their mementos: each opened read-only once per process and kept.

The served release's own store comes from ``publisher.web.release.store_of``; opening an older one here never
pushes it out. With an external SPARQL server, a release loaded there is answered from its graph.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app

from publisher.releases import Release
from publisher.settings import Settings
from publisher.store import EmbeddedStore, Store
from publisher.store.graphstore import read_record
from publisher.web.release import served, store_of

OLDER_STORES = 4  # older releases whose stores a process keeps open at once


def memento_store(release: Release) -> Store:
    """The store of ``release``: the served one's, its graph on the external server, or its own store."""
    settings: Settings = current_app.config["SETTINGS"]
    now = served().release
    if now is not None and now.id == release.id:
        return store_of(release)
    if settings.remote_query_url and read_record(release.folder) is not None:
        return store_of(release)
    return _open(release.folder / "store")


@lru_cache(maxsize=OLDER_STORES)
def _open(folder: Path) -> EmbeddedStore:
    return EmbeddedStore.open_read_only(folder)
