"""The production recipe: gunicorn with several workers, each with its own query workers."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from publisher.build import run_pipeline
from publisher.settings import Settings
from tests.server import free_port, wait_until_up


def test_gunicorn_with_several_workers_serves_queries(tmp_path: Path, data_dir: Path) -> None:
    settings = Settings(data_dir=data_dir, releases_dir=tmp_path / "releases")
    run_pipeline(settings, release=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
    env["CLUSTERLOD_RELEASES_DIR"] = str(settings.releases_dir)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [
            str(gunicorn),
            "--workers",
            "3",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "publisher.web.wsgi:create_app_from_environment()",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        wait_until_up(url, process)
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        with ThreadPoolExecutor(max_workers=8) as pool:
            responses = list(
                pool.map(
                    lambda _: requests.get(
                        url, params={"query": query}, headers={"Accept": "text/csv"}, timeout=60
                    ),
                    range(24),
                )
            )
        assert {r.status_code for r in responses} == {200}
        assert len({r.text for r in responses}) == 1
        assert int(responses[0].text.splitlines()[1]) > 300
    finally:
        process.terminate()
        process.wait(timeout=20)
        assert process.stderr is not None
        log = process.stderr.read().decode()
        process.stderr.close()
    assert "Booting worker" in log
