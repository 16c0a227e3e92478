"""Stage 4, release: write an immutable release folder, then make it current with one atomic switch.

Layout of the releases folder::

    releases/
      current -> 20261128T133000.123Z-1a2b3c4d     (symlink, replaced atomically)
      20261128T133000.123Z-1a2b3c4d/
        store/                    the embedded Oxigraph store
        dumps/data.ttl  data.ttl.gz  data.nt.gz  data.jsonld  data.jsonld.gz
        ontology.ttl  shapes.ttl  the ontology and shapes, resolved against the base
        validation-report.ttl
        catalog.ttl  catalog-dcat-ap-de-2.0.ttl   the DCAT-AP.de description (3.0, 2.0) of this release
        entities.tsv              every entity IRI with a digest of its statements
        changes.json              entities added, changed, removed since the release current before
        history/                  the line of releases and every entity's versions (publisher.history)
        feed/                     the change feed's pages (LDES), earlier ones hard-linked from the last
        gone.json                 every IRI ever removed and not back: last release, date, replacement
        remote.json               with an external SPARQL server: its endpoints and the release's graph
        manifest.json             release id, build time, counts, changes, the publication's description
                                  (publication.csv resolved), SHA-256 of every file

A build writes into a hidden ``.building-*`` folder and renames it only when complete and every file reads
back with the SHA-256 its manifest records (publisher.integrity), so a failed or killed build never touches
``current``, and a server reading ``current`` keeps serving the release it has open.
After the switch, the oldest releases beyond ``keep`` are removed (never the current one, the one current
before, or one newer than current); ``gone.json`` carries the history forward, so none is lost with them.
With an external SPARQL server, the release is loaded into its own graph there before the switch (a failure
fails the build), and pruning a release drops its graph.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gzip
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from publisher import __version__
from publisher.catalog import Coverage, Publication, write_copies
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
from publisher.history.record import record_history
from publisher.integrity import DamagedReleaseError, check_files
from publisher.integrity import sha256_of as sha256_of  # re-exported: the digest the manifest records
from publisher.releases import (
    CURRENT,
    MANIFEST,
    Release,
    check_release,
    current_release,
    list_releases,
    load_release,
)
from publisher.store import EmbeddedStore
from publisher.store.graphstore import (
    RECORD,
    RemoteRecord,
    RemoteServer,
    check_release_graph,
    drop_graph,
    drop_release_graph,
    graph_of,
    load_release_graph,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReleaseContent:
    """Everything a release is written from."""

    graph: Graph
    ontology: Graph
    shapes: Graph
    report: Graph
    base: str
    rows_read: dict[str, int]
    classes: dict[str, int]
    inputs_digest: str
    replacements: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    publication: Publication | None = None  # who publishes: for the DCAT-AP.de copies; None writes none
    coverage: Coverage = field(default_factory=lambda: Coverage(None, None))  # the dates the data states


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


def write_release(
    content: ReleaseContent,
    releases: Path,
    now: dt.datetime | None = None,
    keep: int | None = None,
    remote: RemoteServer | None = None,
) -> Release:
    """Write a complete release folder and make it current; on any error ``current`` stays as it was.

    ``keep`` (at least 1) prunes the oldest releases beyond that many; None keeps every release. ``remote``
    names an external SPARQL server the release is loaded into before it becomes current.
    """
    built = now or dt.datetime.now(dt.UTC)
    built = built.replace(microsecond=built.microsecond // 1000 * 1000)
    release_id = f"{built:%Y%m%dT%H%M%S}.{built.microsecond // 1000:03d}Z-{content.inputs_digest[:8]}"
    try:
        release = _write_and_switch(content, releases, release_id, built, keep, remote)
    except OSError as error:  # a read-only or full disk, a path through a file: the cause, not a traceback
        problem = _os_problem(error)
        raise ReleaseError(f"cannot write release {release_id} into {releases}: {problem}") from error
    log.info("released %s", release_id)
    return release


def _write_and_switch(
    content: ReleaseContent,
    releases: Path,
    release_id: str,
    built: dt.datetime,
    keep: int | None,
    remote: RemoteServer | None,
) -> Release:
    with release_lock(releases):
        _remove_stale_builds(releases)
        final = releases / release_id
        if final.exists():
            raise ReleaseError(f"release {release_id} exists already in {releases}")
        work = releases / f".building-{release_id}"
        previous = _previous(releases, remote is not None)
        loaded: RemoteRecord | None = None
        try:
            digests = _write_files(content, work)
            changes = _write_history(content, work, previous, digests, _iso(built))
            versions = record_history(work, previous, content.base, release_id, _iso(built), changes, digests)
            (work / "load.nt").unlink()  # read by the history's feed as well; not part of the release
            manifest = _manifest(content, release_id, built, work, changes, len(digests))
            manifest["versions"] = versions  # the releases this one descends from, for the DCAT record
            manifest["first_built"] = previous.first_built if previous else manifest["built"]
            if content.publication is not None:
                _write_catalogs(content.publication, content.coverage, Release(release_id, work, manifest))
            if remote is not None:
                loaded = _load_remote(remote, content.base, work, manifest)
            (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
            damage = check_files(work, manifest, digests=True)  # what was written is what was recorded
            if damage:
                raise DamagedReleaseError(release_id, damage)
            work.rename(final)
        except BaseException:
            if loaded is not None and remote is not None:
                drop_graph(loaded.store_url, loaded.graph, remote.load_timeout, remote.credentials)
            shutil.rmtree(work, ignore_errors=True)
            raise
        _switch_current(releases, release_id)
        if keep is not None:
            prune_releases(releases, keep, protect=previous.id if previous else None, remote=remote)
    return Release(release_id, final, manifest)


def _os_problem(error: OSError) -> str:
    """An OSError as one line: what went wrong and on which path."""
    where = f" ({error.filename})" if error.filename else ""
    return f"{error.strerror or error}{where}"


def _previous(releases: Path, remote: bool) -> Release | None:
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


def _write_files(content: ReleaseContent, work: Path) -> dict[str, str]:
    """Serialize once to N-Triples, load the store from it, and meanwhile gzip it as the N-Triples dump and
    read the entities' digests from it; return the digests."""
    dumps = work / "dumps"
    dumps.mkdir(parents=True)
    ntriples = work / "load.nt"
    content.graph.serialize(ntriples, format="nt", encoding="utf-8")
    with ThreadPoolExecutor(max_workers=3) as background:  # zlib and Oxigraph release the GIL
        gzipped = background.submit(_gzip, ntriples, dumps / "data.nt.gz")
        digests = background.submit(entity_digests, ntriples, content.base)
        store = EmbeddedStore.create(work / "store", ntriples)
        turtle = background.submit(_dump_and_gzip, store, dumps / "data.ttl", "ttl", content.base)
        store.dump(dumps / "data.jsonld", "jsonld", content.base)
        jsonld = background.submit(_gzip, dumps / "data.jsonld", dumps / "data.jsonld.gz")
        for job in (gzipped, turtle, jsonld):
            job.result()
        found = digests.result()
        del store  # closes the store before the folder is renamed
    content.ontology.serialize(work / "ontology.ttl", format="turtle")
    content.shapes.serialize(work / "shapes.ttl", format="turtle")
    content.report.serialize(work / "validation-report.ttl", format="turtle")
    return found


