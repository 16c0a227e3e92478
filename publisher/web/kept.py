"""What a server process makes once per release and keeps: a release never changes, so neither does
anything made from it (the search and reconciliation indexes, the VoID and DCAT-AP.de graphs, the facets,
the sitemap, the calendar).

Per kind and scope, the values of the two releases that asked last are kept: the one being served and the
one being prepared before a switch (``publisher.web.warm``), so that preparing the next release never
throws away what the current one's requests use. Each kind and release has its own lock, so the first
requests after a release do not build the same value twice, and building one kind (or one release's value)
never waits for another.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from publisher.releases import Release

T = TypeVar("T")
RELEASES_KEPT = 2  # the release served and the one prepared next

Stamp = tuple[str, str]  # a release's id and folder
_kept: dict[tuple[str, Hashable], OrderedDict[Stamp, Any]] = {}
_locks: dict[tuple[str, Hashable, Stamp], threading.Lock] = {}
_guard = threading.Lock()


def kept(kind: str, release: Release, build: Callable[[], T], scope: Hashable = None) -> T:
    """``build()`` for ``release``, made on first use in this process and kept while it is one of the last
    two releases to ask for the same ``kind`` and ``scope`` (the settings, when apps with other settings
    share the process)."""
    key = (kind, scope)
    stamp = (release.id, str(release.folder))
    with _guard:
        values = _kept.setdefault(key, OrderedDict())
        if stamp in values:
            values.move_to_end(stamp)
            return cast(T, values[stamp])
        lock = _locks.setdefault((*key, stamp), threading.Lock())
    with lock:
        with _guard:
            if stamp in values:  # built by another thread while this one waited
                return cast(T, values[stamp])
        value = build()
        with _guard:
            values[stamp] = value
            while len(values) > RELEASES_KEPT:
                dropped, _ = values.popitem(last=False)
                _locks.pop((*key, dropped), None)
        return value
