"""The changelog of a release: which entities were added, changed or removed since the release before it,
and the cumulative record of every URI that left the dataset (for 410 Gone answers).

An entity is a subject under ``{base}id/``. Its digest is an order-free sum of a hash of each N-Triples line
whose subject it is; the lines of a blank node it points to (a document's publisher) count as its own, so a
change there changes the entity. Only the entity's own statements count: a new link *to* it, or a new label
of something it links to, does not change it. The digest is read from the N-Triples file a build writes
anyway, in one pass; no graph is held twice.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENTITIES = "entities.tsv"
CHANGES = "changes.json"
GONE = "gone.json"
_MASK = (1 << 64) - 1


@dataclass(frozen=True)
class Changes:
    """Entity IRIs added, changed and removed since ``previous`` (None for the first release)."""

    previous: str | None
    added: list[str]
    changed: list[str]
    removed: list[str]

    def counts(self) -> dict[str, Any]:
        return {
            "previous": self.previous,
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
        }

    def as_json(self) -> dict[str, Any]:
        return {**self.counts(), "lists": {k: getattr(self, k) for k in ("added", "changed", "removed")}}


@dataclass(frozen=True)
class Gone:
    """A URI the dataset once had: the last release that had it, when it left, and what replaces it."""

    iri: str
    last_release: str
    removed: str  # build time of the first release without it
    replaced_by: str | None = None
    sources: tuple[str, ...] = ()  # documents stating the replacement


def entity_digests(ntriples: Path, base: str) -> dict[str, str]:
    """Digest of each entity's statements, from an N-Triples file (gzipped when it ends in ``.gz``)."""
    things = f"<{base}id/".encode()
    sums: dict[bytes, int] = {}
    blank_sums: dict[bytes, int] = {}
    blank_refs: list[tuple[bytes, bytes]] = []
    for line in _lines(ntriples):
        if line.startswith(things):
            subject_end = line.index(b"> ") + 1
            subject = line[:subject_end]
            predicate_end = line.index(b"> ", subject_end + 1) + 2
            if line.startswith(b"_:", predicate_end):
                blank = line[predicate_end:].rsplit(b" .", 1)[0]
                blank_refs.append((subject, blank))
                line = line[:predicate_end] + b"_:"  # the label of a blank node carries no meaning
            sums[subject] = (sums.get(subject, 0) + _hash(line)) & _MASK
        elif line.startswith(b"_:"):
            blank = line[: line.index(b" ")]
            blank_sums[blank] = (blank_sums.get(blank, 0) + _hash(line[len(blank) :])) & _MASK
    for subject, blank in blank_refs:
        sums[subject] = (sums[subject] + blank_sums.get(blank, 0)) & _MASK
    return {subject[1:-1].decode(): f"{value:016x}" for subject, value in sums.items()}


def _hash(line: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(line.rstrip(), digest_size=8).digest(), "big")


def _lines(path: Path) -> Iterator[bytes]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        yield from handle


def compare(previous_id: str | None, before: Mapping[str, str], after: Mapping[str, str]) -> Changes:
    """What changed between two releases' entity digests."""
    return Changes(
        previous=previous_id,
        added=sorted(after.keys() - before.keys()),
        changed=sorted(iri for iri, digest in after.items() if before.get(iri, digest) != digest),
        removed=sorted(before.keys() - after.keys()),
    )


def carry_gone(
    earlier: Mapping[str, Gone],
    changes: Changes,
    present: Iterable[str],
    left: str,
    replacements: Mapping[str, tuple[str, tuple[str, ...]]],
    rolled_back: Mapping[str, str] | None = None,
) -> dict[str, Gone]:
    """The gone URIs after this release: the earlier ones not back again, plus the ones removed now.

    ``replacements`` maps an entity id (the last segment of its IRI) to the IRI replacing it and the
    documents that say so; a replacement given now wins over one carried forward. ``rolled_back`` maps the
    IRIs of releases rolled back from (newer than the previous one) to the newest such release that had them.
    """
    back = set(present)
    gone = {iri: entry for iri, entry in earlier.items() if iri not in back}
    for iri, release_id in (rolled_back or {}).items():
        if iri not in back and iri not in gone:
            gone[iri] = Gone(iri, last_release=release_id, removed=left)
    for iri in changes.removed:
        gone[iri] = Gone(iri, last_release=changes.previous or "", removed=left)
    for iri, entry in gone.items():
        replacement = replacements.get(iri.rsplit("/", 1)[-1])
        if replacement is not None:
            gone[iri] = Gone(iri, entry.last_release, entry.removed, replacement[0], replacement[1])
    return dict(sorted(gone.items()))


def write_entities(path: Path, digests: Mapping[str, str]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(f"{iri}\t{digest}\n" for iri, digest in sorted(digests.items()))


def read_entities(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as handle:
        return dict(line.rstrip("\n").split("\t", 1) for line in handle if line.strip())


def write_gone(path: Path, gone: Mapping[str, Gone]) -> None:
    payload = {
        iri: {
            "last_release": g.last_release,
            "removed": g.removed,
            "replaced_by": g.replaced_by,
            "sources": list(g.sources),
        }
        for iri, g in gone.items()
    }
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def read_gone(path: Path) -> dict[str, Gone]:
    """The gone URIs a release recorded; none when the release predates the record."""
    if not path.exists():
        return {}
    raw: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return {
        iri: Gone(iri, e["last_release"], e["removed"], e.get("replaced_by"), tuple(e.get("sources", ())))
        for iri, e in raw.items()
    }


def write_changes(path: Path, changes: Changes) -> None:
    path.write_text(json.dumps(changes.as_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def read_changes(path: Path) -> Changes | None:
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    lists = raw["lists"]
    return Changes(raw["previous"], lists["added"], lists["changed"], lists["removed"])
