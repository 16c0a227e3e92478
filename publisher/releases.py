"""The releases on disk as readers see them (the server, the CLI, the next build): the ``Release`` type with
its manifest's facts typed, which one is current, listing them and checking their files against their
manifests. Writing a release is stage 4, publisher.release.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publisher.integrity import MANIFEST as MANIFEST  # re-exported: part of the release layout
from publisher.integrity import Damage, DamagedReleaseError, check_file, check_files, read_manifest
from publisher.publication import Description, description_of
from publisher.store.graphstore import RECORD

log = logging.getLogger(__name__)

CURRENT = "current"
LOOKS_LIKE_ID = re.compile(r"\d{8}T\d{6}")  # a release id begins with its build time (lost+found does not)
# a release id: its build time and a digest, 20261128T133000.123Z-1a2b3c4d
RELEASE_ID = re.compile(r"\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{8}")


@dataclass(frozen=True)
class Release:
    """A release folder and its manifest.

    ``manifest`` is the record as written and checked (publisher.integrity); readers use the typed
    properties below, so the manifest's keys are named in this class only.
    """

    id: str
    folder: Path
    manifest: dict[str, Any]

    @property
    def built(self) -> str:
        """When the release was built, ISO 8601 in UTC (``2026-11-28T13:30:00.123Z``)."""
        return str(self.manifest["built"])

    @property
    def built_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.built.replace("Z", "+00:00"))

    @property
    def versions(self) -> list[dict[str, str]]:
        """The line of releases this one descends from, itself last: ``id`` and ``built`` of each (none for a
        release made before publisher.history recorded it)."""
        found: list[dict[str, str]] = self.manifest.get("versions", [])
        return found

    @property
    def first_built(self) -> str:
        """When the first release of the dataset was built (this one's time for older manifests)."""
        return str(self.manifest.get("first_built", self.built))

    @property
    def base(self) -> str | None:
        """The base the release was built with; None for releases made before it was recorded."""
        found = self.manifest.get("base")
        return str(found) if found else None

    @property
    def triples(self) -> int:
        return int(self.manifest["triples"])

    @property
    def entities(self) -> int | None:
        """Distinct entities; None for a release made before they were counted."""
        found = self.manifest.get("entities")
        return None if found is None else int(found)

    @property
    def classes(self) -> dict[str, int]:
        """Entities per class, by the class's compact name (``cluster:ClusterInitiative``)."""
        return dict(self.manifest.get("classes", {}))

    @property
    def files(self) -> dict[str, FileRecord]:
        """Every file of the release by its path inside the folder, with its size and SHA-256."""
        return {
            name: FileRecord(int(record["bytes"]), str(record["sha256"]))
            for name, record in self.manifest["files"].items()
        }

    @property
    def changes(self) -> ChangeCounts | None:
        """What changed since the release current before; None for a release made before it was recorded."""
        found = self.manifest.get("changes")
        if not found:
            return None
        return ChangeCounts(found.get("previous"), found["added"], found["changed"], found["removed"])

    @property
    def coverage(self) -> tuple[dt.date, dt.date] | None:
        """The period the data covers, as recorded at build time."""
        found = self.manifest.get("coverage")
        if not found:
            return None
        return dt.date.fromisoformat(found["start"]), dt.date.fromisoformat(found["end"])

    @property
    def description(self) -> Description:
        """What the publication said about itself when the release was built (publisher.publication); a
        neutral description for a release made before it was recorded."""
        return description_of(self.manifest.get("description"))


@dataclass(frozen=True)
class FileRecord:
    """A file of a release as its manifest records it."""

    bytes: int
    sha256: str


@dataclass(frozen=True)
class ChangeCounts:
    """How many entities a release added, changed and removed since ``previous`` (None for the first)."""

    previous: str | None
    added: int
    changed: int
    removed: int


def current_release(releases: Path) -> Release | None:
    """The release ``current`` points to, or None when nothing has been released yet.

    DamagedReleaseError when ``current`` names a release whose folder or manifest is missing or unreadable.
    """
    release_id = current_id(releases)
    return None if release_id is None else load_release(releases, release_id)


def current_id(releases: Path) -> str | None:
    """The id ``current`` points to (its folder may be gone), or None when there is no ``current`` link."""
    try:
        return os.readlink(releases / CURRENT)
    except OSError:
        return None


def load_release(releases: Path, release_id: str) -> Release:
    """The release's folder and manifest; DamagedReleaseError when either is missing or unreadable."""
    folder = releases / release_id
    return Release(release_id, folder, read_manifest(folder))


def list_releases(releases: Path) -> list[Release]:
    """Every complete release whose manifest can be read, oldest first (an unreadable one is logged)."""
    found = []
    for release_id in _release_ids(releases):
        if (releases / release_id / MANIFEST).exists():
            try:
                found.append(load_release(releases, release_id))
            except DamagedReleaseError as error:
                log.warning("%s", error)
    return found


def _release_ids(releases: Path) -> list[str]:
    if not releases.is_dir():
        return []
    return [
        path.name
        for path in sorted(releases.iterdir())
        if path.is_dir() and not path.is_symlink() and not path.name.startswith(".")
    ]


@dataclass(frozen=True)
class CheckedRelease:
    """A release folder (or the one ``current`` names), checked against its manifest."""

    id: str
    release: Release | None  # None when its folder or manifest is missing or unreadable
    damage: tuple[Damage, ...]
    current: bool


def check_releases(releases: Path, *, digests: bool = False, remote: bool = False) -> list[CheckedRelease]:
    """Every release folder and the release ``current`` names, oldest first, each with what is wrong."""
    current = current_id(releases)
    checked = []
    looks_released = {
        i for i in _release_ids(releases) if LOOKS_LIKE_ID.match(i) or (releases / i / MANIFEST).exists()
    }
    for release_id in sorted({*looks_released, *([current] if current else [])}):
        try:
            release = load_release(releases, release_id)
        except DamagedReleaseError as error:
            checked.append(CheckedRelease(release_id, None, error.damage, release_id == current))
            continue
        damage = check_release(release, digests=digests, remote=remote)
        checked.append(CheckedRelease(release_id, release, tuple(damage), release_id == current))
    return checked


def check_release(release: Release, *, digests: bool = False, remote: bool = False) -> list[Damage]:
    """What is wrong with a release's files (sizes; ``digests`` too). With ``remote`` (an external SPARQL
    server is configured), a release loaded there is answered from it and needs no embedded store."""
    with_store = not (remote and (release.folder / RECORD).is_file())
    return check_files(release.folder, release.manifest, digests=digests, with_store=with_store)


def check_release_file(release: Release, name: str) -> Damage | None:
    """What is wrong with one file the release lists (its size against the manifest's), or None."""
    return check_file(release.folder, name, release.manifest["files"][name])
