"""Check a release folder against its manifest before it is served or made current.

The manifest lists every file of a release with its size and SHA-256 (the embedded store's files included,
since the first release format). Two depths:

- sizes: one ``stat`` per file, cheap enough for every process each time it first takes a release;
- digests: sizes, then the SHA-256 of every file, when a release is made current (``clusterlod build``,
  ``clusterlod release --activate``) or when an operator asks (``clusterlod release --verify``).

Only the files a manifest lists are checked, so a release written by an older version is checked for what
it recorded. A release answered from an external SPARQL server does not need its embedded store, so
``store/`` is left out then. RocksDB's informational ``LOG`` files hold no data and are never checked.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publisher.errors import ReleaseError

MANIFEST = "manifest.json"
STORE = "store/"
NOT_DATA = ("store/LOG",)  # RocksDB's informational log (LOG, LOG.old.*): written by the engine, no data


@dataclass(frozen=True)
class Damage:
    """One thing wrong with a release: the file (relative to the release folder) and what is wrong."""

    file: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file} {self.problem}"


class DamagedReleaseError(ReleaseError):
    """A release folder does not match its manifest (or has none): it must not be served or made current."""

    def __init__(self, release_id: str, damage: Iterable[Damage]) -> None:
        self.release_id = release_id
        self.damage = tuple(damage)
        super().__init__(f"release {release_id} cannot be used: {describe(self.damage)}")


def describe(damage: Iterable[Damage], shown: int = 3) -> str:
    """The first few problems as one line, with how many more there are."""
    listed = [str(d) for d in damage]
    more = f" (and {len(listed) - shown} more)" if len(listed) > shown else ""
    return "; ".join(listed[:shown]) + more


def read_manifest(folder: Path) -> dict[str, Any]:
    """The release's manifest; DamagedReleaseError when its folder or manifest is missing or unreadable."""
    release_id = folder.name
    if not folder.is_dir():
        raise DamagedReleaseError(release_id, [Damage("its folder", "does not exist")])
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DamagedReleaseError(release_id, [Damage(MANIFEST, "is missing")]) from None
    except (OSError, ValueError) as error:
        raise DamagedReleaseError(release_id, [Damage(MANIFEST, f"cannot be read: {error}")]) from error
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise DamagedReleaseError(release_id, [Damage(MANIFEST, "lists no files")])
    return manifest


def check_files(
    folder: Path, manifest: Mapping[str, Any], *, digests: bool = False, with_store: bool = True
) -> list[Damage]:
    """Everything in ``folder`` that differs from ``manifest``: missing files, wrong sizes and (``digests``)
    wrong SHA-256; ``with_store=False`` leaves out the embedded store."""
    damage: list[Damage] = []
    for name, record in sorted(manifest["files"].items()):
        if name.startswith(NOT_DATA) or (not with_store and name.startswith(STORE)):
            continue
        found = check_file(folder, name, record, digests=digests)
        if found:
            damage.append(found)
    return damage


def check_file(folder: Path, name: str, record: Any, *, digests: bool = False) -> Damage | None:
    """What is wrong with one file of a release (``record`` is its manifest entry), or None."""
    problem = _problem(folder / name, record, digests)
    return Damage(name, problem) if problem else None


def _problem(path: Path, record: Any, digests: bool) -> str | None:
    try:
        expected = int(record["bytes"])
    except (TypeError, KeyError, ValueError):
        return "has no size in the manifest"
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        return "is missing"
    except OSError as error:
        return f"cannot be read: {error.strerror}"
    if size != expected:
        return f"is {size} bytes, the manifest records {expected}"
    if digests:
        try:
            actual = sha256_of(path)
        except OSError as error:
            return f"cannot be read: {error.strerror}"
        if actual != record.get("sha256"):
            return "has another SHA-256 than the manifest records"
    return None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
