"""Making a release current with one atomic switch of the ``current`` link, making an earlier one current
again (a rollback), and pruning the oldest: one at a time, under the releases folder's lock."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from publisher.errors import ReleaseError
from publisher.integrity import DamagedReleaseError
from publisher.releases import CURRENT, Release, check_release, current_release, list_releases, load_release
from publisher.store.graphstore import RemoteServer, check_release_graph, drop_release_graph

log = logging.getLogger(__name__)


@contextlib.contextmanager
def release_lock(releases: Path) -> Iterator[None]:
    """Hold the releases folder's lock: one build or activation at a time."""
    releases.mkdir(parents=True, exist_ok=True)
    with (releases / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def switch_current(releases: Path, release_id: str) -> None:
    """Point ``current`` at ``release_id`` by renaming a new link over it."""
    link = releases / f".{CURRENT}-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(release_id)
    os.replace(link, releases / CURRENT)  # atomic on POSIX: readers see the old or the new release


def remove_stale_builds(releases: Path) -> None:
    """Remove what killed builds left behind (safe: we hold the lock, so no build is running)."""
    for stale in releases.glob(".building-*"):
        log.warning("removing %s, left by an interrupted build", stale.name)
        shutil.rmtree(stale, ignore_errors=True)
    for stale in releases.glob(f".{CURRENT}-*"):
        stale.unlink(missing_ok=True)
    for stale in releases.glob(".pruning-*"):
        shutil.rmtree(stale, ignore_errors=True)


def prune_releases(
    releases: Path, keep: int, protect: str | None = None, remote: RemoteServer | None = None
) -> list[str]:
    """Remove the oldest releases beyond ``keep``; return their ids. The caller holds the lock.

    A pruned release's graph on the external SPARQL server is dropped (logging in as ``remote`` says).

    Never removed: the current release, any release newer than it (after a rollback, the ones rolled back
    from), and ``protect`` (the release current before a build, to roll back to) when ``keep`` is 2 or more.
    """
    if keep < 1:
        raise ReleaseError(f"keep_releases must be at least 1, not {keep}")
    current = current_release(releases)
    if current is None:
        return []
    ids = [r.id for r in list_releases(releases)]
    kept = {current.id, *(i for i in ids if i > current.id)}
    if protect in ids and keep >= 2:
        kept.add(protect)
    for release_id in reversed(ids):
        if len(kept) >= keep:
            break
        kept.add(release_id)
    pruned = [i for i in ids if i not in kept]
    for release_id in pruned:
        doomed = releases / f".pruning-{release_id}"
        (releases / release_id).rename(doomed)  # out of every listing at once
        drop_release_graph(doomed, server=remote)
        shutil.rmtree(doomed)
        log.info("pruned release %s (keep_releases = %d)", release_id, keep)
    return pruned


def activate(releases: Path, release_id: str, remote: RemoteServer | None = None) -> Release:
    """Make an existing release current again (a rollback), atomically.

    Its files must match their sizes and SHA-256 in the manifest (DamagedReleaseError names what does
    not). With an external SPARQL server, the release's graph there must be whole first.
    """
    with release_lock(releases):
        release = load_release(releases, release_id)
        damage = check_release(release, digests=True, remote=remote is not None)
        if damage:
            raise DamagedReleaseError(release_id, damage)
        if remote is not None:
            check_release_graph(remote, release.folder)
        switch_current(releases, release_id)
    return release
