"""Which version of a URI was published at a datetime: the line of releases and each entity's versions in it.

A release is current from its build time until the next one's. An entity existed in a release when its last
event at or before that release is a version (``v``), not a tombstone (``t``).
"""

from __future__ import annotations

import datetime as dt
import json
import mmap
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from publisher.changes import ENTITIES, Changes, read_entities
from publisher.releases import Release

LINEAGE = "history/releases.json"
VERSIONS = "history/versions.tsv"


@dataclass(frozen=True)
class Version:
    """A release in the line: its position, id and build time (UTC)."""

    index: int
    id: str
    built: dt.datetime


@dataclass(frozen=True)
class BeforeFirst:
    """The datetime is before the first release."""

    first: Version


@dataclass(frozen=True)
class NotYet:
    """The release current then did not have the thing yet; ``first`` is its first version, if any."""

    release: Version
    first: Version | None


@dataclass(frozen=True)
class Existed:
    """The thing was in ``release``."""

    release: Version


@dataclass(frozen=True)
class Gone:
    """The thing had left: ``last`` had it, ``removed`` was the first release without it."""

    release: Version
    last: Version
    removed: Version


State = BeforeFirst | NotYet | Existed | Gone


def parse_built(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))


def write_timeline(
    work: Path, previous: Release | None, release_id: str, built: str, changes: Changes
) -> None:
    """Write ``history/`` into the release folder ``work``: the line of releases and the versions, carried
    forward from the ``previous`` release (one that predates them starts the line)."""
    lineage, versions = _carried(previous)
    index = len(lineage)
    lineage.append({"id": release_id, "built": built})
    for iri in (*changes.added, *changes.changed):
        versions[iri] = f"{versions[iri]} {index}v" if iri in versions else f"{index}v"
    for iri in changes.removed:
        versions[iri] = f"{versions[iri]} {index}t" if iri in versions else f"{index}t"
    (work / "history").mkdir(exist_ok=True)
    (work / LINEAGE).write_text(json.dumps(lineage, indent=1) + "\n", encoding="utf-8")
    with (work / VERSIONS).open("w", encoding="utf-8") as handle:
        handle.writelines(f"{iri}\t{events}\n" for iri, events in sorted(versions.items()))


def read_lineage(folder: Path) -> list[dict[str, str]]:
    """The line of releases a release folder records: ``id`` and ``built`` of each, oldest first."""
    lineage: list[dict[str, str]] = json.loads((folder / LINEAGE).read_text(encoding="utf-8"))
    return lineage


def _carried(previous: Release | None) -> tuple[list[dict[str, str]], dict[str, str]]:
    if previous is None:
        return [], {}
    folder = previous.folder
    if not (folder / LINEAGE).exists():  # a release from before the history: the line starts with it
        entities = read_entities(folder / ENTITIES) if (folder / ENTITIES).exists() else {}
        return [{"id": previous.id, "built": previous.built}], dict.fromkeys(entities, "0v")
    lineage = read_lineage(folder)
    with (folder / VERSIONS).open(encoding="utf-8") as handle:
        versions = dict(line.rstrip("\n").split("\t", 1) for line in handle if line.strip())
    return lineage, versions


class Timeline:
    """A release's history, read once: its line of releases and a look-up of each entity's versions by
    bisection over the sorted ``versions.tsv`` (memory-mapped, never read whole)."""

    def __init__(self, folder: Path) -> None:
        raw = json.loads((folder / LINEAGE).read_text(encoding="utf-8"))
        self.releases = [Version(i, r["id"], parse_built(r["built"])) for i, r in enumerate(raw)]
        # to the second, as HTTP dates are: a memento's Memento-Datetime, sent back, selects that memento
        self._times = [r.built.replace(microsecond=0) for r in self.releases]
        self._map: mmap.mmap | None = None
        path = folder / VERSIONS
        if path.stat().st_size:
            with path.open("rb") as handle:
                self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)

    @classmethod
    def of(cls, folder: Path) -> Timeline | None:
        """The release's timeline; None for a release built before timelines were written."""
        return cls(folder) if (folder / LINEAGE).exists() else None

    def by_id(self, release_id: str) -> Version | None:
        return next((r for r in self.releases if r.id == release_id), None)

    def events(self, iri: str) -> list[tuple[int, str]]:
        """The entity's events: (release position, "v" for a version or "t" for a tombstone), oldest first."""
        found = _look_up(self._map, iri.encode()) if self._map is not None else None
        if found is None:
            return []
        return [(int(e[:-1]), e[-1:]) for e in found.decode().split()]

    def at(self, iri: str, when: dt.datetime) -> State:
        """What ``iri`` was at ``when``: in the release current then, gone, not there yet, or before any."""
        position = bisect_right(self._times, when) - 1
        if position < 0:
            return BeforeFirst(self.releases[0])
        return self.in_release(iri, self.releases[position])

    def in_release(self, iri: str, release: Version) -> State:
        events = self.events(iri)
        before = [(i, kind) for i, kind in events if i <= release.index]
        if not before:
            first = next((self.releases[i] for i, kind in events if kind == "v"), None)
            return NotYet(release, first)
        index, kind = before[-1]
        if kind == "v":
            return Existed(release)
        return Gone(release, self.releases[index - 1], self.releases[index])

    def existed(self, iri: str) -> list[Version]:
        """Every release in which ``iri`` existed, oldest first."""
        events = self.events(iri)
        found: list[Version] = []
        for n, (index, kind) in enumerate(events):
            if kind == "v":
                until = events[n + 1][0] if n + 1 < len(events) else len(self.releases)
                found.extend(self.releases[index:until])
        return sorted(set(found), key=lambda r: r.index)


def _look_up(data: mmap.mmap, key: bytes) -> bytes | None:
    """The value of ``key`` in sorted ``key\\tvalue`` lines, by bisection over byte offsets."""
    low, high = 0, len(data)
    while low < high:  # low and high are line starts; find the first line whose key is >= key
        middle = (low + high) // 2
        start = data.rfind(b"\n", 0, middle) + 1
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        if data[start : data.find(b"\t", start, end)] < key:
            low = end + 1
        else:
            high = start
    if low >= len(data):
        return None
    end = data.find(b"\n", low)
    end = len(data) if end < 0 else end
    tab = data.find(b"\t", low, end)
    return data[tab + 1 : end] if data[low:tab] == key else None
