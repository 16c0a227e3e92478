"""The server as users meet it: `clusterlod serve` on 127.0.0.1, spoken to over HTTP."""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from rdflib import Graph

from publisher.build import run_pipeline
from publisher.release import current_release
from publisher.settings import Settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path, data_dir: Path) -> Iterator[tuple[str, Settings]]:
    """A real `clusterlod serve` process on a free port, building the data folder first."""
    port = _free_port()
    settings = Settings(data_dir=data_dir, releases_dir=tmp_path / "releases", port=port)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
    env |= {"CLUSTERLOD_DATA_DIR": str(data_dir), "CLUSTERLOD_RELEASES_DIR": str(settings.releases_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "publisher", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(url, timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("server did not start") from None
                time.sleep(0.1)
        yield url, settings
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_builds_the_data_first_and_shows_the_release(server: tuple[str, Settings]) -> None:
    url, settings = server
    release = current_release(settings.releases_dir)
    assert release is not None
    page = requests.get(url, timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert release.id in page.text
    assert release.manifest["files"]["dumps/data.ttl"]["sha256"] in page.text


def test_dumps_are_downloadable_and_parse(server: tuple[str, Settings]) -> None:
    url, _ = server
    turtle = requests.get(url + "dumps/latest/data.ttl", timeout=10)
    assert turtle.status_code == 200
    assert turtle.headers["Content-Type"].startswith("text/turtle")
    ntriples = requests.get(url + "dumps/latest/data.nt.gz", timeout=10)
    assert ntriples.status_code == 200
    from_turtle = Graph().parse(data=turtle.text, format="turtle")
    from_ntriples = Graph().parse(data=gzip.decompress(ntriples.content), format="nt")
    assert len(from_turtle) == len(from_ntriples) > 300
    assert requests.get(url + "dumps/latest/secret.txt", timeout=10).status_code == 404


def test_a_new_release_is_served_without_restart(server: tuple[str, Settings]) -> None:
    url, settings = server
    first = current_release(settings.releases_dir)
    people = settings.data_dir / "people.csv"
    people.write_text(people.read_text().replace("Erika Muster,Prof.", "Erika Mustermann,Prof."))
    second = run_pipeline(settings, release=True).release
    assert first is not None and second is not None and second.id != first.id
    page = requests.get(url, timeout=10)
    assert second.id in page.text and first.id not in page.text
