"""What a server process makes once per release and keeps: a release never changes, so neither does
anything made from it (the search and reconciliation indexes, the VoID and DCAT-AP.de graphs).

One value per kind and scope is kept, for the release that asked last; a new release replaces it. Each kind
has its own lock, so the first requests after a release do not build the same index twice, and building
one kind never waits for another.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from publisher.release import Release

T = TypeVar("T")

_kept: dict[tuple[str, Hashable], tuple[tuple[str, str], Any]] = {}
_locks: dict[tuple[str, Hashable], threading.Lock] = {}
_guard = threading.Lock()


def kept(kind: str, release: Release, build: Callable[[], T], scope: Hashable = None) -> T:
    """``build()`` for ``release``, made on first use in this process and kept until another release asks
    for the same ``kind`` and ``scope`` (the settings, when apps with other settings share the process)."""
    key = (kind, scope)
    stamp = (release.id, str(release.folder))
    with _guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        found = _kept.get(key)
        if found is not None and found[0] == stamp:
            return cast(T, found[1])
        value = build()
        _kept[key] = (stamp, value)
        return value
