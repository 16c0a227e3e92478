"""Load a release into an external SPARQL server, check it arrived whole, and drop it again.

A release goes into one named graph of the server, ``{base}graph/release/{release id}``: its N-Triples dump
is streamed there with the Graph Store HTTP Protocol (PUT replaces the graph), then a SPARQL ``COUNT`` over
that graph must equal the manifest's triple count. The release folder records endpoint and graph in
``remote.json`` (never credentials); pruning a release drops its graph.

The body is sent with its length, not chunked: Virtuoso answers a chunked PUT with 201 and loads nothing.
With credentials (``remote_user``), writes log in with HTTP digest or basic authentication; a digest login
is made once before the upload, so that the (large) body goes only once.
"""

from __future__ import annotations

import gzip
import json
import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType

import requests

from publisher.settings import Settings
from publisher.store.remote import Credentials, RemoteStore, RemoteStoreError, no_graph

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
    credentials: Credentials | None = None


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
        credentials_of(settings),
    )


def credentials_of(settings: Settings) -> Credentials | None:
    """The login the settings give for the external SPARQL server, or None when it needs none."""
    if not settings.remote_user:
        return None
    return Credentials(settings.remote_user, settings.remote_password, settings.remote_auth)


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
        found = _store(server, graph).count()
        if found != expected:
            raise RemoteStoreError(
                f"the SPARQL server at {server.query_url} holds {found} triples in {graph}, "
                f"but the release has {expected}",
                server.query_url,
            )
    except BaseException:
        drop_graph(server.store_url, graph, server.load_timeout, server.credentials)
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
    found = _store(server, record.graph).count()
    if found != record.triples:
        raise RemoteStoreError(
            f"the SPARQL server at {server.query_url} holds {found} of the {record.triples} triples of "
            f"{record.graph}; build the release again instead",
            server.query_url,
        )


def drop_graph(store_url: str, graph: str, timeout: float, credentials: Credentials | None = None) -> bool:
    """Delete ``graph`` from the server; True when it is gone (or was never there), False on failure."""
    auth = credentials.for_requests() if credentials else None
    try:
        answer = requests.delete(store_url, params={"graph": graph}, auth=auth, timeout=timeout)
    except requests.RequestException as error:
        log.warning("could not drop %s at %s: %s", graph, store_url, error)
        return False
    if answer.status_code in (200, 202, 204, 404):
        return True
    log.warning("could not drop %s at %s: HTTP %d", graph, store_url, answer.status_code)
    return False


def drop_release_graph(folder: Path, timeout: float = 60.0, server: RemoteServer | None = None) -> None:
    """Drop the graph of the release in ``folder`` (if it has one), before the folder is removed.

    ``server``'s credentials are used when the release was loaded through the same Graph Store endpoint
    (never sent to another one).
    """
    record = read_record(folder)
    if record is None:
        return
    same = server is not None and server.store_url == record.store_url
    credentials = server.credentials if same and server else None
    if drop_graph(record.store_url, record.graph, timeout, credentials):
        log.info("dropped %s from %s", record.graph, record.store_url)


def _store(server: RemoteServer, graph: str) -> RemoteStore:
    return RemoteStore(server.query_url, graph, server.load_timeout, server.credentials)


def _put(server: RemoteServer, ntriples_gz: Path, graph: str) -> None:
    """PUT the decompressed file as a stream of known length: never the whole file in memory."""
    auth = server.credentials.for_requests() if server.credentials else None
    try:
        if isinstance(auth, requests.auth.HTTPDigestAuth):
            # log in with a small request first (a graph that never exists): the PUT then carries the answer
            # to the server's challenge
            empty = {"graph": no_graph(graph)}
            requests.get(server.store_url, params=empty, auth=auth, timeout=(10, 60)).close()
        with _Decompressed(ntriples_gz) as body:
            answer = requests.put(
                server.store_url,
                params={"graph": graph},
                data=body,
                headers={"Content-Type": "application/n-triples"},
                auth=auth,
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


class _Decompressed:
    """A gzipped file read decompressed, with its decompressed length (``requests`` sends it as
    Content-Length) and rewindable (a digest login that is challenged again sends the body again)."""

    def __init__(self, path: Path) -> None:
        self._file = gzip.open(path, "rb")  # noqa: SIM115 - closed by __exit__
        self._length = 0
        while chunk := self._file.read(CHUNK):
            self._length += len(chunk)
        self._file.seek(0)

    def __len__(self) -> int:
        return self._length  # requests subtracts what was read already (``tell``)

    def read(self, size: int = -1) -> bytes:
        return self._file.read(size)

    def tell(self) -> int:
        return self._file.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def __enter__(self) -> _Decompressed:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._file.close()
