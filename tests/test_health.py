"""``{base}health``: the release served, whether it passed its checks, the store kind; 503 when failing."""

from __future__ import annotations

import shutil
from pathlib import Path

import requests

from publisher.build import run_pipeline
from publisher.releases import current_release
from publisher.settings import Settings
from tests.conftest import MINIMAL
from tests.remote import oxigraph_server
from tests.server import minimal_site, running_server

TIMEOUT = 30


def test_health_names_the_release_served_and_its_store(tmp_path: Path) -> None:
    with minimal_site(tmp_path) as (url, settings):
        answer = requests.get(f"{url}health", timeout=TIMEOUT)
        release = current_release(settings.releases_dir)
    assert release is not None
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.json() == {
        "status": "ok",
        "release": {"id": release.id, "built": release.manifest["built"], "checks": "passed"},
        "store": "embedded",
    }


def test_health_lives_under_the_base_path(tmp_path: Path) -> None:
    with minimal_site(tmp_path, env={"CLUSTERLOD_BASE": "http://localhost:8080/lod/"}) as (url, _settings):
        assert requests.get(f"{url}lod/health", timeout=TIMEOUT).json()["status"] == "ok"
        assert requests.get(f"{url}health", timeout=TIMEOUT).status_code == 404


def test_health_answers_503_when_no_good_release_can_be_served(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "data")
    settings = Settings(data_dir=tmp_path / "data", releases_dir=tmp_path / "releases")
    release = run_pipeline(settings, release=True).release
    assert release is not None
    (release.folder / "dumps" / "data.jsonld").unlink()
    with running_server(settings.releases_dir) as url:
        answer = requests.get(f"{url}health", timeout=TIMEOUT)
        head = requests.head(f"{url}health", timeout=TIMEOUT)
    assert answer.status_code == 503
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.json() == {
        "status": "failing",
        "release": None,
        "store": None,
        "current": {"id": release.id, "problems": ["dumps/data.jsonld is missing"]},
    }
    assert head.status_code == 503


def test_health_says_remote_when_an_external_server_answers_without_the_embedded_store(
    tmp_path: Path,
) -> None:
    shutil.copytree(MINIMAL, tmp_path / "data")
    with oxigraph_server(tmp_path / "oxigraph") as server:
        settings = Settings(
            data_dir=tmp_path / "data", releases_dir=tmp_path / "releases", **server.settings()
        )
        release = run_pipeline(settings, release=True).release
        assert release is not None
        shutil.rmtree(release.folder / "store")  # answered from the server: the embedded store is not needed
        with running_server(settings.releases_dir, env=server.env()) as url:
            answer = requests.get(f"{url}health", timeout=TIMEOUT)
    assert answer.status_code == 200
    assert answer.json()["store"] == "remote"
    assert answer.json()["status"] == "ok"


def test_health_fails_before_anything_was_built(tmp_path: Path) -> None:
    from publisher.web import create_app

    app = create_app(Settings(releases_dir=tmp_path / "releases"))  # as gunicorn starts it: nothing built
    answer = app.test_client().get("/health")
    assert answer.status_code == 503
    assert answer.json == {
        "status": "failing",
        "release": None,
        "store": None,
        "current": {"id": None, "problems": ["no release has been built yet"]},
    }
