"""Load a release into an external SPARQL server, check it arrived whole, and drop it again.

A release goes into one named graph of the server, ``{base}graph/release/{release id}``: its N-Triples dump
is streamed there with the Graph Store HTTP Protocol (PUT replaces the graph), then a SPARQL ``COUNT`` over
that graph must equal the manifest's triple count. The release folder records endpoint and graph in
``remote.json``; pruning a release drops its graph.
"""

from __future__ import annotations

import gzip
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import requests

from publisher.settings import Settings
from publisher.store.remote import RemoteStore, RemoteStoreError

log = logging.getLogger(__name__)

RECORD = "remote.json"
CHUNK = 1 << 20


@dataclass(frozen=True)
class RemoteServer:
    """The endpoints of an external SPARQL server and how long loading may take."""

    query_url: str
    store_url: str
    load_timeout: float
    query_timeout: float


@dataclass(frozen=True)
class RemoteRecord:
    """What ``remote.json`` in a release folder says: where the release's triples live."""

    query_url: str
    store_url: str
    graph: str
    triples: int


def server_of(settings: Settings) -> RemoteServer | None:
    """The external SPARQL server the settings name, or None for the embedded store."""
    if not settings.remote_query_url:
        return None
    return RemoteServer(
        settings.remote_query_url,
        settings.remote_store_url,
        settings.remote_load_timeout,
        settings.query_timeout,
    )


def graph_of(base: str, release_id: str) -> str:
    """The named graph holding one release on the external server."""
    return f"{base}graph/release/{release_id}"


def load_release_graph(
    server: RemoteServer, ntriples_gz: Path, graph: str, expected: int, folder: Path
) -> RemoteRecord:
    """Put the gzipped N-Triples file into ``graph``, check its triple count and write ``remote.json``.

    On any failure the graph is dropped again (as far as the server lets us) and RemoteStoreError names the
    server and what it answered.
    """
    started = time.perf_counter()
    try:
        _put(server, ntriples_gz, graph)
        found = RemoteStore(server.query_url, graph, server.load_timeout).count()
        if found != expected:
            raise RemoteStoreError(
                f"the SPARQL server at {server.query_url} holds {found} triples in {graph}, "
                f"but the release has {expected}",
                server.query_url,
            )
    except BaseException:
        drop_graph(server.store_url, graph, server.load_timeout)
        raise
    record = RemoteRecord(server.query_url, server.store_url, graph, expected)
    (folder / RECORD).write_text(json.dumps(asdict(record), indent=2) + "\n")
    log.info("loaded %d triples into %s in %.2f s", expected, graph, time.perf_counter() - started)
    return record


def read_record(folder: Path) -> RemoteRecord | None:
    """The release's ``remote.json``, or None when the release lives only in its embedded store."""
    path = folder / RECORD
    if not path.exists():
        return None
    raw = json.loads(path.read_text())
    return RemoteRecord(raw["query_url"], raw["store_url"], raw["graph"], int(raw["triples"]))


def check_release_graph(server: RemoteServer, folder: Path) -> None:
    """Raise RemoteStoreError unless the server holds the whole graph of the release in ``folder``.

    A release built without an external server has nothing there to check: it is served embedded.
    """
    record = read_record(folder)
    if record is None:
        return
    found = RemoteStore(server.query_url, record.graph, server.load_timeout).count()
    if found != record.triples:
        raise RemoteStoreError(
            f"the SPARQL server at {server.query_url} holds {found} of the {record.triples} triples of "
            f"{record.graph}; build the release again instead",
            server.query_url,
        )


def drop_graph(store_url: str, graph: str, timeout: float) -> bool:
    """Delete ``graph`` from the server; True when it is gone (or was never there), False on failure."""
    try:
        answer = requests.delete(store_url, params={"graph": graph}, timeout=timeout)
    except requests.RequestException as error:
        log.warning("could not drop %s at %s: %s", graph, store_url, error)
        return False
    if answer.status_code in (200, 202, 204, 404):
        return True
    log.warning("could not drop %s at %s: HTTP %d", graph, store_url, answer.status_code)
    return False


def drop_release_graph(folder: Path, timeout: float = 60.0) -> None:
    """Drop the graph of the release in ``folder`` (if it has one), before the folder is removed."""
    record = read_record(folder)
    if record is not None and drop_graph(record.store_url, record.graph, timeout):
        log.info("dropped %s from %s", record.graph, record.store_url)


def _put(server: RemoteServer, ntriples_gz: Path, graph: str) -> None:
    """PUT the decompressed file as a stream: never the whole file in memory."""
    try:
        answer = requests.put(
            server.store_url,
            params={"graph": graph},
            data=_chunks(ntriples_gz),
            headers={"Content-Type": "application/n-triples"},
            timeout=(10, server.load_timeout),
        )
    except requests.RequestException as error:
        raise RemoteStoreError(
            f"could not load the release into the SPARQL server at {server.store_url}: {error}",
            server.store_url,
        ) from error
    if answer.status_code not in (200, 201, 204):
        raise RemoteStoreError(
            f"the SPARQL server at {server.store_url} answered HTTP {answer.status_code} to loading "
            f"{graph}: {answer.text[:300].strip()}",
            server.store_url,
            answer.status_code,
        )


def _chunks(path: Path) -> Iterator[bytes]:
    with gzip.open(path, "rb") as packed:
        while chunk := packed.read(CHUNK):
            yield chunk
