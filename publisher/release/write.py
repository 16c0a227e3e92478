"""Stage 4, release: write a release folder from what the build made, then make it current
(publisher.release.switch); on any error the folder is removed and ``current`` stays as it was."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from publisher import __version__
from publisher.catalog import Coverage, Publication, write_copies
from publisher.changes import Changes, entity_digests
from publisher.errors import ReleaseError
from publisher.history.record import record_history
from publisher.integrity import DamagedReleaseError, check_files, sha256_of
from publisher.release.previous import previous_release, record_changes
from publisher.release.switch import prune_releases, release_lock, remove_stale_builds, switch_current
from publisher.releases import MANIFEST, Release
from publisher.store import EmbeddedStore
from publisher.store.graphstore import (
    RECORD,
    RemoteRecord,
    RemoteServer,
    drop_graph,
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
        remove_stale_builds(releases)
        final = releases / release_id
        if final.exists():
            raise ReleaseError(f"release {release_id} exists already in {releases}")
        work = releases / f".building-{release_id}"
        previous = previous_release(releases, remote is not None)
        loaded: RemoteRecord | None = None
        try:
            digests = _write_files(content, work)
            changes = record_changes(work, previous, digests, _iso(built), content.base, content.replacements)
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
        switch_current(releases, release_id)
        if keep is not None:
            prune_releases(releases, keep, protect=previous.id if previous else None, remote=remote)
    return Release(release_id, final, manifest)


def _os_problem(error: OSError) -> str:
    """An OSError as one line: what went wrong and on which path."""
    where = f" ({error.filename})" if error.filename else ""
    return f"{error.strerror or error}{where}"


def ensure_writable(releases: Path) -> None:
    """Fail early, before a long build, when the releases folder cannot be created or written."""
    try:
        releases.mkdir(parents=True, exist_ok=True)
        with (releases / ".lock").open("a"), tempfile.TemporaryFile(dir=releases):  # unnamed: nothing is left
            pass
    except OSError as error:
        problem = _os_problem(error)
        raise ReleaseError(f"cannot write into the releases folder {releases}: {problem}") from error


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
