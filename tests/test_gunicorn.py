"""The production recipe: gunicorn with its settings (publisher.web.gunicorn_conf), several workers, each with
its own query workers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from publisher.build import run_pipeline
from publisher.settings import Settings
from tests.conftest import MINIMAL
from tests.server import free_port, stop, wait_until_up

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """gunicorn as the README runs it, with the minimal data; yields its root URL."""
    root = tmp_path_factory.mktemp("gunicorn")
    shutil.copytree(MINIMAL, root / "data")
    settings = Settings(data_dir=root / "data", releases_dir=root / "releases")
    run_pipeline(settings, release=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
    env["CLUSTERLOD_RELEASES_DIR"] = str(settings.releases_dir)
    # one client sends every request; 8 at once may wait for the 6 query workers longer than the default 2 s
    # on a loaded machine: these tests are about gunicorn, not about the limits
    env |= {
        "CLUSTERLOD_READ_RATE_LIMIT": "",
        "CLUSTERLOD_QUERY_RATE_LIMIT": "",
        "CLUSTERLOD_CLIENT_QUERIES": "0",
        "CLUSTERLOD_QUEUE_TIMEOUT": "30",
    }
    program = Path(sys.executable).parent / "gunicorn"
    log = root / "gunicorn.log"  # a file, not a pipe: a full pipe would stop gunicorn mid-test
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [
                str(program),
                "-c",
                "python:publisher.web.gunicorn_conf",
                "--workers",
                "3",
                "--threads",
                "4",
                "--bind",
                f"127.0.0.1:{port}",
                "publisher.web.wsgi:create_app_from_environment()",
            ],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(f"{url}robots.txt", process)
        yield url
    finally:
        stop(process, 20)
    assert "Booting worker" in log.read_text()


def test_gunicorn_with_several_workers_serves_queries(gunicorn: str) -> None:
    url = f"{gunicorn}sparql"
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(
            pool.map(
                lambda _: requests.get(
                    url, params={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=60
                ),
                range(24),
            )
        )
    assert {r.status_code for r in responses} == {200}, {
        r.text[:200] for r in responses if r.status_code != 200
    }
    assert len({r.text for r in responses}) == 1
    assert int(responses[0].text.splitlines()[1]) > 100


@pytest.mark.parametrize("size", [5_000, 9_000, 200_000])
def test_a_long_query_by_get_reaches_the_endpoint(gunicorn: str, size: int) -> None:
    """gunicorn's own limits (4,094 bytes by default, 8,190 at most) would answer 400 in HTML."""
    query = "# " + "x" * size + "\n" + COUNT
    response = requests.get(
        f"{gunicorn}sparql", params={"query": query}, headers={"Accept": "text/csv"}, timeout=60
    )
    assert response.status_code == 200, response.text[:300]
    assert int(response.text.splitlines()[1]) > 100


@pytest.mark.parametrize("path", ["sparql?query=", "search?q="])
def test_a_query_string_over_max_request_bytes_is_our_414(gunicorn: str, path: str) -> None:
    too_long = "x" * (Settings().max_request_bytes + 1)
    response = requests.get(f"{gunicorn}{path}{too_long}", headers={"Accept": "application/json"}, timeout=60)
    assert response.status_code == 414
    assert response.json()["error"]["status"] == 414
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_request_line_past_twice_max_request_bytes_is_refused_by_gunicorn(gunicorn: str) -> None:
    """The line gunicorn reads is bounded (its cost grows with the square of the length)."""
    too_long = "x" * (2 * Settings().max_request_bytes + 1)
    response = requests.get(f"{gunicorn}search?q={too_long}", timeout=60)
    assert response.status_code == 400
    assert "Request Line is too large" in response.text
