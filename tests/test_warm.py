"""A process prepares a release before it serves it: at its start before it answers anything, and at a switch
in a thread of its own while the release before is served on, so that no request fails or waits (issue 12,
defect 5). How long preparing takes is measured in bench/warm_bench.py, not here."""

from __future__ import annotations

import logging
import shutil
import threading
from collections import Counter
from pathlib import Path

import pytest
import requests

from publisher.build import run_pipeline
from publisher.settings import Settings
from tests.conftest import MINIMAL
from tests.server import running_server, until

ROUTES = (
    "",
    "?lang=en",
    "search?q=cluster",
    "doc/initiative/",
    "sitemap.xml",
    "calendar/events.ics",
    "dataset",
)


def _settings(root: Path) -> Settings:
    shutil.copytree(MINIMAL, root / "data")
    return Settings(data_dir=root / "data", releases_dir=root / "releases")


def test_a_process_prepares_its_release_before_it_answers_any_request(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    release = run_pipeline(settings, release=True).release
    assert release is not None
    log = tmp_path / "server.log"
    with running_server(settings.releases_dir, log=log) as url:
        for route in ROUTES:
            assert requests.get(url + route, timeout=30).status_code == 200, route
    text = log.read_text()
    prepared = text.index(f"prepared release {release.id}")
    first_request = text.index('"GET ')
    assert prepared < first_request, "the release was prepared before the first request was answered"


def test_a_switch_under_load_fails_no_request_and_serves_the_new_release_once_prepared(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path)
    first = run_pipeline(settings, release=True).release
    assert first is not None
    log = tmp_path / "server.log"
    statuses: Counter[int] = Counter()
    stop_load = threading.Event()

    def load(url: str, offset: int) -> None:
        session = requests.Session()
        n = offset
        while not stop_load.is_set() and n < offset + 2000:  # bounded, whatever happens
            statuses[session.get(url + ROUTES[n % len(ROUTES)], timeout=30).status_code] += 1
            n += 1

    with running_server(settings.releases_dir, log=log) as url:
        clients = [threading.Thread(target=load, args=(url, k * 100)) for k in range(3)]
        for client in clients:
            client.start()
        try:
            until(lambda: sum(statuses.values()) > 20)
            second = run_pipeline(settings, release=True).release  # `current` moves under the running server
            assert second is not None
            until(lambda: requests.get(url + "health", timeout=30).json()["release"]["id"] == second.id, 60)
            during = sum(statuses.values())
            until(lambda: sum(statuses.values()) > during + 20)  # and it goes on answering from the new one
        finally:
            stop_load.set()
            for client in clients:
                client.join(timeout=60)
    assert set(statuses) == {200}, statuses
    text = log.read_text()
    assert text.index(f"prepared release {second.id}") < text.index(f"took release {second.id}")


def test_preparing_names_the_steps_that_took_longest(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An operator waiting for a large release to be served sees where the time goes."""
    from publisher.web import create_app

    settings = _settings(tmp_path)
    release = run_pipeline(settings, release=True).release
    assert release is not None
    with caplog.at_level(logging.INFO, logger="publisher.web.warm"):
        create_app(settings)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "publisher.web.warm"]
    assert line.startswith(f"preparing {release.id} took longest: ")
    steps = line.split(": ", 1)[1].split(", ")
    assert len(steps) == 4 and all(step.endswith(" s") for step in steps)
