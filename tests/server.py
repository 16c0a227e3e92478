"""Start the real server (`python -m publisher serve`) on 127.0.0.1 for tests, and stop it afterwards."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from publisher.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    """Wait for an answer, not for the port: gunicorn listens before its workers have imported the app, and a
    server on a busy machine may accept a connection and answer it slowly."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            requests.get(url, timeout=10)
            return
        except requests.RequestException:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"server at {url} did not start") from None
            time.sleep(0.1)


TEST_LIMITS = {
    "CLUSTERLOD_READ_RATE_LIMIT": "1000/second",
    "CLUSTERLOD_QUERY_RATE_LIMIT": "1000/second",
    "CLUSTERLOD_CLIENT_QUERIES": "0",
}
"""A test server's one client (127.0.0.1) may crawl and query as fast as it likes, and fill the query pool
itself; tests/test_rate_limits.py sets the limits it tests."""


@contextmanager
def running_server(
    releases_dir: Path,
    data_dir: Path | None = None,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    port: int | None = None,
) -> Iterator[str]:
    """Run `clusterlod serve` on a free port (or ``port``); yield its root URL (``http://127.0.0.1:PORT/``).

    ``env`` sets further CLUSTERLOD_* settings. The server builds ``data_dir`` first when nothing is released.
    With ``log``, the server logs in detail (``--verbose``: releases taken, requests) to that file.
    """
    port = port or free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
    environment["CLUSTERLOD_RELEASES_DIR"] = str(releases_dir)
    if data_dir is not None:
        environment["CLUSTERLOD_DATA_DIR"] = str(data_dir)
    environment |= TEST_LIMITS | (env or {})
    verbose = ["--verbose"] if log is not None else []
    with log.open("wb") if log is not None else open(os.devnull, "wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "publisher", *verbose, "serve", "--port", str(port)],
            cwd=releases_dir.parent,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            wait_until_up(url, process)
            yield url
        finally:
            stop(process)


def until(condition: Callable[[], bool], seconds: float = 20) -> None:
    """Wait for what a server does in a thread of its own: take a new release once it has checked and
    prepared it (meanwhile it serves the one before)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the server never got there"
        time.sleep(0.05)


def stop(process: subprocess.Popen[bytes], seconds: float = 10) -> None:
    """Ask a server process to end; kill it if it has not within ``seconds``."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def add_named_graphs(store_folder: Path, nquads: str) -> None:
    """Add N-Quads to a release's store before a server opens it (for protocol tests with named graphs).

    The manifest then records the store's new files, or a server would refuse the release as damaged.
    """
    import json

    import pyoxigraph as ox

    from publisher.integrity import MANIFEST, sha256_of

    store = ox.Store(str(store_folder))
    store.load(nquads.encode(), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    manifest_path = store_folder.parent / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    files = {name: entry for name, entry in manifest["files"].items() if not name.startswith("store/")}
    for path in sorted(store_folder.iterdir()):
        files[f"store/{path.name}"] = {"bytes": path.stat().st_size, "sha256": sha256_of(path)}
    manifest_path.write_text(json.dumps({**manifest, "files": files}, indent=2) + "\n")


@contextmanager
def minimal_site(root: Path, env: dict[str, str] | None = None) -> Iterator[tuple[str, Settings]]:
    """A copy of the minimal synthetic dataset in ``root``, served by a real server."""
    from tests.conftest import MINIMAL

    shutil.copytree(MINIMAL, root / "data")
    settings = Settings(data_dir=root / "data", releases_dir=root / "releases")
    with running_server(settings.releases_dir, settings.data_dir, env) as url:
        yield url, settings
