"""The server as users meet it: `clusterlod serve` on 127.0.0.1, spoken to over HTTP."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from rdflib import Graph

from publisher.build import run_pipeline
from publisher.releases import current_release
from publisher.settings import Settings
from tests.server import running_server, until


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
    for name in ("data.ttl", "data.ttl.gz", "data.nt.gz", "data.jsonld", "data.jsonld.gz"):
        assert release.manifest["files"][f"dumps/{name}"]["sha256"] in page.text
        assert f'href="/dumps/latest/{name}"' in page.text


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
    until(lambda: second.id in requests.get(url, timeout=10).text)  # taken once the server has prepared it
    page = requests.get(url, timeout=10)
    assert second.id in page.text and first.id not in page.text


def test_dumps_per_release_are_immutable_checksummed_and_ranged(server: tuple[str, Settings]) -> None:
    url, settings = server
    release = current_release(settings.releases_dir)
    assert release is not None
    for name in ("data.ttl", "data.ttl.gz", "data.nt.gz", "data.jsonld", "data.jsonld.gz"):
        whole = requests.get(f"{url}dumps/{release.id}/{name}", timeout=30)
        assert whole.status_code == 200
        assert whole.headers["Content-Type"].startswith("application/gzip") == name.endswith(".gz")
        assert "immutable" in whole.headers["Cache-Control"]
        assert int(whole.headers["Content-Length"]) == release.manifest["files"][f"dumps/{name}"]["bytes"]
        digest = hashlib.sha256(whole.content).hexdigest()
        assert (
            requests.get(f"{url}dumps/{release.id}/{name}.sha256", timeout=30).text == f"{digest}  {name}\n"
        )
        assert whole.headers["ETag"] == f'"{digest}"'
        again = requests.get(
            f"{url}dumps/{release.id}/{name}", headers={"If-None-Match": whole.headers["ETag"]}, timeout=30
        )
        assert again.status_code == 304
        part = requests.get(f"{url}dumps/latest/{name}", headers={"Range": "bytes=10-29"}, timeout=30)
        assert part.status_code == 206
        assert part.content == whole.content[10:30]
        assert "max-age=300" in part.headers["Cache-Control"]
    assert requests.get(f"{url}dumps/20000101T000000.000Z-deadbeef/data.ttl", timeout=30).status_code == 404
    assert requests.get(f"{url}dumps/{release.id}/secrets.txt", timeout=30).status_code == 404
