"""The server as users meet it: `clusterlod serve` on 127.0.0.1, spoken to over HTTP."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from rdflib import Graph

from publisher.build import run_pipeline
from publisher.release import current_release
from publisher.settings import Settings
from tests.server import running_server


@pytest.fixture
def server(tmp_path: Path, data_dir: Path) -> Iterator[tuple[str, Settings]]:
    """A real `clusterlod serve` process on a free port, building the data folder first."""
    settings = Settings(data_dir=data_dir, releases_dir=tmp_path / "releases")
    with running_server(settings.releases_dir, data_dir) as url:
        yield url, settings


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
