"""The release stage's part in history: write the timeline and the change feed into a new release folder."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from pathlib import Path

from publisher.changes import Changes
from publisher.history.feed import PAGES, write_feed
from publisher.history.timeline import read_lineage, write_timeline
from publisher.releases import Release

log = logging.getLogger(__name__)


def record_history(
    work: Path,
    previous: Release | None,
    base: str,
    release_id: str,
    built: str,
    changes: Changes,
    entities: Iterable[str],
) -> list[dict[str, str]]:
    """Write ``history/`` and ``feed/`` for the release being built in ``work``, carried on from ``previous``
    (the release current before; None for the first); return the line of releases (``id``, ``built``), oldest
    first, which the manifest keeps for the DCAT record's versions.

    The feed's members are read from the N-Triples the release was loaded from (``load.nt``, uncompressed;
    its gzipped copy ``dumps/data.nt.gz`` when that is gone). When the release before has no feed (or there
    is none), every entity of this release is a member.
    """
    started = time.perf_counter()
    write_timeline(work, previous, release_id, built, changes)
    before = previous.folder if previous is not None else None
    starts_feed = before is None or not (before / PAGES).exists()
    versions = sorted(entities) if starts_feed else [*changes.added, *changes.changed]
    removed = [] if starts_feed else changes.removed
    pages = write_feed(work, before, base, release_id, built, versions, removed, _ntriples(work))
    seconds = time.perf_counter() - started
    log.info(
        "history: %d versions and %d tombstones in %d feed pages, %.2f s",
        len(versions),
        len(removed),
        len(pages),
        seconds,
    )
    return read_lineage(work)


def _ntriples(work: Path) -> Path:
    loaded = work / "load.nt"
    return loaded if loaded.exists() else work / "dumps" / "data.nt.gz"
