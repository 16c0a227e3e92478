"""The release current before a build, and what the new release carries on from it: the entity index, the
changes since it and the record of IRIs gone (publisher.changes)."""

from __future__ import annotations

import logging
from pathlib import Path

from publisher.changes import (
    CHANGES,
    ENTITIES,
    GONE,
    Changes,
    carry_gone,
    compare,
    entity_digests,
    read_entities,
    read_gone,
    write_changes,
    write_entities,
    write_gone,
)
from publisher.errors import ReleaseError
from publisher.integrity import DamagedReleaseError
from publisher.releases import Release, check_release, current_release, list_releases

log = logging.getLogger(__name__)


def previous_release(releases: Path, remote: bool) -> Release | None:
    """The current release, whose history (entities, gone IRIs) the new one carries on: those files must be
    whole (a damaged store or dump is no reason not to build; a new release is the cure)."""
    try:
        previous = current_release(releases)
        damage = check_release(previous, remote=remote) if previous else []
        history = [d for d in damage if d.file in (ENTITIES, GONE, "dumps/data.nt.gz")]
        if previous and history:
            raise DamagedReleaseError(previous.id, history)
    except DamagedReleaseError as error:
        raise ReleaseError(
            f"the current {error}; its history cannot be carried on: make a good release current first "
            "(clusterlod release --activate ID), or remove the `current` link to start a new history"
        ) from error
    return previous


def record_changes(
    work: Path,
    previous: Release | None,
    digests: dict[str, str],
    built: str,
    base: str,
    replacements: dict[str, tuple[str, tuple[str, ...]]],
) -> Changes:
    """Write the entity index, the changes since ``previous`` and the record of gone IRIs."""
    before = _digests_of(previous, base) if previous else {}
    changes = compare(previous.id if previous else None, before, digests)
    earlier = read_gone(previous.folder / GONE) if previous else {}
    gone = carry_gone(earlier, changes, digests, built, replacements, _rolled_back(work.parent, previous))
    write_entities(work / ENTITIES, digests)
    write_changes(work / CHANGES, changes)
    write_gone(work / GONE, gone)
    log.info("changes since %s: %s", changes.previous, changes.counts())
    return changes


def _rolled_back(releases: Path, previous: Release | None) -> dict[str, str]:
    """The entities of releases newer than ``previous`` (rolled back from), each with the newest having it."""
    had: dict[str, str] = {}
    for release in list_releases(releases):
        if previous is not None and release.id > previous.id and (release.folder / ENTITIES).exists():
            had.update(dict.fromkeys(read_entities(release.folder / ENTITIES), release.id))
    return had


def _digests_of(release: Release, base: str) -> dict[str, str]:
    """A release's entity digests; read from its N-Triples dump when it predates the entity index."""
    index = release.folder / ENTITIES
    if index.exists():
        return read_entities(index)
    return entity_digests(release.folder / "dumps" / "data.nt.gz", base)