def _dump_and_gzip(store: EmbeddedStore, path: Path, extension: str, base: str) -> None:
    store.dump(path, extension, base)
    _gzip(path, path.with_name(path.name + ".gz"))


def _write_history(
    content: ReleaseContent, work: Path, previous: Release | None, digests: dict[str, str], built: str
) -> Changes:
    """Write the entity index, the changes since ``previous`` and the record of gone IRIs."""
    before = _digests_of(previous, content.base) if previous else {}
    changes = compare(previous.id if previous else None, before, digests)
    earlier = read_gone(previous.folder / GONE) if previous else {}
    gone = carry_gone(
        earlier, changes, digests, built, content.replacements, _rolled_back(work.parent, previous)
    )
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


def _gzip(source: Path, target: Path) -> None:
    with source.open("rb") as plain, gzip.GzipFile(target, "wb", compresslevel=6, mtime=0) as packed:
        shutil.copyfileobj(plain, packed, 1 << 20)


def _iso(built: dt.datetime) -> str:
    return built.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _manifest(
    content: ReleaseContent, release_id: str, built: dt.datetime, work: Path, changes: Changes, entities: int
) -> dict[str, Any]:
    return {
        "release": release_id,
        "built": _iso(built),
        "publisher_version": __version__,
        "base": content.base,
        "inputs_sha256": content.inputs_digest,
        "rows": content.rows_read,
        "triples": len(content.graph),
        "classes": content.classes,
        "entities": entities,  # distinct IRIs under {base}id/ (an entity may count in several classes)
        "changes": changes.counts(),
        "files": {
            path.relative_to(work).as_posix(): {"bytes": path.stat().st_size, "sha256": sha256_of(path)}
            for path in sorted(work.rglob("*"))
            if path.is_file()
        },
    }


def _write_catalogs(publication: Publication, coverage: Coverage, building: Release) -> None:
    """Keep the release's DCAT-AP.de description (every profile) beside its dumps, listed in the manifest.

    ``building`` is the release being written: its folder is still the hidden one, and its manifest the dict
    being filled in (the copies describe the files listed so far, the dumps among them).
    """
    manifest = building.manifest
    if coverage.start and coverage.end:
        manifest["coverage"] = {"start": coverage.start.isoformat(), "end": coverage.end.isoformat()}
    manifest["description"] = publication.description.as_json()  # the server's only source of it
    for path in write_copies(building, publication, coverage).values():
        manifest["files"][path.name] = {"bytes": path.stat().st_size, "sha256": sha256_of(path)}


def _load_remote(server: RemoteServer, base: str, work: Path, manifest: dict[str, Any]) -> RemoteRecord:
    """Load the release's N-Triples dump into its graph on the external server; record it in the manifest."""
    graph = graph_of(base, manifest["release"])
    record = load_release_graph(server, work / "dumps" / "data.nt.gz", graph, manifest["triples"], work)
    path = work / RECORD
    manifest["files"][RECORD] = {"bytes": path.stat().st_size, "sha256": sha256_of(path)}
    return record


def _switch_current(releases: Path, release_id: str) -> None:
    link = releases / f".{CURRENT}-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(release_id)
    os.replace(link, releases / CURRENT)  # atomic on POSIX: readers see the old or the new release


def _remove_stale_builds(releases: Path) -> None:
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


def ensure_writable(releases: Path) -> None:
    """Fail early, before a long build, when the releases folder cannot be created or written."""
    try:
        releases.mkdir(parents=True, exist_ok=True)
        with (releases / ".lock").open("a"), tempfile.TemporaryFile(dir=releases):  # unnamed: nothing is left
            pass
    except OSError as error:
        problem = _os_problem(error)
        raise ReleaseError(f"cannot write into the releases folder {releases}: {problem}") from error


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
        _switch_current(releases, release_id)
    return release
